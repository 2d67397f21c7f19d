"""What the pages of branch work share: the chosen organization, capabilities, list helpers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.codes import OrgKind
from tongxin.core.paging import paginate
from tongxin.orgs import selectors as org_selectors

# The organization picker lists at most this many nodes (a city's tree; a province picks on the
# organization page instead).
PICKER_LIMIT = 400


def org_choices(request, *, exclude_groups: bool = True):
    """Current organizations of the scope, in tree order, for pickers and forms."""
    orgs = org_selectors.organizations(scope=request.scope, on=timezone.localdate())
    if exclude_groups:
        orgs = orgs.exclude(kind=OrgKind.GROUP)
    return orgs.order_by("path")


def picker(request, org) -> list:
    """The organizations of the page's picker, each with its indent in the tree."""
    orgs = list(org_choices(request)[:PICKER_LIMIT]) if org is not None else []
    top = min((o.depth for o in orgs), default=0)
    for o in orgs:
        o.indent = "　" * (o.depth - top)
    return orgs


def may_record_activities(scope) -> bool:
    """A branch chair records the activities of the own branch; staff, of any in scope."""
    return scope.can(Cap.RECORD_ACTIVITY) or scope.can(Cap.CHANGE)


def require_record_activities(scope) -> None:
    if not may_record_activities(scope):
        raise PermissionDenied("您的角色不能记录支部活动")


def page_of(queryset, request, per_page: int | None = None):
    return paginate(
        queryset,
        page_number=request.GET.get("page"),
        per_page=per_page or settings.TONGXIN_ROSTER_PAGE_SIZE,
    )


def invalid_filters(form) -> list[str]:
    """The filters dropped because they do not validate, named for the page."""
    return [
        f"“{form.fields[name].label}”（{'；'.join(errors)}）"
        for name, errors in form.errors.items()
        if name in form.fields
    ]
