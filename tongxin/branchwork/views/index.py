"""基层建设: the index page of branch building for the chosen organization's subtree."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.http import no_scope
from tongxin.orgs.http import org_param
from tongxin.terms import selectors as terms

from .. import selectors
from ..models import ActivityKind
from ..selectors import Period, half_year_start
from .common import may_record_activities, picker

RECENT = 8


@scope_required(Cap.VIEW)
def index(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, "branchwork", "基层建设")
    on = timezone.localdate()
    half = Period(half_year_start(on), on)
    year = Period(on.replace(month=1, day=1), on)
    this_year = selectors.activities(scope=request.scope, org=org, period=year)
    counts = dict(this_year.order_by().values_list("kind").annotate(n=Count("pk")))
    return render(
        request,
        "branchwork/index.html",
        {
            "org": org,
            "orgs": picker(request, org),
            "on": on,
            "half": half,
            "year": year,
            "assignments": selectors.active_assignments(scope=request.scope, org=org, on=on)
            .values("org")
            .distinct()
            .count(),
            "branches": selectors.branches(scope=request.scope, org=org, on=on).count(),
            "unvisited": selectors.unvisited_branches(scope=request.scope, org=org, on=on).count(),
            "visits_half": selectors.visits(scope=request.scope, org=org, period=half).count(),
            "recent_visits": list(selectors.visits(scope=request.scope, org=org)[:5]),
            "activities_year": sum(counts.values()),
            "by_kind": [
                (value, label, counts.get(value, 0)) for value, label in ActivityKind.choices
            ],
            "recent_activities": list(this_year[:RECENT]),
            "terms_current": terms.current_terms(scope=request.scope, org=org, on=on).count(),
            "terms_due_soon": terms.due_soon(scope=request.scope, org=org, on=on).count(),
            "terms_overdue": terms.overdue(scope=request.scope, org=org, on=on).count(),
            "may_record": may_record_activities(request.scope),
            "may_change": request.scope.can(Cap.CHANGE),
            "nav_active": "branchwork",
        },
    )
