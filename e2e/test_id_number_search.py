"""An ID number typed into the roster's search box never reaches a URL: the page's script hands
it to the top bar's search, which posts it; a user with the reveal permission lands on the
person's page, the look-up audited."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from e2e.test_roster_flow import log_in
from tests.factories import make_member, make_user
from tongxin.audit.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_id_number_in_the_roster_search_is_looked_up_without_entering_a_url(page, world):
    person = make_member(world.branch_a, name="张敏")
    make_member(world.branch_a, name="李华")
    user = make_user("city_staff", world.city)
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    urls = []
    page.on("request", lambda request: urls.append(request.url))

    log_in(page, "city_staff")
    page.goto(f"/people/?org={world.city.pk}")
    box = page.get_by_role("searchbox", name="搜索", exact=True)
    box.fill(person.id_number)
    box.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/people/')[0]}/people/{person.pk}/")
    assert not [url for url in urls if person.id_number in url]
    assert Event.objects.filter(kind="reveal", user=user).count() == 1
