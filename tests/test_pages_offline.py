"""Pages load nothing from another host and every asset they name is served by Tongxin."""

import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_member

pytestmark = pytest.mark.django_db
ASSET = re.compile(r'(?:src|href)="([^"#]+)"')


def test_pages_reference_only_local_assets_that_exist(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏")
    client.force_login(city_staff)
    urls = [
        reverse("workbench"),
        reverse("orgs:detail", args=[world.city.pk]),
        reverse("people:roster"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:create"),
        reverse("login"),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for ref in ASSET.findall(body):
            assert not re.match(r"^(https?:)?//", ref), f"{url} loads {ref} from another host"
            if ref.startswith("/static/"):
                assert finders.find(ref.removeprefix("/static/")), f"{url}: missing {ref}"


def test_pages_carry_a_content_security_policy_without_outside_hosts(client, world, city_staff):
    client.force_login(city_staff)
    policy = client.get(reverse("workbench"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "http" not in policy


def test_the_workbench_shows_the_headline_of_the_scope(client, world, city_staff, chair_a):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2010, 1, 1))
    make_member(world.branch_b, name="吴军", start=date(date.today().year, 1, 1))
    make_member(world.other_branch, name="曾强")
    client.force_login(city_staff)
    response = client.get(reverse("workbench"))
    (card,) = response.context["cards"]
    figures = card["figures"]
    assert figures["total"].value == 2
    assert figures["women"].value == 1
    assert figures["admitted"].value == 1
    assert figures["grassroots"].value == 4
    # Each headline figure opens the list it counts.
    for key in ("total", "women", "admitted", "grassroots", "retired"):
        page = client.get(figures[key].url)
        assert page.status_code == 200
        assert f'data-count="{figures[key].value}"' in page.content.decode(), key
    client.force_login(chair_a)
    (card,) = client.get(reverse("workbench")).context["cards"]
    assert card["figures"]["total"].value == 1


def test_the_interface_is_in_chinese(client, world, city_staff):
    client.force_login(city_staff)
    body = client.get(reverse("workbench")).content.decode()
    assert '<html lang="zh-Hans">' in body and "工作台" in body and "成员名册" in body


def test_the_admin_searches_people_by_initials(admin_client, world):
    make_member(world.branch_a, name="张敏")
    make_member(world.branch_a, name="李华")
    response = admin_client.get(reverse("admin:people_person_changelist"), {"q": "zm"})
    assert response.status_code == 200
    assert [p.name for p in response.context["cl"].result_list] == ["张敏"]
