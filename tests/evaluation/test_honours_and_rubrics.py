"""Honours in the person file, the honours list by level, rubrics edited as data, and the
statistics' evaluation section with its drill-down lists."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member
from tongxin.core.figures import values
from tongxin.core.scope import Scope
from tongxin.evaluation import selectors, services
from tongxin.evaluation.models import Award, Rubric
from tongxin.evaluation.stats import compute
from tongxin.people import services as people_services
from tongxin.people.models import Honor

pytestmark = pytest.mark.django_db


def _honour(person, level="city", on=date(2024, 3, 8), title="三八红旗手"):
    return Honor.objects.create(
        person=person, title=title, level=level, conferred_by="江城市妇联", conferred_on=on
    )


def test_the_person_file_lists_honours_and_staff_add_them(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏")
    _honour(person)
    client.force_login(city_staff)
    tab = reverse("people:detail", args=[person.pk]) + "?tab=honours"
    page = client.get(tab).content.decode()
    assert "三八红旗手" in page and "登记表彰荣誉" in page
    response = client.post(
        reverse("evaluation:honor_new", args=[person.pk]),
        {
            "title": "全国优秀政协委员",
            "level": "national",
            "conferred_by": "全国政协",
            "conferred_on": "2023-03-01",
        },
        follow=True,
    )
    assert "已保存 张敏 的表彰荣誉「全国优秀政协委员」" in response.content.decode()
    assert list(person.honors.values_list("title", flat=True)) == ["三八红旗手", "全国优秀政协委员"]


def test_an_honour_from_the_future_is_refused(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏")
    client.force_login(city_staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("evaluation:honor_new", args=[person.pk]),
        {"title": "奖", "level": "city", "conferred_by": "市政府", "conferred_on": tomorrow},
    )
    assert response.context["form"].errors["conferred_on"] == [
        f"授予日期 {tomorrow:%Y-%m-%d} 晚于今天"
    ]
    assert not Honor.objects.exists()


def test_honours_of_another_subtree_are_not_found(client, world, staff_a):
    person = make_member(world.branch_b, name="王芳")
    honour = _honour(person)
    client.force_login(staff_a)
    assert client.get(reverse("evaluation:honor_edit", args=[honour.pk])).status_code == 404
    assert client.post(reverse("evaluation:honor_delete", args=[honour.pk])).status_code == 404
    assert client.get(reverse("evaluation:honor_new", args=[person.pk])).status_code == 404
    assert Honor.objects.count() == 1


def test_rubric_items_take_parameters_as_data(client, world, city_staff):
    client.force_login(city_staff)
    client.post(reverse("evaluation:rubric_default"))
    rubric = Rubric.objects.get()
    item = rubric.items.get(calculator="honours")
    url = reverse("evaluation:item_edit", args=[rubric.pk, item.pk])
    form = client.get(url).context["form"]
    assert form.initial["params_text"] == "每项分值=5\n计分级别=国家级、省级、市级"
    data = {
        "order": 8,
        "category": "表彰",
        "title": "成员获表彰",
        "guidance": "",
        "calculator": "honours",
        "max_points": "25",
        "params_text": "每项分值=3\n计分级别=国家级、省级、市级、县级",
    }
    client.post(url, data)
    item.refresh_from_db()
    assert item.params == {"per": 3, "levels": ["national", "provincial", "city", "county"]}
    bad = client.post(url, {**data, "params_text": "每项分值=三"})
    assert bad.context["form"].errors["params_text"] == ["“每项分值”须为数字，现为“三”"]
    manual = client.post(url, {**data, "calculator": "", "max_points": ""})
    assert manual.context["form"].errors["max_points"] == ["人工评分的项目须规定最高分"]


def test_the_evaluation_section_counts_places_awards_and_honours(client, world, city_staff):
    rubric = rubric_with(world.city, ("计划", "", {}, 10))
    round_ = services.round_open(org=world.city, year=2024, rubric=rubric, today=date(2025, 3, 1))
    scored = ((world.branch_a, 9), (world.branch_b, 7), (world.branch_g1, 9), (world.general, 5))
    for org, points in scored:
        score = round_.scores.get(org=org)
        services.score_review(score=score, points=Decimal(points), by=city_staff)
    services.round_close(round_=round_, by=city_staff)
    member = make_member(world.branch_g1, name="张敏", start=date(2010, 1, 1))
    on = date(2024, 12, 20)
    services.award_decide(
        award=Award(round=round_, kind="excellent_member", person=member, decided_on=on)
    )
    services.award_decide(
        award=Award(round=round_, kind="advanced_branch", org=world.branch_g1, decided_on=on)
    )
    _honour(member, "provincial", date(2024, 5, 1))
    _honour(member, "city", date(2023, 5, 1))  # another year
    figures = compute(
        scope=Scope(everything=True),
        org=world.general,
        as_of=date(2024, 12, 31),
        period_start=date(2024, 1, 1),
    )
    got = values(figures)
    # The general branch is scored itself, beside its branch G1 (9 and 5 points).
    assert got["branches_scored"] == 2 and got["first_places"] == 1 and got["top_three"] == 1
    assert got["average_total"] == 7.0
    assert got["awards"] == {
        "先进支部": 1,
        "先进集体": 0,
        "优秀会员": 1,
        "优秀会务工作者": 0,
        "其他个人表彰": 0,
    }
    assert got["honours"] == {
        "国家级": 0, "省级": 1, "市级": 0, "县级": 0, "其他": 0, "省级以上": 1
    }  # fmt: skip
    client.force_login(city_staff)
    standings = client.get(figures["first_places"].url).content.decode()
    assert "共 1 个支部次" in standings and "江城大学第二支部" in standings
    assert "共 1 人" in client.get(figures["honours"]["省级"].url).content.decode()
    assert "共 1 项" in client.get(figures["honour_records"]["省级"].url).content.decode()
    assert "共 1 项" in client.get(figures["awards"]["优秀会员"].url).content.decode()
    city = values(
        compute(
            scope=Scope(everything=True),
            org=world.city,
            as_of=date(2024, 12, 31),
            period_start=date(2024, 1, 1),
        )
    )
    assert (city["branches_scored"], city["first_places"], city["average_total"]) == (4, 2, 7.5)


def test_honour_figures_count_people_once_and_records_apart(client, world, city_staff):
    # The seeds count people: "88名会员得到市级表彰，13名会员获得省级以上荣誉称号".
    twice = make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    once = make_member(world.branch_b, name="李强", start=date(2010, 1, 1))
    _honour(twice, "city", date(2024, 3, 8), "三八红旗手")
    _honour(twice, "city", date(2024, 9, 10), "优秀教师")
    _honour(twice, "national", date(2024, 5, 1), "全国劳动模范")
    _honour(once, "provincial", date(2024, 6, 1), "省优秀政协委员")
    figures = compute(
        scope=Scope(everything=True),
        org=world.city,
        as_of=date(2024, 12, 31),
        period_start=date(2024, 1, 1),
    )
    got = values(figures)
    assert got["honours"]["市级"] == 1
    assert got["honours"]["省级以上"] == 2
    assert got["honour_records"]["市级"] == 2
    assert got["honour_records"]["省级以上"] == 2
    client.force_login(city_staff)
    # Each figure's list has exactly that many rows.
    for key, label, shown in (
        ("honours", "市级", "共 1 人"),
        ("honours", "省级以上", "共 2 人"),
        ("honour_records", "市级", "共 2 项"),
    ):
        page = client.get(figures[key][label].url).content.decode()
        assert shown in page, (key, label)
        assert figures[key][label].records.count() == figures[key][label].value


def test_staff_choose_on_the_rubric_page_which_grassroots_nodes_are_scored(
    client, world, city_staff
):
    rubric = rubric_with(world.city, ("计划", "", {}, 10))
    assert rubric.scored_kinds == ["grassroots_committee", "general_branch", "branch"]
    client.force_login(city_staff)
    url = reverse("evaluation:rubric_kinds", args=[rubric.pk])
    page = client.post(url, {"kinds": ["branch", "general_branch"]}, follow=True)
    assert "「测试细则」今后的考评为总支、支部打分" in page.content.decode()
    rubric.refresh_from_db()
    assert rubric.scored_kinds == ["general_branch", "branch"]
    page = client.post(url, {}, follow=True).content.decode()
    assert "参评组织类型须从基层委员会、总支、支部中选择，至少一种" in page
    rubric.refresh_from_db()
    assert rubric.scored_kinds == ["general_branch", "branch"]


def test_awards_and_honours_count_a_member_only_where_the_scope_held_them_that_day(
    world, city_staff
):
    """A member moved from branch A to branch B, then was awarded and honoured. For a user who
    holds only branch A, neither the award nor the honour is one of A's members': the two
    figures apply the scope the same way."""
    rubric = rubric_with(world.city, ("计划", "", {}, 10))
    round_ = services.round_open(org=world.city, year=2024, rubric=rubric, today=date(2025, 3, 1))
    for score in round_.scores.all():
        services.score_review(score=score, points=Decimal(5), by=city_staff)
    services.round_close(round_=round_, by=city_staff)
    member = make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    people_services.membership_transfer(person=member, to_org=world.branch_b, on=date(2024, 6, 1))
    on = date(2024, 12, 20)
    services.award_decide(
        award=Award(round=round_, kind="excellent_member", person=member, decided_on=on)
    )
    _honour(member, "provincial", on)
    window = dict(org=world.city, start=date(2024, 1, 1), end=date(2024, 12, 31))
    only_a = Scope.of([world.branch_a.path])
    assert not selectors.awards_under(scope=only_a, **window).exists()
    assert not selectors.honours_under(scope=only_a, **window).exists()
    whole = Scope(everything=True)
    assert selectors.awards_under(scope=whole, **window).count() == 1
    assert selectors.honours_under(scope=whole, **window).count() == 1
