"""Rubrics (考评细则): the items, their points and calculators, edited as data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.codes import OrgKind
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.orgs import selectors as org_selectors

from .. import calculators, selectors, services
from ..forms import ItemForm
from ..models import GRASSROOTS_KINDS, RubricItem


def _editable(request, rubric) -> bool:
    """A rubric is changed by staff of the committee that owns it, not by those who use it."""
    return request.scope.can(Cap.CHANGE) and request.scope.contains_path(rubric.org.path)


@scope_required(Cap.VIEW)
def rubric_detail(request, pk):
    rubric = selectors.get_rubric(scope=request.scope, pk=pk)
    items = [
        {
            "item": item,
            "calculator": calculators.CALCULATORS.get(item.calculator),
            "params": calculators.params_text(calculators.CALCULATORS[item.calculator], item.params)
            if item.calculator in calculators.CALCULATORS
            else "",
        }
        for item in rubric.items.all()
    ]
    return render(
        request,
        "evaluation/rubric.html",
        {
            "rubric": rubric,
            "items": items,
            "editable": _editable(request, rubric),
            "closed_rounds": rubric.rounds.filter(status="closed").exists(),
            "grassroots_kinds": [
                (kind, OrgKind(kind).label, kind in rubric.scored_kinds)
                for kind in GRASSROOTS_KINDS
            ],
            "nav_active": "evaluation",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def rubric_default(request):
    org = org_selectors.default_org(scope=request.scope)
    if org is None:
        raise Http404("没有管理范围")
    rubric = services.rubric_create_default(org=org)
    messages.success(request, f"已按示例建立「{rubric}」，共 {rubric.items.count()} 个考评项目")
    return redirect("evaluation:rubric", pk=rubric.pk)


@scope_required(Cap.CHANGE)
@require_POST
def rubric_copy(request, pk):
    rubric = selectors.get_rubric(scope=request.scope, pk=pk)
    org = org_selectors.default_org(scope=request.scope)
    copy = services.rubric_copy(rubric=rubric, name=f"{rubric.name}（副本）")
    if not request.scope.contains_path(copy.org.path) and org is not None:
        # A committee using its parent's rubric keeps the copy as its own.
        copy.org = org
        copy.save(update_fields=["org"])
    messages.success(request, f"已复制为「{copy}」，可在其中修改")
    return redirect("evaluation:rubric", pk=copy.pk)


@scope_required(Cap.CHANGE)
@require_POST
def rubric_kinds(request, pk):
    rubric = selectors.get_rubric(scope=request.scope, pk=pk)
    if not _editable(request, rubric):
        raise PermissionDenied("只有制定这份细则的组织可以修改它")
    try:
        services.rubric_scored_kinds_save(rubric=rubric, kinds=request.POST.getlist("kinds"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        names = "、".join(rubric.scored_kind_labels)
        messages.success(request, f"「{rubric}」今后的考评为{names}打分")
    return redirect("evaluation:rubric", pk=rubric.pk)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk=None):
    rubric = selectors.get_rubric(scope=request.scope, pk=pk)
    if not _editable(request, rubric):
        raise PermissionDenied("只有制定这份细则的组织可以修改它")
    item = RubricItem(rubric=rubric, order=rubric.items.count() + 1)
    if item_pk is not None:
        item = rubric.items.filter(pk=item_pk).first()
        if item is None:
            raise Http404("考评项目不存在")
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_item_save(item=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存考评项目「{item.title}」")
            return redirect("evaluation:rubric", pk=rubric.pk)
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "heading": f"{rubric} · {'修改' if item.pk else '添加'}考评项目",
            "back_url": reverse("evaluation:rubric", args=[rubric.pk]),
            "nav_active": "evaluation",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def item_delete(request, pk, item_pk):
    rubric = selectors.get_rubric(scope=request.scope, pk=pk)
    if not _editable(request, rubric):
        raise PermissionDenied("只有制定这份细则的组织可以修改它")
    item = rubric.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404("考评项目不存在")
    try:
        services.rubric_item_delete(item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除考评项目「{item.title}」")
    return redirect("evaluation:rubric", pk=rubric.pk)
