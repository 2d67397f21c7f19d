"""The pages of terms and elections: the organization page's tab, the election form, the lists
the workbench links to — each inside the user's scope."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.terms.terms_helpers import elect, member
from tongxin.terms.models import Term

pytestmark = pytest.mark.django_db


def _tab(org):
    return f"{reverse('orgs:detail', args=[org.pk])}?tab=terms"


def test_the_terms_tab_shows_each_committee_with_its_composition(client, world, city_staff):
    zhang = member(world.branch_a, "张敏")
    li = member(world.branch_a, "李华", gender="2")
    elect(world.branch_a, 1, date(2019, 5, 10), [(zhang, "支部主委")])
    elect(world.branch_a, 2, date(2024, 5, 20), [(zhang, "支部主委"), (li, "支委")])
    client.force_login(city_staff)
    page = client.get(_tab(world.branch_a)).content.decode()
    assert "届次与班子" in page
    assert "第二届" in page and "第一届" in page
    assert "新一届委员2名，其中连任1名、新进1名(50%)" in page
    assert "连任" in page and "新进" in page


def test_an_empty_tab_says_what_to_do(client, world, city_staff):
    client.force_login(city_staff)
    page = client.get(_tab(world.branch_a)).content.decode()
    assert "还没有届次记录" in page and "记录一次换届选举" in page


def test_staff_record_an_election_from_the_form(client, world, city_staff):
    zhang = member(world.branch_a, "张敏")
    member(world.branch_a, "李华", gender="2")
    member(world.branch_a, "王芳", gender="2")
    elect(world.branch_a, 3, date(2019, 5, 10), [(zhang, "支部主委")])
    client.force_login(city_staff)
    url = reverse("terms:election_new", args=[world.branch_a.pk])
    form = client.get(url).context["form"]
    assert form.initial["number"] == 4
    assert form.initial["entitled"] == 3
    assert form.initial["seats"] == "支部主委：张敏"
    held = timezone.localdate() - timedelta(days=3)
    response = client.post(
        url,
        {
            "number": 4,
            "held_on": held.isoformat(),
            "entitled": 3,
            "voted": 3,
            "seats": "支部主委：李华\n支委：张敏、王芳",
            "candidates": "李华 3\n张敏：2票\n王芳 2",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _tab(world.branch_a)
    page = response.content.decode()
    assert (
        "已记录「江城大学第一支部」第四届换届选举：新一届委员3名，其中连任1名、新进2名(67%)" in page
    )
    term = Term.objects.get(org=world.branch_a, number=4)
    assert term.start == held
    assert [(s.person.name, s.title) for s in term.seats.all()] == [
        ("李华", "支部主委"),
        ("张敏", "支委"),
        ("王芳", "支委"),
    ]


def test_the_form_names_each_mistake_by_line(client, world, city_staff):
    member(world.branch_a, "张敏", born=(1980, 5, 1))
    member(world.branch_a, "张敏", born=(1990, 1, 2))
    member(world.branch_b, "外人")
    client.force_login(city_staff)
    response = client.post(
        reverse("terms:election_new", args=[world.branch_a.pk]),
        {
            "number": 1,
            "held_on": "2024-05-20",
            "entitled": 3,
            "voted": 4,
            "seats": "会长：张三\n支部主委：张敏\n支委：外人",
            "candidates": "张敏(1980-05-01) 多",
        },
    )
    errors = response.context["form"].errors
    assert errors["seats"] == [
        "第1行：职务“会长”不在可选职务之列（可选：主委、副主委、秘书长、副秘书长、常委、委员、"
        "支部主委、支部副主委、支委、书记、副书记）",
        "第2行：有 2 名同名成员“张敏”，请在姓名后注明出生日期，如“张敏(1980-05-01)”",
        "第3行：“外人”在 2024-05-20 不是「江城大学第一支部」及其下级组织的在册成员（或姓名有误）",
    ]
    assert errors["candidates"] == ["第1行：“张敏(1980-05-01) 多”应写成“姓名 得票数”"]
    assert not Term.objects.exists()


def test_the_service_refuses_what_the_form_lets_through(client, world, city_staff):
    member(world.branch_a, "张敏", born=(1980, 5, 1))
    client.force_login(city_staff)
    response = client.post(
        reverse("terms:election_new", args=[world.branch_a.pk]),
        {
            "number": 1,
            "held_on": "2024-05-20",
            "entitled": 3,
            "voted": 4,
            "seats": "支部主委：张敏(1980-05-01)",
        },
    )
    assert response.context["form"].errors["voted"] == [
        "参加投票人数（4）不能多于应参加选举人数（3）"
    ]
    assert not Term.objects.exists()


def test_undoing_an_election_from_the_tab(client, world, city_staff):
    zhang = member(world.branch_a, "张敏")
    term = elect(world.branch_a, 1, date(2024, 5, 20), [(zhang, "支部主委")])
    client.force_login(city_staff)
    response = client.post(reverse("terms:election_undo", args=[term.pk]), follow=True)
    assert "已撤销「江城大学第一支部」第一届的换届记录" in response.content.decode()
    assert not Term.objects.exists()


def test_a_branch_chair_reads_the_tab_but_records_no_election(client, world, chair_a):
    client.force_login(chair_a)
    assert client.get(_tab(world.branch_a)).status_code == 200
    assert client.get(reverse("terms:election_new", args=[world.branch_a.pk])).status_code == 403


def test_terms_of_another_subtree_are_not_found(client, world, staff_a):
    zhang = member(world.branch_b, "张敏")
    term = elect(world.branch_b, 1, date(2024, 5, 20), [(zhang, "支部主委")])
    client.force_login(staff_a)
    assert client.get(reverse("terms:election_new", args=[world.branch_b.pk])).status_code == 404
    assert client.post(reverse("terms:election_undo", args=[term.pk])).status_code == 404
    assert client.get(reverse("terms:term_seats"), {"term": term.pk}).status_code == 404
    assert client.get(reverse("terms:terms"), {"org": world.branch_b.pk}).status_code == 404
    assert Term.objects.filter(pk=term.pk).exists()


def test_the_workbench_counts_terms_due_soon_and_overdue_and_links_to_them(
    client, world, city_staff
):
    today = timezone.localdate()
    people = {
        org: member(org, f"主委{i}")
        for i, org in enumerate((world.branch_a, world.branch_b, world.branch_g1, world.general))
    }
    # Due in three months, overdue by a month, due in two years; the general branch renewed.
    elect(
        world.branch_a,
        1,
        today - timedelta(days=5 * 365 - 90),
        [(people[world.branch_a], "支部主委")],
        today=today,
    )
    elect(
        world.branch_b,
        1,
        today - timedelta(days=5 * 365 + 30),
        [(people[world.branch_b], "支部主委")],
        today=today,
    )
    elect(
        world.branch_g1,
        1,
        today - timedelta(days=3 * 365),
        [(people[world.branch_g1], "支部主委")],
        today=today,
    )
    client.force_login(city_staff)
    todos = {c.title: c for c in client.get(reverse("workbench")).context["cards"][0]["todos"]}
    assert todos["六个月内届满"].count == 1
    assert todos["已届满未换届"].count == 1
    soon = client.get(todos["六个月内届满"].url).content.decode()
    assert "共 1 届" in soon and "江城大学第一支部" in soon
    late = client.get(todos["已届满未换届"].url).content.decode()
    assert "共 1 届" in late and "医药卫生支部" in late and "已超期" in late
