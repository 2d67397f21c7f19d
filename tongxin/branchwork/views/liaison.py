"""Liaison (联系基层): who liaises with which branch, their visits, branches not yet visited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.models import User
from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import date_param, no_scope, query_without, url_with_query
from tongxin.orgs.http import org_param
from tongxin.people.selectors import people_in_scope

from .. import selectors, services
from ..forms import AssignmentForm, LiaisonAssignForm, PeriodFilterForm, VisitForm
from ..selectors import half_year_start
from .common import invalid_filters, page_of, picker


@scope_required(Cap.VIEW)
def liaison(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, "branchwork", "基层建设")
    on = timezone.localdate()
    form = PeriodFilterForm(request.GET)
    form.is_valid()
    visits = selectors.visits(scope=request.scope, org=org, period=form.period())
    return render(
        request,
        "branchwork/liaison.html",
        {
            "org": org,
            "orgs": picker(request, org),
            "on": on,
            "form": form,
            "invalid": invalid_filters(form),
            "assignments": list(selectors.active_assignments(scope=request.scope, org=org, on=on)),
            "page": page_of(visits, request),
            "query": query_without(request),
            "unvisited": selectors.unvisited_branches(scope=request.scope, org=org, on=on).count(),
            "half_start": half_year_start(on),
            "may_change": request.scope.can(Cap.CHANGE),
            "nav_active": "branchwork",
        },
    )


@scope_required(Cap.VIEW)
def unvisited(request):
    """Grassroots organizations without a visit this half-year (or the half-year of ``as_of``,
    for the statistics' drill-down)."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "branchwork", "基层建设")
    on = timezone.localdate()
    as_of = date_param(request, "as_of")
    if as_of:
        on = min(as_of, on)
    branches = list(selectors.unvisited_branches(scope=request.scope, org=org, on=on))
    last = {}
    for visit in selectors.visits(scope=request.scope, org=org).filter(org__in=branches):
        last.setdefault(visit.org_id, visit)
    assigned = {}
    for a in selectors.active_assignments(scope=request.scope, org=org, on=on):
        assigned.setdefault(a.org_id, []).append(a)
    return render(
        request,
        "branchwork/unvisited.html",
        {
            "org": org,
            "orgs": picker(request, org),
            "on": on,
            "half_start": half_year_start(on),
            "rows": [(b, last.get(b.pk), assigned.get(b.pk, [])) for b in branches],
            "may_change": request.scope.can(Cap.CHANGE),
            "nav_active": "branchwork",
        },
    )


def _users_for(scope):
    """Accounts that may liaise: business users whose scope nodes lie in this scope or above
    it (a leader of the committee liaising with one of its branches)."""
    users = User.objects.filter(is_active=True).prefetch_related("scope_nodes").order_by("name")
    keep = []
    for user in users:
        if not user.works_on_records():
            continue
        paths = [n.path for n in user.scope_nodes.all()]
        if any(scope.contains_path(p) or any(s.startswith(p) for s in scope.paths) for p in paths):
            keep.append(user.pk)
    return User.objects.filter(pk__in=keep).order_by("name")


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def assign(request):
    org = org_param(request)
    on = timezone.localdate()
    orgs = selectors.branches(scope=request.scope, org=org, on=on) if org else None
    form = LiaisonAssignForm(
        request.POST or None,
        orgs=orgs.order_by("path") if orgs is not None else [],
        people=people_in_scope(scope=request.scope).order_by("name_pinyin", "pk"),
        users=_users_for(request.scope),
        initial={"start": on, "orgs": [org.pk] if org else []},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.liaison_assign(
                orgs=data["orgs"],
                person=data["person"],
                user=data["user"],
                title=data["title"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            names = "、".join(a.org.display_name for a in made)
            messages.success(request, f"已安排 {made[0].liaison_name} 联系 {names}")
            return redirect(url_with_query("branchwork:liaison", org=org.pk))
    return render(
        request,
        "branchwork/form.html",
        {
            "form": form,
            "heading": "安排联系基层",
            "cancel": url_with_query("branchwork:liaison", org=org.pk if org else ""),
            "nav_active": "branchwork",
        },
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def assignment_edit(request, pk):
    assignment = selectors.get_assignment(scope=request.scope, pk=pk)
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_save(assignment=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"已保存 {assignment.liaison_name} 联系「{assignment.org}」的安排"
            )
            return redirect(url_with_query("branchwork:liaison", org=assignment.org_id))
    return render(
        request,
        "branchwork/form.html",
        {
            "form": form,
            "heading": f"{assignment.liaison_name} 联系「{assignment.org}」",
            "cancel": url_with_query("branchwork:liaison", org=assignment.org_id),
            "nav_active": "branchwork",
        },
    )


def _visit_form(request, *, org, instance=None):
    on = timezone.localdate()
    scope_org = org or instance.org
    return VisitForm(
        request.POST or None,
        instance=instance,
        orgs=selectors.branches(scope=request.scope, org=scope_org, on=on).order_by("path"),
        assignments=selectors.assignments(scope=request.scope, org=scope_org),
        initial={"org": org.pk if org else None, "date": on},
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def visit_create(request):
    org = org_param(request)
    form = _visit_form(request, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_save(visit=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已记录 {visit.date:%Y-%m-%d} 走访「{visit.org}」")
            return redirect(url_with_query("branchwork:liaison", org=visit.org_id))
    return render(
        request,
        "branchwork/form.html",
        {
            "form": form,
            "heading": "记录走访",
            "cancel": url_with_query("branchwork:liaison", org=org.pk if org else ""),
            "nav_active": "branchwork",
        },
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    visit = selectors.get_visit(scope=request.scope, pk=pk)
    form = _visit_form(request, org=None, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_save(visit=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {visit.date:%Y-%m-%d} 走访「{visit.org}」的记录")
            return redirect(url_with_query("branchwork:liaison", org=visit.org_id))
    return render(
        request,
        "branchwork/form.html",
        {
            "form": form,
            "heading": f"编辑走访记录 · {visit.org}",
            "cancel": url_with_query("branchwork:liaison", org=visit.org_id),
            "delete_url": "branchwork:visit_delete",
            "delete_pk": visit.pk,
            "nav_active": "branchwork",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def visit_delete(request, pk):
    visit = selectors.get_visit(scope=request.scope, pk=pk)
    org_pk, label = visit.org_id, f"{visit.date:%Y-%m-%d} 走访「{visit.org}」"
    services.visit_delete(visit=visit)
    messages.success(request, f"已删除 {label} 的记录")
    return redirect(url_with_query("branchwork:liaison", org=org_pk))
