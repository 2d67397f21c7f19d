"""The calculators: each lists, per branch, the records that earn points in the year."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_member
from tongxin.core.codes import PostKind
from tongxin.evaluation.calculators import CALCULATORS, Period, evaluate, parse_params
from tongxin.evaluation.models import RubricItem
from tongxin.people import services as people_services
from tongxin.people.models import Honor, Post

pytestmark = pytest.mark.django_db

YEAR = Period.of_year(2024)


def _item(calculator, cap=None, **params):
    return RubricItem(
        title="测试项目",
        calculator=calculator,
        params=CALCULATORS[calculator].defaults() | params,
        max_points=None if cap is None else Decimal(cap),
    )


def _branches(world):
    return [world.branch_a, world.branch_b, world.branch_g1]


def test_new_members_earn_points_and_a_bonus_for_seniority(world):
    make_member(world.branch_a, name="普通", start=date(2024, 3, 1))
    make_member(world.branch_a, name="教授", title_level="1", start=date(2024, 4, 1))
    make_member(world.branch_a, name="博士", degree="2", start=date(2024, 5, 1))
    chief = make_member(world.branch_b, name="处长", start=date(2024, 6, 1))
    Post.objects.create(
        person=chief, kind=PostKind.GOVERNMENT, title="处长", rank="131", start=date(2020, 1, 1)
    )
    make_member(world.branch_a, name="去年", start=date(2023, 12, 31))
    moved = make_member(world.other_branch, name="转入", start=date(2020, 1, 1))
    people_services.membership_transfer(person=moved, to_org=world.branch_a, on=date(2024, 7, 1))

    results = evaluate(_item("new_members"), _branches(world), YEAR)
    a = results[world.branch_a.pk]
    assert a.points == Decimal("16.0")  # 4 + 6 + 6
    assert [line.label for line in a.lines] == [
        "普通 2024-03-01 入会",
        "教授 2024-04-01 入会（正高级职称，加2分）",
        "博士 2024-05-01 入会（博士学位，加2分）",
    ]
    assert [line.points for line in a.lines] == [4, 6, 6]
    assert a.lines[0].url.startswith("/people/")
    b = results[world.branch_b.pk]
    assert (b.points, b.lines[0].label) == (
        Decimal("6.0"),
        "处长 2024-06-01 入会（副处级以上职务，加2分）",
    )
    assert results[world.branch_g1.pk].points == 0


def test_the_cap_limits_an_item_and_says_so(world):
    for i in range(4):
        make_member(world.branch_a, name=f"新{i}", start=date(2024, 3, 1 + i))
    result = evaluate(_item("new_members", cap=10), _branches(world), YEAR)[world.branch_a.pk]
    assert result.points == Decimal("10.0")
    assert len(result.lines) == 4
    assert result.note == "封顶 10 分"


def test_honours_count_members_honoured_at_the_chosen_levels_in_the_year(world):
    person = make_member(world.branch_g1, name="张敏", start=date(2015, 1, 1))
    later = make_member(world.branch_b, name="李华", start=date(2024, 9, 1))
    for who, level, on in (
        (person, "city", date(2024, 3, 8)),
        (person, "county", date(2024, 5, 4)),  # below the levels counted
        (person, "national", date(2023, 12, 1)),  # another year
        (later, "provincial", date(2024, 6, 1)),  # before joining
    ):
        Honor.objects.create(
            person=who, title="优秀政协委员", level=level, conferred_by="政协", conferred_on=on
        )
    results = evaluate(_item("honours"), _branches(world), YEAR)
    g1 = results[world.branch_g1.pk]
    assert g1.points == Decimal("5.0")
    assert g1.lines[0].label == "张敏 2024-03-08 获市级「优秀政协委员」（政协）"
    assert results[world.branch_b.pk].points == 0


def test_data_updates_score_the_share_of_members_whose_records_changed_this_year(world):
    year = Period.of_year(timezone.localdate().year)
    for i in range(4):
        make_member(world.branch_a, name=f"成员{i}", start=date(2015, 1, 1))
    # Records made this year are in this year's audit log: everyone in branch A is updated.
    result = evaluate(_item("data_updates"), _branches(world), year)[world.branch_a.pk]
    assert result.points == Decimal("3.0")
    assert "年末在册 4 人，本年度有资料更新记录 4 人（100.0%" in result.note
    last_year = Period.of_year(timezone.localdate().year - 1)
    stale = evaluate(_item("data_updates"), _branches(world), last_year)[world.branch_a.pk]
    assert stale.points == 0
    assert [line.label for line in stale.lines][0] == "成员0 本年度无资料更新记录"


def test_a_share_below_the_standard_scores_in_proportion(world):
    year = Period.of_year(timezone.localdate().year)
    for i in range(4):
        make_member(world.branch_a, name=f"成员{i}", start=date(2015, 1, 1))
    result = evaluate(_item("data_updates", min_share=100, points=3), _branches(world), year)
    assert result[world.branch_a.pk].points == Decimal("3.0")
    # Nobody in branch B: nothing to share.
    assert result[world.branch_b.pk].points == 0


def test_parameters_are_data_checked_in_chinese():
    honours = CALCULATORS["honours"]
    params, errors = parse_params(honours, "每项分值=6\n计分级别=国家级、省级")
    assert errors == [] and params == {"per": 6, "levels": ["national", "provincial"]}
    _, errors = parse_params(honours, "每项分值=很多\n计分级别=宇宙级\n颜色=红")
    assert errors == [
        "第2行：“宇宙级”不是计分级别的可选值",
        "第3行：“颜色=红”应写成“名称=值”，名称为 每项分值、计分级别 之一",
    ]
    _, errors = parse_params(honours, "每项分值=-1")
    assert errors == ["“每项分值”不能为负数"]
