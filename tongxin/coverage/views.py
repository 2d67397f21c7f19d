"""两新组织 pages: the registry list (the statistics' drill-down), an organization's file, and
coverage by community and by industry."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.http import date_param, no_scope, query_without_page
from tongxin.core.paging import paginate
from tongxin.core.scope import subtree_q
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param

from . import selectors, stats
from .filters import coverage_filter
from .models import MassKind, NewOrgKind, PartyForm

NAV = "coverage"
# The columns of the coverage tables, by community and by industry.
COLUMNS = (
    ("registered", "两新组织"),
    ("party_covered", "党组织覆盖"),
    ("party_rate", "覆盖率（%）"),
    ("union", "工会"),
    ("youth_league", "团组织"),
    ("women", "妇女组织"),
    ("all_four", "党工团妇全覆盖"),
)


@scope_required(Cap.VIEW)
def index(request):
    """两新组织名册 at a date, with the filters of the figures that open it."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "两新组织")
    filters = coverage_filter(request, today=timezone.localdate())
    found = selectors.coverage_list(scope=request.scope, org=org, filters=filters)
    page = paginate(found.select_related("area"), page_number=request.GET.get("page"), per_page=50)
    facts = selectors.facts_at(page.object_list, on=filters.on)
    context = {
        "org": org,
        "orgs": org_selectors.scope_roots(scope=request.scope),
        "filters": filters,
        "page": page,
        "rows": [(o, facts[o.pk]) for o in page.object_list],
        "query": query_without_page(request),
        "kinds": NewOrgKind.choices,
        "forms": PartyForm.choices,
        "mass_kinds": MassKind.choices,
        "gaps": selectors.Gap.choices,
        "nav_active": NAV,
    }
    return render(request, "coverage/index.html", context)


@scope_required(Cap.VIEW)
def detail(request, pk):
    """An organization's file: its facts, and the dated records newest first."""
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    on = date_param(request, "as_of") or timezone.localdate()
    context = {
        "new_org": new_org,
        "on": on,
        "facts": selectors.facts_at([new_org], on=on)[new_org.pk],
        "forms": new_org.forms.select_related("party_org").order_by("-start"),
        "mass": new_org.mass.order_by("kind", "-start"),
        "member_counts": new_org.member_counts.order_by("-on"),
        "instructors": new_org.instructors.select_related("person").order_by("-start"),
        "visits": new_org.visits.select_related("person").order_by("-on"),
        "nav_active": NAV,
    }
    return render(request, "coverage/detail.html", context)


@scope_required(Cap.VIEW)
def overview(request):
    """Coverage by community (the chosen node's children) and by industry, every number a
    link to its list."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "两新组织")
    on = date_param(request, "as_of") or timezone.localdate()
    scope = request.scope
    children = org_selectors.organizations(scope=scope, on=on).filter(
        subtree_q(org.path), depth=org.depth + 1
    )
    areas = [(child.display_name, child, {}) for child in children.order_by("path")]
    industries = (
        selectors.registered(scope=scope, org=org, on=on)
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )
    by_industry = [
        (name or selectors.BLANK_INDUSTRY, org, {"industry": name or selectors.BLANK_INDUSTRY})
        for name in industries
    ]
    section = stats.compute(scope=scope, org=org, as_of=on, period_start=on.replace(month=1, day=1))

    def in_columns(counts):
        return [counts[key] for key, _label in COLUMNS]

    tables = [
        (title, [(label, in_columns(counts)) for label, counts in rows])
        for title, rows in (
            ("按所在组织", stats.breakdown(scope=scope, org=org, as_of=on, groups=areas)),
            ("按行业", stats.breakdown(scope=scope, org=org, as_of=on, groups=by_industry)),
        )
    ]
    context = {
        "org": org,
        "on": on,
        "headline": [(label, section[key]) for key, label in COLUMNS],
        "columns": [label for _key, label in COLUMNS],
        "tables": tables,
        "nav_active": NAV,
    }
    return render(request, "coverage/overview.html", context)
