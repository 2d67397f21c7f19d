"""What the evaluation pages share."""

from __future__ import annotations

from datetime import date

from tongxin.orgs import selectors as org_selectors


def chosen_org(request):
    pk = request.GET.get("org", "")
    if pk.isdigit():
        return org_selectors.get_org(scope=request.scope, pk=int(pk))
    return org_selectors.default_org(scope=request.scope)


def date_param(request, name: str) -> date | None:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def period_params(request, default_year: int) -> tuple[date, date]:
    start, end = date_param(request, "from"), date_param(request, "to")
    if start and end:
        return start, end
    return date(default_year, 1, 1), date(default_year, 12, 31)


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
