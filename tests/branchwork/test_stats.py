"""The ``branchwork`` statistics section: every figure drills down to a list of exactly the
records it counts (the list's length equals the figure)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member
from tongxin.branchwork import services
from tongxin.branchwork.models import (
    Activity,
    ActivityKind,
    Adoption,
    AdoptionRung,
    Contribution,
    ContributionKind,
    LiaisonVisit,
)
from tongxin.core import extensions
from tongxin.core.figures import leaves, values
from tongxin.core.scope import Scope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules")]

EVERYTHING = Scope(everything=True)
AS_OF = date(2025, 12, 31)
START = date(2025, 1, 1)


@pytest.fixture
def records(world):
    a = make_member(world.branch_a, name="张敏")
    g = make_member(world.branch_g1, name="周明")
    b = make_member(world.branch_b, name="王芳")
    far = make_member(world.other_branch, name="司马远")
    for org, member, day, kind in (
        (world.branch_a, a, date(2025, 3, 1), ActivityKind.STUDY),
        (world.branch_a, a, date(2025, 9, 1), ActivityKind.STUDY),
        (world.branch_g1, g, date(2025, 5, 1), ActivityKind.SOCIAL_SERVICE),
        (world.branch_b, b, date(2024, 5, 1), ActivityKind.STUDY),  # before the period
        (world.other_branch, far, date(2025, 5, 1), ActivityKind.STUDY),  # another city
    ):
        services.activity_save(
            activity=Activity(org=org, date=day, kind=kind, title="活动"),
            expected=[member.pk],
            present=[member.pk],
            scope=EVERYTHING,
        )
    for org, day in ((world.branch_a, date(2025, 8, 1)), (world.branch_b, date(2025, 2, 1))):
        services.visit_save(visit=LiaisonVisit(org=org, date=day, topics="座谈"))

    def report(author, on, *ladder, kind=ContributionKind.SOCIAL_REPORT):
        c = services.contribution_save(
            contribution=Contribution(kind=kind, title=f"{author.name}的成果", submitted_on=on),
            authors=[author],
            scope=EVERYTHING,
        )
        for rung, day in ladder:
            services.adoption_save(
                adoption=Adoption(contribution=c, rung=rung, on=day, document="文件")
            )
        return c

    report(a, date(2025, 2, 1), (AdoptionRung.CITY, date(2025, 2, 10)),
           (AdoptionRung.NATIONAL_CPPCC, date(2025, 6, 1)))  # fmt: skip
    report(g, date(2024, 11, 1), (AdoptionRung.CITY, date(2025, 1, 15)))
    report(b, date(2025, 4, 1), kind=ContributionKind.ARTICLE)
    report(far, date(2025, 4, 1))


def _section():
    (section,) = [s for s in extensions.get("stats_sections") if s.key == "branchwork"]
    return section


def test_the_section_counts_the_subtree_in_the_period(world, records):
    figures = _section().compute(scope=EVERYTHING, org=world.city, as_of=AS_OF, period_start=START)
    got = values(figures)
    assert got["activities"]["total"] == 3
    assert got["activities"]["by_kind"]["学习"] == 2
    assert got["activities"]["by_kind"]["社会服务"] == 1
    assert got["activities"]["by_kind"]["座谈"] == 0
    assert got["liaison"]["visits"] == 2
    assert got["contributions"]["total"] == 2  # submitted in 2025 (g's was in 2024)
    assert got["contributions"]["by_kind"] == {
        "提案": 0,
        "社情民意信息": 1,
        "大会发言": 0,
        "调研课题": 0,
        "理论文章": 1,
        "宣传信息": 0,
    }
    assert got["contributions"]["by_rung"]["市委会采用"] == 2  # reached in 2025
    assert got["contributions"]["by_rung"]["全国政协采用"] == 1
    # a: submitted 2 + national CPPCC 10; b: an article 3; g's report was submitted in 2024
    assert got["points"]["total"] == 15


def test_every_count_drills_down_to_a_list_of_its_length(client, world, city_staff, records):
    figures = _section().compute(
        scope=Scope.for_user(city_staff),
        org=world.city,
        as_of=AS_OF,
        period_start=START,
    )
    client.force_login(city_staff)
    checked = 0
    for path, figure in leaves(figures):
        assert figure.url, path
        response = client.get(figure.url)
        assert response.status_code == 200, (path, figure.url)
        body = response.content.decode()
        if path[0] == "points":
            # A sum: its page lists the rows it adds up and shows their total.
            shown = response.context["points"].total
        else:
            (count,) = re.findall(r'data-count="(\d+)"', body)
            shown = int(count)
        assert shown == figure.value, (path, figure.url)
        assert figure.records.count() == (figure.value if path[0] != "points" else 2)
        checked += 1
    assert checked == len(list(leaves(figures)))


def test_the_unvisited_figure_is_taken_at_as_of(client, world, city_staff, records):
    figures = _section().compute(
        scope=EVERYTHING, org=world.city, as_of=date(2025, 8, 31), period_start=START
    )
    unvisited = figures["liaison"]["unvisited_branches"]
    # A was visited on 2025-08-01; B, the general branch and G1 not since 1 July.
    assert unvisited.value == 3
    assert set(unvisited.records) == {world.branch_b, world.general, world.branch_g1}
    assert (
        unvisited.url == f"{reverse('branchwork:unvisited')}?org={world.city.pk}&as_of=2025-08-31"
    )


def test_a_scope_reads_only_itself(world, chair_a, records):
    figures = _section().compute(
        scope=Scope.for_user(chair_a), org=world.branch_a, as_of=AS_OF, period_start=START
    )
    got = values(figures)
    assert got["activities"]["total"] == 2
    assert got["contributions"]["total"] == 1
    assert got["points"]["total"] == 12
