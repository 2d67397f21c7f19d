"""A round scores every grassroots node (支部, 总支, 基层委员会) of a subtree: calculated items
follow the records while it is open, reviewers score the manual ones, the branch's own score
stands beside, the ranking adds them up, and closing it freezes every score with the records
behind it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member, make_user
from tongxin.evaluation import selectors, services
from tongxin.evaluation.models import Award, AwardKind, EvaluationRound, Score

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


@pytest.fixture
def rubric(world):
    return rubric_with(
        world.city,
        ("年度工作计划和总结", "", {}, 10),
        ("发展新成员", "new_members", {"per": 4, "bonus": 2}, 20),
    )


@pytest.fixture
def round_(world, rubric):
    return services.round_open(org=world.city, year=2024, rubric=rubric, today=TODAY)


def _sheet(standings, org):
    return next(s for s in standings if s.org == org)


def test_a_round_scores_every_grassroots_node_of_the_subtree(world, round_):
    assert round_.title == "民盟江城市委员会2024年度支部考评"
    orgs = set(Score.objects.filter(round=round_).values_list("org__code", flat=True))
    # The general branch is scored too: seed 001 counts its 高校总支 among the "18个支部".
    assert orgs == {"C1-A", "C1-B", "C1-G", "C1-G1"}
    assert Score.objects.filter(round=round_).count() == 8


def test_a_rubric_may_score_only_some_kinds_of_grassroots_node(world, rubric):
    services.rubric_scored_kinds_save(rubric=rubric, kinds=["general_branch"])
    round_ = services.round_open(org=world.city, year=2024, rubric=rubric, today=TODAY)
    assert set(round_.scores.values_list("org__code", flat=True)) == {"C1-G"}
    with pytest.raises(ValidationError) as exc:
        services.rubric_scored_kinds_save(rubric=rubric, kinds=[])
    assert exc.value.message_dict["scored_kinds"] == [
        "参评组织类型须从基层委员会、总支、支部中选择，至少一种"
    ]
    rubric.refresh_from_db()
    assert rubric.scored_kinds == ["general_branch"]


def test_a_record_counts_for_the_nearest_scored_node_above_it_only(world, round_):
    # A member admitted in branch G1 scores for G1, not again for the general branch above it.
    make_member(world.branch_g1, name="新人", start=date(2024, 5, 1))
    make_member(world.general, name="总支直属", start=date(2024, 6, 1))
    totals = {s.org.code: s.total for s in selectors.standings(round_=round_)}
    assert (totals["C1-G1"], totals["C1-G"], totals["C1-A"]) == (4, 4, 0)


def test_a_general_branch_scored_in_a_round_may_be_named_an_advanced_collective(
    world, round_, city_staff
):
    for score in round_.scores.filter(item__calculator=""):
        services.score_review(score=score, points=Decimal(5), by=city_staff)
    services.round_close(round_=round_, by=city_staff)
    award = services.award_decide(
        award=Award(
            round=round_, kind=AwardKind.ADVANCED_COLLECTIVE, org=world.general,
            decided_on=date(2025, 1, 10),
        )
    )  # fmt: skip
    assert award.org == world.general


@pytest.mark.parametrize(
    "year, field, message",
    [
        (2026, "year", "2026年度尚未开始，不能考评"),
        (2024, "year", "「民盟江城市委员会」2024年度的考评已经建立"),
    ],
)
def test_impossible_rounds_are_refused(world, rubric, round_, year, field, message):
    with pytest.raises(ValidationError) as exc:
        services.round_open(org=world.city, year=year, rubric=rubric, today=TODAY)
    assert exc.value.message_dict[field] == [message]


def test_a_branch_cannot_be_a_round_of_its_own(world, rubric):
    with pytest.raises(ValidationError) as exc:
        services.round_open(org=world.branch_a, year=2024, rubric=rubric, today=TODAY)
    assert exc.value.message_dict["org"] == [
        "「江城大学第一支部」下没有基层委员会、总支、支部，无法按「测试细则」考评"
    ]


def test_the_ranking_adds_calculated_and_reviewed_points_and_ties_share_a_place(
    world, round_, city_staff
):
    make_member(world.branch_b, name="新人", start=date(2024, 5, 1))
    plan = {s.org_id: s for s in round_.scores.filter(item__calculator="")}
    services.score_review(score=plan[world.branch_a.pk], points=Decimal(8), by=city_staff)
    services.score_review(score=plan[world.branch_b.pk], points=Decimal(4), by=city_staff)
    services.score_review(score=plan[world.branch_g1.pk], points=Decimal("9.5"), by=city_staff)
    ranking = selectors.standings(round_=round_)
    assert [(s.org.code, s.total, s.rank) for s in ranking] == [
        ("C1-G1", Decimal("9.5"), 1),
        ("C1-A", Decimal(8), 2),
        ("C1-B", Decimal(8), 2),
        ("C1-G", Decimal(0), 4),  # not reviewed yet
    ]
    assert selectors.ranking_sentence(round_=round_, standing=ranking[0], count=3) == (
        "在民盟江城市委员会2024年度3个支部考评中以总分9.5分名列第一"
    )
    # A new member recorded later moves branch B up while the round is open.
    make_member(world.branch_b, name="又一位", start=date(2024, 11, 1), title_level="2")
    ranking = selectors.standings(round_=round_)
    assert [(s.org.code, s.total, s.rank) for s in ranking][0] == ("C1-B", Decimal(14), 1)


def test_reviewers_score_manual_items_within_their_maximum(world, round_, city_staff):
    plan = round_.scores.get(org=world.branch_a, item__calculator="")
    with pytest.raises(ValidationError) as exc:
        services.score_review(score=plan, points=Decimal(12), by=city_staff)
    assert exc.value.message_dict["points"] == ["「年度工作计划和总结」最高 10 分，评审分 12 超出"]
    computed = round_.scores.get(org=world.branch_a, item__calculator="new_members")
    with pytest.raises(ValidationError) as exc:
        services.score_review(score=computed, points=Decimal(3), by=city_staff)
    assert exc.value.messages == ["「发展新成员」按记录自动计分，不需人工评分"]


def test_the_branch_scores_itself_beside_the_reviewers(world, round_, city_staff):
    plan = round_.scores.get(org=world.branch_a, item__calculator="")
    services.score_self(score=plan, points=Decimal(10), evidence="计划和总结均已报送")
    services.score_review(score=plan, points=Decimal(7), note="总结不够具体", by=city_staff)
    standing = _sheet(selectors.standings(round_=round_), world.branch_a)
    line = standing.items[plan.item_id]
    assert (line.score.self_points, line.points, line.note) == (10, 7, "总结不够具体")
    assert standing.self_total == 10 and standing.total == 7


def test_closing_needs_every_manual_score_and_freezes_the_records(world, round_, city_staff):
    make_member(world.branch_a, name="张敏", start=date(2024, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.round_close(round_=round_, by=city_staff)
    assert exc.value.messages == [
        "尚有人工评分项目未评分：江城大学第一支部「年度工作计划和总结」、医药卫生支部「年度工作计划和总结」、"
        "江城大学总支「年度工作计划和总结」等 4 项，不能定稿"
    ]
    for score in round_.scores.filter(item__calculator=""):
        services.score_review(score=score, points=Decimal(5), by=city_staff)
    services.round_close(round_=round_, by=city_staff)
    round_.refresh_from_db()
    assert round_.status == EvaluationRound.Status.CLOSED
    # Records added after the round closed change nothing in it.
    make_member(world.branch_a, name="李华", start=date(2024, 6, 1))
    standing = _sheet(selectors.standings(round_=round_), world.branch_a)
    computed = next(i for i in standing.items.values() if not i.item.is_manual)
    assert computed.points == 4
    assert [line.label for line in computed.lines] == ["张敏 2024-05-01 入会"]
    with pytest.raises(ValidationError):
        services.score_review(
            score=round_.scores.filter(item__calculator="").first(), points=1, by=city_staff
        )


def _close(round_, by):
    for score in round_.scores.filter(item__calculator=""):
        services.score_review(score=score, points=Decimal(5), by=by)
    return services.round_close(round_=round_, by=by)


def test_awards_go_to_branches_of_the_round_and_members_of_its_subtree(world, round_, city_staff):
    early = Award(round=round_, kind=AwardKind.ADVANCED_BRANCH, org=world.branch_a,
                  decided_on=date(2025, 1, 10))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.award_decide(award=early)
    assert exc.value.message_dict["kind"] == [
        "「民盟江城市委员会2024年度支部考评」定稿后才能评定表彰"
    ]
    _close(round_, city_staff)
    services.award_decide(award=early)
    outsider = make_member(world.other_branch, name="外人")
    member = make_member(world.branch_g1, name="张敏", start=date(2010, 1, 1))
    cases = [
        (Award(round=round_, kind=AwardKind.ADVANCED_BRANCH, org=world.other_branch,
               decided_on=date(2025, 1, 10)), "org",
         "「河城直属支部」没有参加「民盟江城市委员会2024年度支部考评」，不能评为先进支部"),
        (Award(round=round_, kind=AwardKind.EXCELLENT_MEMBER, person=outsider,
               decided_on=date(2025, 1, 10)), "person",
         "外人 在 2025-01-10 不是「民盟江城市委员会」的在册成员"),
        (Award(round=round_, kind=AwardKind.EXCELLENT_MEMBER, decided_on=date(2025, 1, 10)),
         "person", "「优秀会员」须选择受表彰的人员"),
    ]  # fmt: skip
    for award, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.award_decide(award=award)
        assert exc.value.message_dict[field] == [message]
    services.award_decide(
        award=Award(
            round=round_,
            kind=AwardKind.EXCELLENT_MEMBER,
            person=member,
            decided_on=date(2025, 1, 10),
        )  # fmt: skip
    )
    assert Award.objects.count() == 2


def test_a_closed_rubric_is_copied_not_changed(world, round_, rubric, city_staff):
    from tongxin.evaluation.models import RubricItem

    _close(round_, city_staff)
    item = rubric.items.first()
    item.max_points = Decimal(20)
    with pytest.raises(ValidationError) as exc:
        services.rubric_item_save(item=item)
    assert "已定稿的「民盟江城市委员会2024年度支部考评」使用了这份细则" in exc.value.messages[0]
    copy = services.rubric_copy(rubric=rubric, name="2025年细则")
    services.rubric_item_save(
        item=RubricItem(rubric=copy, title="新项目", max_points=Decimal(5), order=9)
    )
    assert copy.items.count() == 3 and rubric.items.count() == 2


def test_an_item_added_to_an_open_rounds_rubric_is_scored_in_it(world, round_, rubric):
    from tongxin.evaluation.models import RubricItem

    services.rubric_item_save(
        item=RubricItem(rubric=rubric, title="社会服务", max_points=Decimal(5), order=3)
    )
    assert round_.scores.filter(item__title="社会服务").count() == 4


def test_the_default_rubric_follows_the_example_of_codes_md(world):
    rubric = services.rubric_create_default(org=world.city)
    titles = list(rubric.items.values_list("title", "calculator"))
    assert ("年度工作计划和总结", "") in titles
    assert ("发展新成员", "new_members") in titles
    assert ("成员获地厅级以上表彰", "honours") in titles
    new_members = rubric.items.get(calculator="new_members")
    assert new_members.params == {"per": 4, "bonus": 2}


def test_a_reviewer_works_for_the_rounds_organization(world, round_):
    from tongxin.core.scope import Scope

    staff_a = make_user("a", world.branch_a)
    assert not selectors.may_review(Scope.for_user(staff_a), round_)
    assert selectors.may_review(Scope.of([world.city.path]), round_)
