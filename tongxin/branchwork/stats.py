"""The ``branchwork`` section of the statistics: activities, liaison, contributions, points.

Each figure is counted from the same selector its drill-down list calls, with the same filters
in the list's address, so that the list shows exactly the records counted.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from tongxin.core.figures import Figures, StatsSection
from tongxin.core.http import url_with_query
from tongxin.core.tally import Measure, count, tally

from . import points, selectors
from .models import ActivityKind, Adoption, AdoptionRung, ContributionKind
from .selectors import Period

LABELS = {
    "activities": "支部活动",
    "total": "合计",
    "by_kind": "按类型",
    "by_rung": "按采用层级",
    "liaison": "联系基层",
    "visits": "走访次数",
    "unvisited_branches": "本半年未走访的基层组织",
    "contributions": "参政议政成果",
    "points": "奖励积分",
}


def _url(name: str, org, period: Period | None = None, **params) -> str:
    query = {"org": org.pk}
    if period is not None:
        query.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    query.update({k: v for k, v in params.items() if v})
    return url_with_query(name, **query)


def _by_kind(queryset, choices, url: str, org, period: Period) -> Figures:
    """The total and one figure per kind, in one query over ``queryset``."""
    spec = {
        "total": Measure(),
        "by_kind": {label: Measure({"kind": value}) for value, label in choices},
    }
    return tally(
        queryset,
        spec,
        condition=lambda params: Q(**params),
        link=lambda params: _url(url, org, period, **params),
    )


def activity_figures(*, scope, org, period: Period) -> Figures:
    found = selectors.activities(scope=scope, org=org, period=period)
    return _by_kind(found, ActivityKind.choices, "branchwork:activities", org, period)


def liaison_figures(*, scope, org, period: Period, as_of: date) -> Figures:
    visits = selectors.visits(scope=scope, org=org, period=period)
    unvisited = selectors.unvisited_branches(scope=scope, org=org, on=as_of)
    return {
        "visits": count(visits, _url("branchwork:liaison", org, period)),
        "unvisited_branches": count(
            unvisited, _url("branchwork:unvisited", org, as_of=as_of.isoformat())
        ),
    }


def contribution_figures(*, scope, org, period: Period) -> Figures:
    submitted = selectors.contributions(scope=scope, org=org, period=period)
    reached = Adoption.objects.filter(
        contribution__in=selectors.contributions(scope=scope, org=org)
    ).filter(period.q("on"))
    # A contribution reaches each rung once (a unique constraint), so counting the rungs'
    # adoptions counts contributions; their records are the contributions list's.
    by_rung = tally(
        reached,
        {label: Measure({"rung": value}) for value, label in AdoptionRung.choices},
        condition=lambda params: Q(**params),
        link=lambda params: _url("branchwork:contributions", org, period, **params),
        records=lambda params: selectors.contributions(
            scope=scope, org=org, period=period, **params
        ),
    )
    figures = _by_kind(submitted, ContributionKind.choices, "branchwork:contributions", org, period)
    return {**figures, "by_rung": by_rung}


def compute(*, scope, org, as_of: date, period_start: date) -> Figures:
    period = Period(period_start, as_of)
    return {
        "activities": activity_figures(scope=scope, org=org, period=period),
        "liaison": liaison_figures(scope=scope, org=org, period=period, as_of=as_of),
        "contributions": contribution_figures(scope=scope, org=org, period=period),
        "points": {
            "total": points.org_points_between(scope=scope, org=org, period=period).figure()
        },
    }


SECTION = StatsSection(key="branchwork", label="基层建设与参政议政", compute=compute, labels=LABELS)
