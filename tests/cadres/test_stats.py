"""The ``cadres`` statistics section: every figure counts what its drill-down list shows."""

import re
from datetime import date

import pytest

from tests.cadres.conftest import enter, make_pool
from tests.factories import make_member
from tongxin.cadres import services
from tongxin.cadres.models import (
    AnnualAssessment,
    PoolKind,
    PoolLevel,
    Position,
    RankGroup,
    Recommendation,
)
from tongxin.cadres.stats import cadres_section
from tongxin.core.codes import AdminRank, AssessmentGrade, PostKind
from tongxin.core.figures import leaves, values
from tongxin.core.scope import Scope
from tongxin.people.models import Post

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 12, 31)
PERIOD = date(2025, 1, 1)


@pytest.fixture
def data(world, reserve):
    level = services.pool_level_save(
        level=PoolLevel(pool=reserve, rank_group=RankGroup.DIVISION, position=Position.DEPUTY)
    )
    talent = make_pool(world.city, name="专业人才库", kind=PoolKind.TALENT)
    branch_pool = make_pool(world.branch_b, name="医卫支部人才", kind=PoolKind.TALENT)
    a = make_member(
        world.branch_a, name="甲", gender="2", birth_date=date(1990, 1, 1), education="14"
    )
    b = make_member(world.branch_a, name="乙", birth_date=date(1982, 1, 1), education="21")
    c = make_member(world.branch_b, name="丙", birth_date=date(1970, 1, 1))
    far = make_member(world.other_branch, name="远")
    enter(reserve, a, on=date(2024, 5, 1), level=level)
    entry_b = enter(reserve, b, on=date(2025, 2, 1), level=level, source="survey")
    enter(talent, b, on=date(2025, 3, 1), source="unit")
    enter(branch_pool, c, on=date(2025, 4, 1))
    services.pool_entry_end(entry=entry_b, on=date(2025, 10, 1), reason="promoted")
    enter(make_pool(world.other_city, name="河城库"), far, on=date(2025, 3, 1))
    for person, grade in ((a, "excellent"), (b, "basically_competent"), (c, "qualified")):
        services.assessment_save(assessment=AnnualAssessment(person=person, year=2025, grade=grade))
    recommendation = services.recommendation_create(
        recommendation=Recommendation(
            owner=world.city,
            person=b,
            direction="external",
            post_kind=PostKind.GOVERNMENT,
            title="副区长",
            unit="江城市江南区人民政府",
            rank=AdminRank.DIVISION_DEPUTY,
            started_on=date(2025, 6, 1),
        )
    )
    # Straight to appointment: the steps are data, and this test is about counting.
    from tongxin.cadres.models import RecommendationStatus

    recommendation.post = Post.objects.create(
        person=b,
        kind=PostKind.GOVERNMENT,
        title="副区长",
        unit="江城市江南区人民政府",
        rank=AdminRank.DIVISION_DEPUTY,
        start=date(2025, 9, 30),
    )
    recommendation.status = RecommendationStatus.APPOINTED
    recommendation.save()
    return {"a": a, "b": b, "c": c}


def _compute(world, scope=None):
    section = cadres_section
    return section.compute(
        scope=scope or Scope(everything=True), org=world.city, as_of=AS_OF, period_start=PERIOD
    )


def test_the_section_counts_pools_flows_use_and_grades(world, data):
    figures = values(_compute(world))
    assert figures["in_pools"] == 3  # 甲 in the reserve, 乙 in the talent pool, 丙 in B's pool
    assert figures["by_kind"]["后备干部"] == 1 and figures["by_kind"]["专业人才库"] == 2
    assert figures["by_rank_group"]["县处级"] == 1 and figures["by_rank_group"]["none"] == 2
    assert figures["women"] == 1
    assert figures["age_bands"]["35岁及以下"] == 1 and figures["age_bands"]["51至60岁"] == 1
    assert figures["education"]["研究生"] == 1
    assert figures["entered"] == 3 and figures["entered_by_source"]["调查发现"] == 1
    assert figures["exited"] == 1 and figures["exited_by_reason"]["提拔使用"] == 1
    assert figures["used"] == {"内用": 0, "外举": 1, "实职安排": 1, "政治安排": 0}
    # 2025's grades of those in a pool at the end of 2025 (乙 left the reserve, stays in talent).
    assert figures["assessments"]["优秀"] == 1
    assert figures["assessments"]["基本称职"] == 1
    assert figures["assessments"]["合格"] == 1
    assert list(figures["assessments"]) == list(AssessmentGrade.labels)


def test_a_branch_scope_counts_only_its_own(world, data):
    figures = values(_compute(world, Scope.of([world.branch_b.path])))
    assert figures["in_pools"] == 1 and figures["entered"] == 1


# The one marker of a list's length, which the statistics' drill-down test reads too.
_TOTAL = re.compile(r'data-count="(\d+)"')


def test_every_figure_equals_the_length_of_its_list(client, world, data, admin_user):
    client.force_login(admin_user)
    checked = 0
    for path, figure in leaves(_compute(world)):
        assert figure.url, path
        page = client.get(figure.url)
        assert page.status_code == 200, (path, figure.url)
        found = _TOTAL.search(page.content.decode())
        assert found, (path, figure.url)
        assert int(found.group(1)) == figure.value == figure.records.count(), (path, figure.url)
        checked += 1
    assert checked > 40
