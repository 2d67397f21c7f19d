"""The roster's 更多筛选: a date, the flows of a period, minorities, cross members, political
arrangements — the lists the statistics' figures open."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member
from tongxin.core.codes import PoliticalBody, PoliticalLevel, PostKind, SpellReason
from tongxin.people import services
from tongxin.people.models import Post

pytestmark = pytest.mark.django_db


def roster(client, org, **params):
    response = client.get(reverse("people:roster"), {"org": org.pk, **params})
    assert response.status_code == 200
    body = response.content.decode()
    return sorted(row["name"] for row in response.context["rows"]), body


@pytest.fixture
def history(world):
    old = make_member(world.branch_a, name="老会员", start=date(2000, 1, 1), ethnicity="03")
    services.membership_end(person=old, on=date(2024, 5, 1), reason=SpellReason.WITHDREW)
    mover = make_member(world.branch_a, name="转走", start=date(2010, 1, 1), is_cross_member=True)
    services.membership_transfer(person=mover, to_org=world.other_branch, on=date(2024, 8, 1))
    inner = make_member(world.branch_a, name="内转", start=date(2012, 1, 1))
    services.membership_transfer(person=inner, to_org=world.branch_b, on=date(2024, 9, 1))
    new = make_member(world.branch_b, name="新人", start=date(2024, 3, 1), ethnicity="01")
    Post.objects.create(person=new, kind=PostKind.POLITICAL, title="区人大代表",
                        body=PoliticalBody.NPC_DEPUTY, level=PoliticalLevel.COUNTY,
                        start=date(2024, 1, 1))  # fmt: skip
    return world


def test_the_roster_on_an_earlier_date(client, history, city_staff):
    client.force_login(city_staff)
    names, body = roster(client, history.city, as_of="2024-01-01")
    assert names == ["内转", "老会员", "转走"]
    assert 'data-count="3"' in body and "在册日期 2024-01-01" in body
    assert roster(client, history.city, as_of="2024-12-31")[0] == ["内转", "新人"]


def test_the_flows_of_a_period_by_reason(client, history, city_staff):
    client.force_login(city_staff)
    period = {"as_of": "2024-12-31", "period_start": "2024-01-01"}
    assert roster(client, history.city, flow="admitted", **period)[0] == ["新人"]
    assert roster(client, history.city, flow="withdrew", **period)[0] == ["老会员"]
    assert roster(client, history.city, flow="transferred_out", **period)[0] == ["转走"]
    # A move between two branches of the city is no flow of the city, but one of each branch.
    assert roster(client, history.city, flow="transferred_in", **period)[0] == []
    assert roster(client, history.branch_b, flow="transferred_in", **period)[0] == ["内转"]
    names, body = roster(client, history.city, flow="admitted", as_of="2024-02-28")
    assert names == [] and "2024-01-01 至 2024-02-28 入会" in body


def test_minorities_cross_members_and_arrangements(client, history, city_staff):
    client.force_login(city_staff)
    early = {"as_of": "2024-01-01"}
    assert roster(client, history.city, minority="1", **early)[0] == ["老会员"]
    assert roster(client, history.city, cross_member="1", **early)[0] == ["转走"]
    on = {"as_of": "2024-12-31"}
    arranged = roster(
        client, history.city, political_body="npc_deputy", political_level="county", **on
    )
    assert arranged[0] == ["新人"]
    assert roster(client, history.city, political_level="city", **on)[0] == []


def test_a_period_start_after_the_date_is_named_and_ignored(client, history, city_staff):
    client.force_login(city_staff)
    names, body = roster(
        client, history.city, flow="admitted", as_of="2024-06-30", period_start="2024-07-01"
    )
    assert "变动期间的开始日期不能晚于在册日期" in body
    assert names == ["新人"]  # the period falls back to the year of the date
