"""What the evaluation pages share."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from tongxin.core.http import date_param, no_scope, query_without_page
from tongxin.orgs.http import org_param


def period_params(request, default_year: int) -> tuple[date, date]:
    start, end = date_param(request, "from"), date_param(request, "to")
    if start and end:
        return start, end
    return date(default_year, 1, 1), date(default_year, 12, 31)


LIST_PAGE_SIZE = 50


def drill_down_page(request, template: str, records, context: dict):
    """A drill-down list of the statistics: ``records(org, start, end)`` for the subtree and
    the period in the address (the calendar year by default), a page at a time."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "evaluation")
    start, end = period_params(request, timezone.localdate().year)
    page = Paginator(records(org, start, end), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "org": org,
            "start": start,
            "end": end,
            "page": page,
            "query": query_without_page(request),
            "nav_active": "evaluation",
            **context,
        },
    )
