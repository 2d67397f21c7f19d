"""The ``cadres`` section of the statistics: pool sizes by kind, level and structure on
``as_of``; entries and exits in the period by source and reason; people used inside and
outside the party in the period; the grade distribution of the last assessment year.

Each figure is counted by the selector of the list it drills down to, with the filters that
list's address carries, so that the list's length equals the figure."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core import codes
from tongxin.core.dates import AGE_BANDS
from tongxin.core.figures import Figure, Figures, StatsSection
from tongxin.core.scope import Scope
from tongxin.core.tally import count

from . import selectors
from .models import (
    Direction,
    EntrySource,
    ExitReason,
    Horizon,
    PoolKind,
    Position,
    RankGroup,
    RecommendationStatus,
)

LABELS = {
    "in_pools": "在库人次",
    "by_kind": "按库类别",
    "by_rank_group": "按层级",
    "by_position": "按正副职",
    "by_horizon": "按使用期",
    "women": "女性",
    "age_bands": "年龄结构",
    "education": "学历结构",
    "entered": "本期入库",
    "entered_by_source": "入库来源",
    "exited": "本期出库",
    "exited_by_reason": "出库原因",
    "used": "本期使用",
    "assessments": "年度考核等次",
    "none": "未分",
}

NONE = "none"


def _query(**params) -> str:
    return urlencode({k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()})


def _entries(scope, org, **filters) -> Figure:
    found = selectors.entry_list(scope=scope, org=org, filters=selectors.EntryFilter(**filters))
    url = f"{reverse('cadres:entries')}?{_query(org=org.pk, **filters)}"
    return count(found, url)


def _level_breakdown(scope, org, as_of, field, choices) -> Figures:
    figures = {label: _entries(scope, org, on=as_of, **{field: value}) for value, label in choices}
    figures[NONE] = _entries(scope, org, on=as_of, **{field: NONE})
    return figures


def _used(scope, org, start, end, **filters) -> Figure:
    recommendation_filters = selectors.RecommendationFilter(
        appointed_from=start, appointed_to=end, **filters
    )
    found = selectors.recommendation_list(scope=scope, org=org, filters=recommendation_filters)
    query = _query(
        org=org.pk,
        status=RecommendationStatus.APPOINTED,
        appointed_from=start,
        appointed_to=end,
        **filters,
    )
    return count(found, f"{reverse('cadres:recommendations')}?{query}")


def _assessments(scope, org, year, as_of, grade) -> Figure:
    filters = selectors.AssessmentFilter(year=year, grade=grade, cadres_on=as_of)
    found = selectors.assessment_list(scope=scope, org=org, filters=filters)
    query = _query(org=org.pk, year=year, grade=grade, cadres_on=as_of)
    return count(found, f"{reverse('cadres:assessments')}?{query}")


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    year = selectors.assessment_year(as_of)
    return {
        "in_pools": _entries(scope, org, on=as_of),
        "by_kind": {label: _entries(scope, org, on=as_of, kind=v) for v, label in PoolKind.choices},
        "by_rank_group": _level_breakdown(scope, org, as_of, "rank_group", RankGroup.choices),
        "by_position": _level_breakdown(scope, org, as_of, "position", Position.choices),
        "by_horizon": _level_breakdown(scope, org, as_of, "horizon", Horizon.choices),
        "women": _entries(scope, org, on=as_of, gender=codes.Gender.FEMALE),
        "age_bands": {
            label: _entries(scope, org, on=as_of, age_band=label) for label, _y, _o in AGE_BANDS
        },
        "education": {
            group: _entries(scope, org, on=as_of, education=group)
            for group in codes.EDUCATION_GROUPS
        },
        "entered": _entries(scope, org, started_from=period_start, started_to=as_of),
        "entered_by_source": {
            label: _entries(scope, org, started_from=period_start, started_to=as_of, source=v)
            for v, label in EntrySource.choices
        },
        "exited": _entries(scope, org, ended_from=period_start, ended_to=as_of),
        "exited_by_reason": {
            label: _entries(scope, org, ended_from=period_start, ended_to=as_of, exit_reason=v)
            for v, label in ExitReason.choices
        },
        "used": {
            "内用": _used(scope, org, period_start, as_of, direction=Direction.INTERNAL),
            "外举": _used(scope, org, period_start, as_of, direction=Direction.EXTERNAL),
            "实职安排": _used(scope, org, period_start, as_of, post_kind=codes.PostKind.GOVERNMENT),
            "政治安排": _used(scope, org, period_start, as_of, post_kind=codes.PostKind.POLITICAL),
        },
        "assessments": {
            label: _assessments(scope, org, year, as_of, value)
            for value, label in codes.AssessmentGrade.choices
        },
    }


cadres_section = StatsSection(key="cadres", label="干部人才", compute=compute, labels=LABELS)
