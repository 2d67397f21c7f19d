"""The round's pages: starting a round, the ranking, a branch's score sheet with the branch's
own score beside the reviewers', closing, awards — each inside the user's scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.evaluation import services
from tongxin.evaluation.models import Award, EvaluationRound, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(world):
    rubric = rubric_with(
        world.city,
        ("年度工作计划和总结", "", {}, 10),
        ("发展新成员", "new_members", {"per": 4, "bonus": 2}, 20),
    )
    return services.round_open(org=world.city, year=2024, rubric=rubric, today=date(2025, 3, 1))


def _plan(round_, org) -> Score:
    return round_.scores.get(org=org, item__calculator="")


def _ranking(client, round_):
    rows = client.get(reverse("evaluation:round", args=[round_.pk])).context["rows"]
    return [(r["standing"].org.code, r["standing"].total, r["standing"].rank) for r in rows]


def test_staff_start_a_round_for_their_committee(client, world, city_staff):
    rubric = rubric_with(world.city, ("计划", "", {}, 10))
    client.force_login(city_staff)
    response = client.post(
        reverse("evaluation:round_new"),
        {"org": world.city.pk, "year": 2024, "rubric": rubric.pk, "title": ""},
        follow=True,
    )
    assert "已建立「民盟江城市委员会2024年度支部考评」，共 4 个支部参加考评" in (
        response.content.decode()
    )
    again = client.post(
        reverse("evaluation:round_new"), {"org": world.city.pk, "year": 2024, "rubric": rubric.pk}
    )
    assert again.context["form"].errors["year"] == ["「民盟江城市委员会」2024年度的考评已经建立"]
    assert EvaluationRound.objects.count() == 1


def test_a_reviewers_score_moves_a_branch_up_the_ranking(client, world, city_staff, round_):
    make_member(world.branch_b, name="新人", start=date(2024, 5, 1))
    client.force_login(city_staff)
    assert _ranking(client, round_)[0] == ("C1-B", Decimal(4), 1)
    score = _plan(round_, world.branch_g1)
    response = client.post(
        reverse("evaluation:score", args=[score.pk]),
        {"which": "review", "points": "9", "text": "计划总结齐全"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "「年度工作计划和总结」已保存评审分 9 分" in page
    assert 'data-testid="sheet-total">9<' in page
    assert "在民盟江城市委员会2024年度4个支部考评中以总分9分名列第一" in page
    assert _ranking(client, round_)[:2] == [("C1-G1", Decimal(9), 1), ("C1-B", Decimal(4), 2)]


def test_a_score_above_the_maximum_is_refused_on_the_sheet(client, world, city_staff, round_):
    client.force_login(city_staff)
    score = _plan(round_, world.branch_a)
    response = client.post(
        reverse("evaluation:score", args=[score.pk]),
        {"which": "review", "points": "12"},
        HTTP_HX_REQUEST="true",
    )
    assert "「年度工作计划和总结」最高 10 分，评审分 12 超出" in response.content.decode()
    score.refresh_from_db()
    assert score.review_points is None


def test_a_branch_chair_scores_the_own_branch_but_does_not_review_it(
    client, world, chair_a, round_
):
    client.force_login(chair_a)
    sheet = reverse("evaluation:sheet", args=[round_.pk, world.branch_a.pk])
    page = client.get(sheet).content.decode()
    assert "保存自评" in page and "保存评审分" not in page
    assert "在民盟江城市委员会2024年度4个支部考评中" in page
    assert "医药卫生支部" not in page  # nothing of the other branches
    score = _plan(round_, world.branch_a)
    client.post(
        reverse("evaluation:score", args=[score.pk]),
        {"which": "self", "points": "10", "text": "计划和总结已报送"},
    )
    score.refresh_from_db()
    assert (score.self_points, score.evidence) == (10, "计划和总结已报送")
    refused = client.post(
        reverse("evaluation:score", args=[score.pk]), {"which": "review", "points": "10"}
    )
    assert refused.status_code == 403
    assert client.get(reverse("evaluation:round", args=[round_.pk])).status_code == 404
    other = reverse("evaluation:sheet", args=[round_.pk, world.branch_b.pk])
    assert client.get(other).status_code == 404
    index = client.get(reverse("evaluation:index")).content.decode()
    assert "江城大学第一支部 · 评分表" in index


def test_staff_of_a_branch_do_not_review_their_own_branch(client, world, round_):
    staff_a = make_user("staff_a", world.branch_a)
    client.force_login(staff_a)
    score = _plan(round_, world.branch_a)
    response = client.post(
        reverse("evaluation:score", args=[score.pk]), {"which": "review", "points": "10"}
    )
    assert response.status_code == 403


def test_closing_says_what_is_missing_then_freezes(client, world, city_staff, round_):
    client.force_login(city_staff)
    close = reverse("evaluation:close", args=[round_.pk])
    page = client.post(close, follow=True).content.decode()
    assert "尚有人工评分项目未评分：江城大学第一支部「年度工作计划和总结」" in page
    for score in round_.scores.filter(item__calculator=""):
        services.score_review(score=score, points=Decimal(6), by=city_staff)
    page = client.post(close, follow=True).content.decode()
    assert "已定稿，各项得分及其依据已固定" in page
    round_.refresh_from_db()
    assert not round_.is_open


def test_awards_are_decided_on_a_closed_round_and_listed(client, world, city_staff, round_):
    for score in round_.scores.filter(item__calculator=""):
        services.score_review(score=score, points=Decimal(6), by=city_staff)
    services.round_close(round_=round_, by=city_staff)
    make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    client.force_login(city_staff)
    url = reverse("evaluation:award_new", args=[round_.pk])
    client.post(
        url, {"kind": "advanced_branch", "org": world.branch_a.pk, "decided_on": "2025-01-15"}
    )
    response = client.post(
        url,
        {"kind": "excellent_member", "person": "张敏", "decided_on": "2025-01-15"},
        follow=True,
    )
    assert "已评定「优秀成员」：张敏" in response.content.decode()
    unknown = client.post(
        url, {"kind": "excellent_worker", "person": "李四", "decided_on": "2025-01-15"}
    )
    assert (
        "“李四”在 2025-01-15 不是「民盟江城市委员会」及其下级组织的在册成员"
        in (unknown.context["form"].errors["person"][0])
    )
    assert Award.objects.count() == 2
    listed = client.get(
        reverse("evaluation:awards"),
        {"org": world.city.pk, "from": "2025-01-01", "to": "2025-12-31"},
    ).content.decode()
    assert "共 2 项" in listed
    award = Award.objects.get(kind="advanced_branch")
    client.post(reverse("evaluation:award_delete", args=[award.pk]))
    assert Award.objects.count() == 1


def test_a_reader_sees_the_ranking_but_changes_nothing(client, world, round_):
    reader = make_user("reader", world.city, roles=(Role.READER,))
    client.force_login(reader)
    assert client.get(reverse("evaluation:round", args=[round_.pk])).status_code == 200
    assert client.post(reverse("evaluation:close", args=[round_.pk])).status_code == 403
    score = _plan(round_, world.branch_a)
    assert (
        client.post(
            reverse("evaluation:score", args=[score.pk]), {"which": "review", "points": "1"}
        ).status_code
        == 403
    )


def test_another_citys_round_is_not_found(client, world, round_):
    far = make_user("far", world.other_city)
    client.force_login(far)
    assert client.get(reverse("evaluation:round", args=[round_.pk])).status_code == 404
    sheet = reverse("evaluation:sheet", args=[round_.pk, world.branch_a.pk])
    assert client.get(sheet).status_code == 404
    export = reverse("evaluation:export", args=[round_.pk])
    assert client.get(export).status_code == 404
    assert "还没有考评" in client.get(reverse("evaluation:index")).content.decode()
