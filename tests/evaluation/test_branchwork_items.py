"""Rubric items over branch work: activities held and the points of the reward rules, read
through branch work's own selectors — a report climbing the ladder moves its branch up."""

from datetime import date
from decimal import Decimal

import pytest

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member
from tongxin.branchwork import services as branchwork
from tongxin.branchwork.models import Activity, Adoption, Contribution
from tongxin.branchwork.points import reward_rules_restore_defaults
from tongxin.core.scope import Scope
from tongxin.evaluation import selectors, services
from tongxin.evaluation.calculators import CALCULATORS, Period, evaluate
from tongxin.evaluation.models import RubricItem

pytestmark = pytest.mark.django_db

EVERYTHING = Scope(everything=True)


@pytest.fixture(autouse=True)
def rules(db):
    reward_rules_restore_defaults()


def _activity(org, on, kind, title="活动"):
    return branchwork.activity_save(
        activity=Activity(org=org, date=on, kind=kind, title=title),
        expected=[],
        present=[],
        scope=EVERYTHING,
    )


def _item(key, cap=None, **params):
    return RubricItem(
        title="测试",
        calculator=key,
        params=CALCULATORS[key].defaults() | params,
        max_points=None if cap is None else Decimal(cap),
    )


def test_activities_of_the_chosen_kinds_count_and_a_short_year_scores_nothing(world):
    _activity(world.branch_a, date(2024, 3, 1), "study", "学习两会精神")
    _activity(world.branch_a, date(2024, 6, 1), "theme", "主题党日")
    _activity(world.branch_a, date(2024, 9, 1), "committee_meeting", "支委会")
    _activity(world.branch_b, date(2024, 4, 1), "study", "读书会")
    _activity(world.branch_a, date(2023, 12, 1), "study", "去年的学习")
    item = _item("activities", per=5, minimum=2, kinds=["study", "theme"])
    branches = [world.branch_a, world.branch_b, world.branch_g1]
    results = evaluate(item, branches, Period.of_year(2024))
    a = results[world.branch_a.pk]
    assert a.points == 10
    assert [line.label for line in a.lines] == [
        "2024-03-01 学习「学习两会精神」",
        "2024-06-01 主题活动「主题党日」",
    ]
    assert a.lines[0].url.startswith("/branchwork/activities/")
    b = results[world.branch_b.pk]
    assert (b.points, b.note) == (0, "少于最低要求 2 项，本项不得分")
    meetings = evaluate(
        _item("activities", per=2, kinds=["committee_meeting"]), branches, Period.of_year(2024)
    )
    assert meetings[world.branch_a.pk].points == 2


def test_a_report_climbing_to_the_national_cppcc_moves_its_branch_up(world, city_staff):
    writer = make_member(world.branch_g1, name="张敏", start=date(2010, 1, 1))
    rubric = rubric_with(
        world.city,
        ("计划总结", "", {}, 10),
        ("参政议政成果", "contribution_points", {}, 60),
    )
    round_ = services.round_open(org=world.city, year=2024, rubric=rubric, today=date(2025, 3, 1))
    for org, points in ((world.branch_a, 9), (world.branch_b, 8), (world.branch_g1, 6)):
        score = round_.scores.get(org=org, item__calculator="")
        services.score_review(score=score, points=Decimal(points), by=city_staff)
    report = branchwork.contribution_save(
        contribution=Contribution(
            kind="social_report", title="关于加强社区养老服务的建议", submitted_on=date(2024, 4, 2)
        ),
        authors=[writer],
        scope=EVERYTHING,
    )
    ranking = selectors.standings(round_=round_)
    assert [(s.org.code, s.total) for s in ranking] == [
        ("C1-A", 9),
        ("C1-B", 8),
        ("C1-G1", 8),  # 6 + 2 for submitting the report
        ("C1-G", 0),  # the general branch above G1 does not count G1's report again
    ]
    branchwork.adoption_save(
        adoption=Adoption(
            contribution=report,
            rung="national_cppcc",
            on=date(2024, 10, 9),
            document="全国政协采用",
        )
    )
    ranking = selectors.standings(round_=round_)
    assert [(s.org.code, s.total, s.rank) for s in ranking][0] == ("C1-G1", Decimal(18), 1)
    g1 = ranking[0].items[rubric.items.get(calculator="contribution_points").pk]
    assert [(line.label, line.points) for line in g1.lines] == [
        ("2024-04-02 社情民意信息「关于加强社区养老服务的建议」报送", 2),
        ("2024-10-09 社情民意信息「关于加强社区养老服务的建议」全国政协采用", 10),
    ]


def test_the_default_rubric_has_every_item_of_the_example(world):
    rubric = services.rubric_create_default(org=world.city)
    assert list(rubric.items.values_list("title", flat=True)) == [
        "年度工作计划和总结",
        "组织活动",
        "支委会",
        "发展新成员",
        "成员信息及时更新",
        "参政议政成果",
        "社会服务活动",
        "成员获地厅级以上表彰",
    ]
