"""A user who may see personal numbers asks for one on the person page: the masked value turns
into the full one in place (htmx POST with the CSRF header), and the reveal is audited."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from e2e.test_roster_flow import log_in
from tests.factories import make_member, make_user
from tongxin.audit.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reveal_in_the_browser(page, world):
    person = make_member(world.branch_a, name="张敏", phone="13812345678")
    user = make_user("city_staff", world.city)
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))

    log_in(page, "city_staff")
    page.goto(f"/people/{person.pk}/")
    basic = page.get_by_test_id("person-basic")
    expect(basic).to_contain_text("138****5678")
    expect(basic).not_to_contain_text("13812345678")
    page.get_by_test_id("reveal-phone").click()
    expect(page.get_by_test_id("revealed")).to_have_text("13812345678")
    expect(basic).not_to_contain_text(person.id_number)
    assert Event.objects.filter(kind="reveal", user=user).count() == 1
