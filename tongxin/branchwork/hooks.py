"""What branch work adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.core.extensions import Tab, WorkbenchCard
from tongxin.core.http import url_with_query

from . import points, selectors, stats
from .demo import reset_demo, seed_demo
from .models import ActivityKind
from .selectors import Period, half_year_start
from .views.common import may_record_activities

# Liaison, activities, contributions and the reward rules are records of people and of decisions.
# An activity's attendance is written in bulk and logged on the activity (services.activity_save).
extensions.register(
    "audited_models",
    [
        "branchwork.LiaisonAssignment",
        "branchwork.LiaisonVisit",
        "branchwork.Activity",
        "branchwork.ActivityPhoto",
        "branchwork.Contribution",
        "branchwork.ContributionAuthor",
        "branchwork.Adoption",
        "branchwork.RewardRule",
    ],
    order=50,
)


@extensions.register("workbench_cards", order=50)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Branches not visited this half-year, for the staff and leaders who liaise."""
    if not (scope.can(Cap.CHANGE) or scope.can(Cap.DASHBOARD)):
        return []
    count = selectors.unvisited_branches(scope=scope, org=org, on=on).count()
    if not count:
        return []
    return [
        WorkbenchCard(
            title="本半年未走访的基层组织",
            count=count,
            url=url_with_query("branchwork:unvisited", org=org.pk),
            icon="bi-signpost-2",
            tone="warning",
            note=f"自 {half_year_start(on):%Y-%m-%d} 起没有走访记录",
        )
    ]


RECENT = 20


def _org_activities(request, org) -> dict:
    today = timezone.localdate()
    years = [today.year, today.year - 1]
    found = selectors.activities(scope=request.scope, org=org)
    counts = defaultdict(dict)
    for year in years:
        rows = (
            found.filter(Period.of_year(year).q("date"))
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
        counts[year] = dict(rows)
    recent = list(found[:RECENT])
    attendance = selectors.attendance_counts(a.pk for a in recent)
    return {
        "tab_years": years,
        "tab_by_kind": [
            (label, [counts[y].get(value, 0) for y in years])
            for value, label in ActivityKind.choices
        ],
        "tab_totals": [sum(counts[y].values()) for y in years],
        "tab_activities": [(a, *attendance.get(a.pk, (0, 0))) for a in recent],
        "tab_may_record": may_record_activities(request.scope),
    }


def _org_liaison(request, org) -> dict:
    on = timezone.localdate()
    return {
        "tab_assignments": list(selectors.assignments(scope=request.scope, org=org)),
        "tab_visits": list(selectors.visits(scope=request.scope, org=org)[:RECENT]),
        "tab_on": on,
        "tab_may_change": request.scope.can(Cap.CHANGE),
    }


def _person_contributions(request, person, until=None) -> dict:
    found = selectors.person_contributions(scope=request.scope, person=person)
    period = Period()
    if until is not None:
        found = found.filter(submitted_on__lt=until)
        period = Period(end=until - timedelta(days=1))
    earned = points.member_points_between(scope=request.scope, person=person, period=period)
    by_year = defaultdict(int)
    for row in earned.rows:
        by_year[row.on.year] += row.points
    return {
        "tab_contributions": selectors.with_authors_and_ladder(found),
        "tab_points_by_year": sorted(by_year.items(), reverse=True),
        "tab_points_total": earned.total,
    }


extensions.register(
    "org_tabs", Tab("liaison", "联系人", "branchwork/tabs/org_liaison.html", _org_liaison), order=30
)
extensions.register(
    "org_tabs",
    Tab("activities", "活动", "branchwork/tabs/org_activities.html", _org_activities),
    order=40,
)
extensions.register(
    "person_tabs",
    Tab(
        "contributions",
        "参政议政",
        "branchwork/tabs/person_contributions.html",
        _person_contributions,
    ),
    order=50,
)
extensions.register("stats_sections", stats.SECTION, order=70)
extensions.register("seed_demo", seed_demo, order=50)
extensions.register("reset_demo", reset_demo, order=50)
