"""Development plans (发展计划): the list, a plan's progress at any date, and its form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.core.codes import OrgKind
from tongxin.core.decorators import scope_required
from tongxin.core.http import date_param, no_scope
from tongxin.core.scope import subtree_q
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param

from . import selectors, services
from .forms import PlanForm, TargetFormSet
from .models import SHARE_TARGETS

# Plans are made by committees (and grassroots committees for their branches).
PLAN_KINDS = (OrgKind.COMMITTEE, OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GENERAL_BRANCH)


@scope_required(Cap.VIEW)
def plans(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, "recruitment")
    on = date_param(request, "as_of") or timezone.localdate()
    behind = request.GET.get("behind") == "1"
    in_force = request.GET.get("in_force") == "1"
    if behind:
        found = selectors.plans_behind(scope=request.scope, org=org, on=on)
    elif in_force:
        found = selectors.plans_in_force(scope=request.scope, org=org, on=on)
    else:
        found = selectors.plans_in(scope=request.scope, org=org)
    rows = [
        {"plan": plan, "progress": selectors.plan_progress(scope=request.scope, plan=plan, on=on)}
        for plan in found.order_by("-start_year", "org__path", "kind")
    ]
    return render(
        request,
        "recruitment/plans.html",
        {
            "org": org,
            "on": on,
            "behind": behind,
            "in_force": in_force,
            "rows": rows,
            "can_change": request.scope.can(Cap.CHANGE),
            "nav_active": "recruitment",
        },
    )


@scope_required(Cap.VIEW)
def plan_detail(request, pk):
    plan = selectors.get_plan(scope=request.scope, pk=pk)
    on = date_param(request, "as_of") or timezone.localdate()
    start, end = selectors.plan_period(plan)
    return render(
        request,
        "recruitment/plan_detail.html",
        {
            "plan": plan,
            "on": on,
            "start": start,
            "end": end,
            "progress": selectors.plan_progress(scope=request.scope, plan=plan, on=on),
            "share_kinds": [kind.value for kind in SHARE_TARGETS],
            "can_change": request.scope.can(Cap.CHANGE),
            "nav_active": "recruitment",
        },
    )


def _plan_orgs(request):
    on = timezone.localdate()
    return org_selectors.organizations(scope=request.scope, on=on).order_by("path")


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk=None):
    plan = selectors.get_plan(scope=request.scope, pk=pk) if pk else None
    orgs = _plan_orgs(request)
    data = request.POST if request.method == "POST" else None
    initial_org = org_param(request)
    form = PlanForm(
        data,
        instance=plan,
        orgs=orgs.filter(kind__in=PLAN_KINDS),
        initial={
            "org": initial_org.pk if initial_org else None,
            "start_year": timezone.localdate().year,
        },
        prefix="plan",
    )
    branches = orgs.exclude(kind__in=PLAN_KINDS)
    if plan is not None:
        branches = branches.filter(subtree_q(plan.org.path))
    initial_targets = [
        {
            "kind": t.kind,
            "value": t.value,
            "org": t.org_id,
            "programme": t.programme_id,
            "sectors": t.sectors,
        }
        for t in (plan.targets.all() if plan else [])
    ]
    formset = TargetFormSet(
        data,
        initial=initial_targets,
        prefix="targets",
        form_kwargs={
            "orgs": branches,
            "programmes": selectors.programmes_for(scope=request.scope),
        },
    )
    if data is not None and form.is_valid() and formset.is_valid():
        targets = [
            f.save(commit=False)
            for f in formset.forms
            if f.has_changed() and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("kind")
        ]
        record = form.save(commit=False)
        if plan is None:
            record.created_by = request.user
        try:
            saved = services.plan_save(plan=record, targets=targets)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已保存「{saved.title}」及其 {len(targets)} 项指标")
            return redirect("recruitment:plan", pk=saved.pk)
    return render(
        request,
        "recruitment/plan_form.html",
        {
            "form": form,
            "formset": formset,
            "plan": plan,
            "heading": f"编辑「{plan.title}」" if plan else "新建发展计划",
            "nav_active": "recruitment",
        },
    )
