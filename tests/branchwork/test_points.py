"""Reward points: the rubric as data, added up the ladder, each rung in the year it was reached;
a member's and a branch's points with what earned them."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.branchwork import points, services
from tongxin.branchwork.models import (
    Adoption,
    AdoptionRung,
    Contribution,
    ContributionKind,
    RewardRule,
)
from tongxin.core.scope import Scope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules")]

EVERYTHING = Scope(everything=True)
R = AdoptionRung


def _report(authors=(), orgs=(), *, on=date(2025, 3, 1), kind=ContributionKind.SOCIAL_REPORT, **kw):
    return services.contribution_save(
        contribution=Contribution(
            kind=kind, title=kw.pop("title", "社情民意一则"), submitted_on=on, **kw
        ),
        authors=authors,
        author_orgs=orgs,
        scope=EVERYTHING,
    )


def _climb(contribution, *steps):
    for rung, on in steps:
        services.adoption_save(
            adoption=Adoption(contribution=contribution, rung=rung, on=on, document=f"{rung}文件")
        )


def test_the_default_rules_are_the_example_rubric_of_codes_md():
    rules = {(r.kind, r.rung): r.points for r in RewardRule.objects.filter(year=2000)}
    assert rules == {
        ("proposal", ""): 4,
        ("proposal", "collective"): 3,
        ("proposal", "key"): 10,
        ("proposal", "centre"): 15,
        ("social_report", ""): 2,
        ("social_report", "province"): 3,
        ("social_report", "centre"): 5,
        ("social_report", "national_cppcc"): 10,
        ("social_report", "instruction_province"): 10,
        ("social_report", "instruction_national"): 20,
        ("article", ""): 3,
    }


def test_a_report_reaching_the_national_cppcc_adds_up_every_rung(world):
    member = make_member(world.branch_a, name="张敏")
    report = _report([member])
    _climb(
        report,
        (R.CITY, date(2025, 3, 10)),
        (R.PROVINCE, date(2025, 4, 1)),
        (R.CENTRE, date(2025, 5, 1)),
        (R.NATIONAL_CPPCC, date(2025, 7, 1)),
    )
    earned = points.branch_points(scope=EVERYTHING, org=world.branch_a, year=2025)
    # submitted 2, city 0 (not in the rubric), province 3, centre 5, national CPPCC 10
    assert earned.total == 20
    assert [(r.label, r.points) for r in earned.rows] == [
        ("全国政协采用", 10),
        ("党派中央采用", 5),
        ("省委会或统战部采用", 3),
        ("报送", 2),
    ]
    assert points.member_points(scope=EVERYTHING, person=member, year=2025).total == 20


def test_each_rung_counts_in_the_year_it_was_reached(world):
    member = make_member(world.branch_a, name="张敏")
    report = _report([member], on=date(2024, 12, 20))
    _climb(report, (R.CENTRE, date(2025, 2, 1)))
    assert points.branch_points(scope=EVERYTHING, org=world.branch_a, year=2024).total == 2
    in_2025 = points.branch_points(scope=EVERYTHING, org=world.branch_a, year=2025)
    assert in_2025.total == 5
    assert [r.contribution for r in in_2025.rows] == [report]


def test_a_rule_for_a_later_year_changes_that_year_and_after_only(world):
    RewardRule.objects.create(year=2025, kind="social_report", rung="", points=4)
    member = make_member(world.branch_a, name="张敏")
    _report([member], on=date(2024, 6, 1))
    _report([member], on=date(2025, 6, 1))
    _report([member], on=date(2026, 1, 5))
    totals = [
        points.member_points(scope=EVERYTHING, person=member, year=y).total
        for y in (2024, 2025, 2026)
    ]
    assert totals == [2, 4, 4]


def test_a_rule_set_to_zero_stops_the_points(world):
    RewardRule.objects.create(year=2025, kind="article", rung="", points=0)
    member = make_member(world.branch_a, name="张敏")
    _report([member], on=date(2025, 6, 1), kind=ContributionKind.ARTICLE)
    earned = points.member_points(scope=EVERYTHING, person=member, year=2025)
    assert (earned.total, earned.rows) == (0, [])


def test_a_branch_counts_a_contribution_once_and_co_signers_earn_nothing(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    zhao = make_member(world.branch_b, name="赵强")
    proposal = services.contribution_save(
        contribution=Contribution(
            kind=ContributionKind.PROPOSAL,
            title="关于加强养老服务的提案",
            submitted_on=date(2025, 3, 1),
        ),
        authors=[zhang, wang],
        co_signers=[zhao],
        scope=EVERYTHING,
    )
    _climb(proposal, (R.KEY, date(2025, 4, 1)))
    assert points.branch_points(scope=EVERYTHING, org=world.branch_a, year=2025).total == 14
    assert points.member_points(scope=EVERYTHING, person=zhang, year=2025).total == 14
    assert points.member_points(scope=EVERYTHING, person=wang, year=2025).total == 14
    assert points.member_points(scope=EVERYTHING, person=zhao, year=2025).total == 0
    assert points.branch_points(scope=EVERYTHING, org=world.branch_b, year=2025).total == 0


def test_a_collective_proposal_earns_for_its_branch_and_the_committee_above(world):
    proposal = _report(orgs=[world.branch_g1], kind=ContributionKind.PROPOSAL, is_collective=True)
    _climb(proposal, (R.COLLECTIVE, date(2025, 3, 20)))
    for org in (world.branch_g1, world.general, world.city):
        assert points.branch_points(scope=EVERYTHING, org=org, year=2025).total == 7
    assert points.branch_points(scope=EVERYTHING, org=world.branch_a, year=2025).total == 0


def test_points_read_only_what_the_scope_holds(world):
    member = make_member(world.branch_b, name="王芳")
    _report([member])
    scope_a = Scope.of([world.branch_a.path])
    assert points.branch_points(scope=scope_a, org=world.city, year=2025).total == 0
    assert points.branch_points(scope=EVERYTHING, org=world.city, year=2025).total == 2


def test_the_points_figure_lists_the_contributions_it_is_summed_over(world):
    member = make_member(world.branch_a, name="张敏")
    first = _report([member], title="第一则")
    second = _report([member], title="第二则", on=date(2025, 5, 1))
    _report([member], title="去年的", on=date(2024, 5, 1))
    figure = points.branch_points(scope=EVERYTHING, org=world.branch_a, year=2025).figure()
    assert figure.value == 4
    assert set(figure.records) == {first, second}
    assert figure.url.endswith(f"?org={world.branch_a.pk}&year=2025")
    assert not figure.is_count  # a sum: its list adds up to it, it does not have that many rows


def test_the_system_administrator_changes_a_rule_in_the_back_office(client, world):
    member = make_member(world.branch_a, name="张敏")
    _report([member])
    rule = RewardRule.objects.get(year=2000, kind="social_report", rung="")
    client.force_login(make_user("sys", roles=[Role.SYSTEM_ADMIN]))
    url = reverse("admin:branchwork_rewardrule_change", args=[rule.pk])
    assert client.get(reverse("admin:branchwork_rewardrule_changelist")).status_code == 200
    response = client.post(
        url, {"year": 2000, "kind": "social_report", "rung": "", "points": 6, "note": "调整"}
    )
    assert response.status_code == 302
    assert points.member_points(scope=EVERYTHING, person=member, year=2025).total == 6


def test_business_users_do_not_change_the_rules(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("admin:branchwork_rewardrule_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_points_page_shows_the_rules_in_force(client, world, city_staff):
    RewardRule.objects.create(year=2025, kind="article", rung="", points=5)
    client.force_login(city_staff)
    page = client.get(reverse("branchwork:points"), {"org": world.city.pk, "year": 2025})
    assert ("理论文章", "报送", 5) in page.context["rules"]
    assert ("社情民意信息", "全国政协采用", 10) in page.context["rules"]
    earlier = client.get(reverse("branchwork:points"), {"org": world.city.pk, "year": 2024})
    assert ("理论文章", "报送", 3) in earlier.context["rules"]
