"""The ``branchwork`` section of the statistics: activities, liaison, contributions, points.

Each figure is counted from the same selector its drill-down list calls, with the same filters
in the list's address, so that the list shows exactly the records counted.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from tongxin.core.figures import Figure, Figures, StatsSection

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
    return f"{reverse(name)}?{urlencode(query)}"


def _by(queryset, field: str, choices, url) -> Figures:
    """One figure per choice, counted in one grouped query over ``queryset``."""
    counts = dict(queryset.order_by().values_list(field).annotate(n=Count("pk", distinct=True)))
    return {
        label: Figure(
            value=counts.get(value, 0),
            records=queryset.filter(**{field: value}),
            url=url(value),
        )
        for value, label in choices
    }


def activity_figures(*, scope, org, period: Period) -> Figures:
    found = selectors.activities(scope=scope, org=org, period=period)
    return {
        "total": Figure(found.count(), found, _url("branchwork:activities", org, period)),
        "by_kind": _by(
            found,
            "kind",
            ActivityKind.choices,
            lambda kind: _url("branchwork:activities", org, period, kind=kind),
        ),
    }


def liaison_figures(*, scope, org, period: Period, as_of: date) -> Figures:
    visits = selectors.visits(scope=scope, org=org, period=period)
    unvisited = selectors.unvisited_branches(scope=scope, org=org, on=as_of)
    return {
        "visits": Figure(visits.count(), visits, _url("branchwork:liaison", org, period)),
        "unvisited_branches": Figure(
            unvisited.count(),
            unvisited,
            _url("branchwork:unvisited", org, as_of=as_of.isoformat()),
        ),
    }


def contribution_figures(*, scope, org, period: Period) -> Figures:
    submitted = selectors.contributions(scope=scope, org=org, period=period)
    reached = Adoption.objects.filter(
        contribution__in=selectors.contributions(scope=scope, org=org)
    ).filter(period.q("on"))
    # A contribution reaches each rung once (a unique constraint), so counting the rungs'
    # adoptions counts contributions.
    rung_counts = dict(reached.order_by().values_list("rung").annotate(n=Count("contribution")))

    def rung_figure(rung: str) -> Figure:
        records = selectors.contributions(scope=scope, org=org, period=period, rung=rung)
        url = _url("branchwork:contributions", org, period, rung=rung)
        return Figure(rung_counts.get(rung, 0), records, url)

    return {
        "total": Figure(
            submitted.count(), submitted, _url("branchwork:contributions", org, period)
        ),
        "by_kind": _by(
            submitted,
            "kind",
            ContributionKind.choices,
            lambda kind: _url("branchwork:contributions", org, period, kind=kind),
        ),
        "by_rung": {label: rung_figure(value) for value, label in AdoptionRung.choices},
    }


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
