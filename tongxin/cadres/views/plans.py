"""党外干部工作规划: the plans of a department, one plan's progress at a date, the form."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import no_scope
from tongxin.orgs.http import org_param

from .. import plans as plan_service
from ..forms import NonPartyPlanForm
from ..models import NonPartyPlan
from .common import NAV, base_context, done, today


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@scope_required(Cap.VIEW)
def plan_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    context = base_context(request, org, "nonparty")
    context["plans"] = plan_service.plans(scope=request.scope, org=org)
    return render(request, "cadres/nonparty_plans.html", context)


@scope_required(Cap.VIEW)
def plan_detail(request, pk):
    plan = plan_service.get_plan(scope=request.scope, pk=pk)
    asked = request.GET.get("on")
    on = _date(asked) or today()
    context = base_context(request, plan.owner, "nonparty")
    context.update(
        plan=plan,
        on=on,
        bad_date=bool(asked) and _date(asked) is None,
        rows=plan_service.progress(scope=request.scope, plan=plan, on=on),
    )
    return render(request, "cadres/nonparty_plan.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk=None):
    if pk is not None:
        plan = plan_service.get_plan(scope=request.scope, pk=pk)
        org = plan.owner
    else:
        org = org_param(request)
        if org is None:
            return no_scope(request, NAV)
        plan = NonPartyPlan(owner=org)
    form = NonPartyPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = plan_service.plan_save(
                plan=form.save(commit=False), targets=form.targets(), by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, f"已保存规划「{saved.title}」", "cadres:nonparty_plan", saved.pk)
    context = base_context(request, org, "nonparty")
    context.update(
        form=form,
        heading=f"{org.name} · {'修改' if plan.pk else '新建'}党外干部工作规划",
        cancel=reverse("cadres:nonparty_plans") + f"?org={org.pk}",
    )
    return render(request, "cadres/form.html", context)
