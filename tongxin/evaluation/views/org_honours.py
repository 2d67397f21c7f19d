"""Honours of organizations (组织荣誉): the organization page's tab, counted by level, and the
form that adds one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.orgs import selectors as org_selectors
from tongxin.people.models import HonorLevel

from .. import services
from ..forms import HonorForm
from ..models import OrgHonor


class OrgHonorForm(HonorForm):
    class Meta(HonorForm.Meta):
        model = OrgHonor


def _org_tab(org) -> str:
    return f"{reverse('orgs:detail', args=[org.pk])}?tab=honours"


def org_tab_context(request, org) -> dict:
    """The 荣誉 tab: the honours the organization itself received, and how many of each level."""
    honours = list(OrgHonor.objects.filter(org=org).order_by("-conferred_on", "pk"))
    by_level = [
        (label, sum(1 for h in honours if h.level == value)) for value, label in HonorLevel.choices
    ]
    return {
        "org_honours": honours,
        "org_honours_by_level": by_level,
        "can_change": request.scope.can(Cap.CHANGE),
    }


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def org_honor_new(request, org_pk):
    org = org_selectors.get_org(scope=request.scope, pk=org_pk)
    honor = OrgHonor(org=org)
    form = OrgHonorForm(request.POST or None, instance=honor)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_honor_save(honor=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {org.name} 的荣誉「{honor.title}」")
            return redirect(_org_tab(org))
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "heading": f"{org.name} · 添加组织荣誉",
            "back_url": _org_tab(org),
            "nav_active": "orgs",
        },
    )
