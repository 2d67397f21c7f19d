"""What every cadres page shares: the chosen organization, the people and organizations a form
may name, a person passed in the URL, and the replies after a change."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.codes import OrgKind
from tongxin.core.http import parse_id
from tongxin.orgs import selectors as org_selectors
from tongxin.people import selectors as people_selectors

NAV = "cadres"


def today():
    return timezone.localdate()


def org_choices(request):
    """The organizations a pool, a recommendation or a contact may belong to: the scope's
    committees and departments (not every branch of a large tree)."""
    orgs = org_selectors.organizations(scope=request.scope, on=today())
    return orgs.exclude(kind__in=[OrgKind.BRANCH, OrgKind.GROUP]).order_by("path")


def all_orgs(request):
    return org_selectors.organizations(scope=request.scope, on=today()).order_by("path")


def people_for_forms(request):
    return people_selectors.people_in_scope(scope=request.scope)


def person_param(request):
    """The person named by ``?person=`` (or the posted ``person``), 404 outside the scope."""
    pk = parse_id(request.POST.get("person") or request.GET.get("person"), "person")
    if pk is not None:
        return people_selectors.get_person(scope=request.scope, pk=pk)
    return None


def done(request, message: str, to: str, *args, query: str = ""):
    """Say ``message`` and go to ``to`` (a view's name, with ``args``, or an address),
    ``query`` appended."""
    messages.success(request, message)
    url = resolve_url(to, *args)
    return redirect(f"{url}?{query}" if query else url)


def base_context(request, org, section: str) -> dict:
    """``section`` marks the sub-menu item (pools, assessments, practice, recommendations,
    contacts). ``can_change`` hides what a reader may not do: a button that only answers 403
    is no help."""
    return {
        "org": org,
        "section": section,
        "nav_active": NAV,
        "org_choices": org_choices(request),
        "can_change": request.scope.can(Cap.CHANGE),
    }
