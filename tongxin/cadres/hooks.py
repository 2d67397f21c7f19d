"""What 干部人才 adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from tongxin.core import extensions
from tongxin.core.extensions import Tab, WorkbenchCard
from tongxin.core.http import url_with_query

from . import tabs
from .nonparty_stats import non_party_section
from .roster_sheet import ENTRY_SHEET
from .stats import cadres_section
from .training_rule import breaches

# The person file's tabs in the order of UI.md: 后备与考核, 培训, 实践, 表彰, 参政议政, then the
# others (tongxin.core.extensions).
extensions.register(
    "person_tabs", Tab("cadres", "后备与考核", "cadres/tab_pools.html", tabs.pools_tab), order=10
)
extensions.register(
    "person_tabs", Tab("practice", "实践", "cadres/tab_practice.html", tabs.practice_tab), order=30
)
extensions.register(
    "person_tabs",
    Tab("recommendations", "推荐使用", "cadres/tab_recommendations.html", tabs.recommendations_tab),
    order=70,
)

extensions.register("stats_sections", cadres_section, order=65)
extensions.register("stats_sections", non_party_section, order=66)
# The roster workbook's sheet 入库名单 (ROSTER_TEMPLATE.md).
extensions.register("roster_sheets", ENTRY_SHEET, order=10)
# 不培训不上岗 wherever a post or a seat is created (people, terms, the recommendations).
extensions.register("post_rule_breaches", breaches, order=10)

extensions.register(
    "audited_models",
    [
        "cadres.TalentPool",
        "cadres.PoolLevel",
        "cadres.PoolEntry",
        "cadres.PoolReview",
        "cadres.PoolCandidate",
        "cadres.Talk",
        "cadres.Opinion",
        "cadres.Vote",
        "cadres.AnnualAssessment",
        "cadres.PracticeAssignment",
        "cadres.RecommendationStep",
        "cadres.Recommendation",
        "cadres.RecommendationEvent",
        "cadres.NonPartyPlan",
        "cadres.NonPartyTarget",
        ("cadres.Contact", {"m2m_fields": {"people"}}),
    ],
    order=70,
)


def _url(name: str, **query) -> str:
    return url_with_query(name, **query)


@extensions.register("workbench_cards", order=70)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Assessments missing for last year, people past a pool's age limit, recommendations
    waiting: each card opens the list it counts."""
    from . import selectors
    from .models import RecommendationStatus

    year = selectors.assessment_year(on)
    missing = selectors.missing_assessments(scope=scope, org=org, year=year, on=on).count()
    over_age = selectors.entry_list(
        scope=scope, org=org, filters=selectors.EntryFilter(on=on, over_age=True)
    ).count()
    waiting = selectors.recommendation_list(
        scope=scope,
        org=org,
        filters=selectors.RecommendationFilter(status=RecommendationStatus.IN_PROGRESS),
    ).count()
    cards = []
    if missing:
        cards.append(
            WorkbenchCard(
                title=f"{year}年度考核未录入",
                count=missing,
                url=_url("cadres:assessments_missing", org=org.pk, year=year),
                icon="bi-clipboard-check",
                tone="warning",
                note="人才库在库人员",
            )
        )
    if over_age:
        cards.append(
            WorkbenchCard(
                title="超过入库年龄",
                count=over_age,
                url=_url("cadres:entries", org=org.pk, on=on.isoformat(), over_age=1),
                icon="bi-hourglass-bottom",
                tone="warning",
                note="年终动态管理时研究出库或保留",
            )
        )
    if waiting:
        cards.append(
            WorkbenchCard(
                title="推荐待办",
                count=waiting,
                url=_url(
                    "cadres:recommendations", org=org.pk, status=RecommendationStatus.IN_PROGRESS
                ),
                icon="bi-person-up",
            )
        )
    return cards


@extensions.register("workbench_cards", order=71)
def non_party_card(*, scope, org, on) -> list[WorkbenchCard]:
    """The department's non-party cadres and talents on file: the card opens the list."""
    from . import nonparty

    files = nonparty.files(scope=scope, org=org, on=on).count()
    if not files:
        return []
    leaders = nonparty.nonparty_list(
        scope=scope, org=org, filters=nonparty.NonPartyFilter(on=on, rank_group="县处级")
    ).count()
    return [
        WorkbenchCard(
            title="党外干部和人才档案",
            count=files,
            url=_url("cadres:nonparty", org=org.pk, on=on.isoformat()),
            icon="bi-people",
            note=f"其中县处级实职 {leaders} 名；各项统计见统计分析“党外干部”",
        )
    ]


@extensions.register("seed_demo", order=70)
def seed_demo(*, root, today, rng) -> list[str]:
    from .demo import seed_demo as seed

    return seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=70)
def reset_demo(*, root) -> None:
    from .demo import reset_demo as reset

    reset(root=root)


@extensions.register("seed_demo", order=75)
def seed_united_front(*, root, today, rng) -> list[str]:
    """A district 区委统战部 beside the democratic-party demo (issue 19)."""
    from .unitedfront_demo import seed_demo as seed

    return seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=75)
def reset_united_front(*, root) -> None:
    from .unitedfront_demo import reset_demo as reset

    reset(root=root)
