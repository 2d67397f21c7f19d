"""What 干部人才 adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core.extensions import Tab, WorkbenchCard

from . import tabs
from .stats import cadres_section
from .training_rule import breaches as post_rule_breaches  # noqa: F401 (a hook)

PERSON_TABS = [
    Tab("cadres", "后备与考核", "cadres/tab_pools.html", tabs.pools_tab),
    Tab("practice", "实践", "cadres/tab_practice.html", tabs.practice_tab),
    Tab("recommendations", "推荐使用", "cadres/tab_recommendations.html", tabs.recommendations_tab),
]

STATS_SECTIONS = [cadres_section]

AUDITED_MODELS = [
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
    ("cadres.Contact", {"m2m_fields": {"people"}}),
]


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


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


def seed_demo(*, root, today, rng) -> list[str]:
    from .demo import seed_demo as seed

    return seed(root=root, today=today, rng=rng)


def reset_demo(*, root) -> None:
    from .demo import reset_demo as reset

    reset(root=root)
