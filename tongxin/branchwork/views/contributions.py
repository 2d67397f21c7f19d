"""Political participation (参政议政): contributions, their adoption ladder, points, exports."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import id_param, no_scope, query_without
from tongxin.orgs.http import org_param
from tongxin.people.selectors import get_person, people_in_scope

from .. import export, points, selectors, services
from ..forms import AdoptionForm, ContributionFilterForm, ContributionForm, PeriodFilterForm
from ..models import Adoption, AdoptionRung
from ..selectors import Period
from .common import invalid_filters, org_choices, page_of, picker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request, org):
    form = ContributionFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    found = selectors.contributions(
        scope=request.scope,
        org=org,
        period=form.period(),
        kind=data.get("kind", ""),
        rung=data.get("rung", ""),
        q=data.get("q", ""),
    )
    return form, found


@scope_required(Cap.VIEW)
def contribution_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, "contributions", "基层建设")
    form, found = _filtered(request, org)
    page = page_of(found, request)
    page.object_list = selectors.with_authors_and_ladder(page.object_list)
    return render(
        request,
        "branchwork/contributions.html",
        {
            "org": org,
            "orgs": picker(request, org),
            "form": form,
            "invalid": invalid_filters(form),
            "page": page,
            "query": query_without(request),
            "export_query": query_without(request),
            "rung_label": AdoptionRung(rung).label
            if (rung := form.cleaned_data.get("rung"))
            else "",
            "may_change": request.scope.can(Cap.CHANGE),
            "may_export": request.scope.can(Cap.EXPORT),
            "nav_active": "contributions",
        },
    )


@scope_required(Cap.EXPORT)
def contribution_export(request):
    org = org_param(request)
    if org is None:
        raise PermissionDenied("没有可导出的组织")
    form, found = _filtered(request, org)
    rows = selectors.with_authors_and_ladder(found)
    spool = tempfile.TemporaryFile()
    export.contributions_workbook(spool, rows, heading=f"{org.name} 参政议政成果")
    spool.seek(0)
    filters = {k: str(v) for k, v in form.cleaned_data.items() if v not in (None, "")}
    record_event(
        Kind.EXPORT,
        request=request,
        rows=len(rows),
        summary=f"导出「{org.name}」的参政议政成果 {len(rows)} 项",
        detail={"组织": org.code, "筛选": filters},
    )
    filename = f"{org.code}-参政议政成果-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)


def _form(request, instance=None):
    return ContributionForm(
        request.POST or None,
        instance=instance,
        people=people_in_scope(scope=request.scope).order_by("name_pinyin", "pk"),
        orgs=org_choices(request),
        initial={} if instance else {"submitted_on": timezone.localdate()},
    )


def _save(request, form):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.contribution_save(
            contribution=form.save(commit=False),
            authors=data["authors"],
            author_orgs=data["author_orgs"],
            co_signers=data["co_signers"],
            scope=request.scope,
            by=request.user,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _form_page(request, form, heading, cancel):
    return render(
        request,
        "branchwork/contribution_form.html",
        {"form": form, "heading": heading, "cancel": cancel, "nav_active": "contributions"},
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def contribution_create(request):
    form = _form(request)
    if request.method == "POST":
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, f"已登记{saved.get_kind_display()}「{saved.title}」")
            return redirect("branchwork:contribution_detail", pk=saved.pk)
    return _form_page(request, form, "登记参政议政成果", reverse("branchwork:contributions"))


def _editable(request, contribution):
    if not selectors.editable_by(contribution, request.scope):
        raise PermissionDenied("这项成果有您管理范围以外的作者，请由上级组织修改")


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def contribution_edit(request, pk):
    contribution = selectors.get_contribution(scope=request.scope, pk=pk)
    _editable(request, contribution)
    form = _form(request, contribution)
    if request.method == "POST":
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, f"已保存「{saved.title}」")
            return redirect("branchwork:contribution_detail", pk=saved.pk)
    return _form_page(
        request,
        form,
        f"编辑「{contribution.title}」",
        reverse("branchwork:contribution_detail", args=[contribution.pk]),
    )


@scope_required(Cap.CHANGE)
@require_POST
def contribution_delete(request, pk):
    contribution = selectors.get_contribution(scope=request.scope, pk=pk)
    _editable(request, contribution)
    title = contribution.title
    services.contribution_delete(contribution=contribution)
    messages.success(request, f"已删除「{title}」及其采用记录")
    return redirect("branchwork:contributions")


@scope_required(Cap.VIEW)
def contribution_detail(request, pk):
    contribution = selectors.get_contribution(scope=request.scope, pk=pk)
    (contribution,) = selectors.with_authors_and_ladder([contribution])
    earned = points.contribution_points(contribution)
    by_rung = {row.rung: row.points for row in earned}
    reached = {a.rung: a for a in contribution.adoptions.all()}
    ladder = [
        {
            "rung": value,
            "label": label,
            "adoption": reached.get(value),
            "points": by_rung.get(value),
        }
        for value, label in AdoptionRung.choices
    ]
    may_change = request.scope.can(Cap.CHANGE) and selectors.editable_by(
        contribution, request.scope
    )
    form = AdoptionForm(initial={"on": timezone.localdate()}) if may_change else None
    return render(
        request,
        "branchwork/contribution_detail.html",
        {
            "c": contribution,
            "ladder": ladder,
            "submitted_points": by_rung.get(""),
            "total_points": sum(row.points for row in earned),
            "form": form,
            "may_change": may_change,
            "nav_active": "contributions",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def adoption_create(request, pk):
    contribution = selectors.get_contribution(scope=request.scope, pk=pk)
    _editable(request, contribution)
    form = AdoptionForm(request.POST, instance=Adoption(contribution=contribution))
    if form.is_valid():
        try:
            adoption = services.adoption_save(adoption=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"已记录「{contribution.title}」{adoption.get_rung_display()}"
            )
            return redirect("branchwork:contribution_detail", pk=contribution.pk)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"未记录采用：{label + '：' if label else ''}{error}")
    return redirect("branchwork:contribution_detail", pk=contribution.pk)


@scope_required(Cap.CHANGE)
@require_POST
def adoption_delete(request, pk, adoption_pk):
    contribution = selectors.get_contribution(scope=request.scope, pk=pk)
    _editable(request, contribution)
    adoption = contribution.adoptions.filter(pk=adoption_pk).first()
    if adoption is None:
        raise Http404("采用记录不存在")
    label = adoption.get_rung_display()
    services.adoption_delete(adoption=adoption)
    messages.success(request, f"已删除「{contribution.title}」的“{label}”记录")
    return redirect("branchwork:contribution_detail", pk=contribution.pk)


# --- points ----------------------------------------------------------------------------------


def _points(request):
    """The points the query string asks for: a member's (``person``) or an organization's
    (``org``), for a year (default this year) or a period."""
    form = PeriodFilterForm(request.GET)
    form.is_valid()
    period = form.period() or Period.of_year(timezone.localdate().year)
    pk = id_param(request, "person")
    if pk is not None:
        person = get_person(scope=request.scope, pk=pk)
        earned = points.member_points_between(scope=request.scope, person=person, period=period)
        return form, earned, person.name, None, person
    org = org_param(request)
    if org is None:
        return form, None, "", None, None
    earned = points.org_points_between(scope=request.scope, org=org, period=period)
    return form, earned, org.name, org, None


@scope_required(Cap.VIEW)
def points_page(request):
    form, earned, whose, org, person = _points(request)
    if earned is None:
        return no_scope(request, "contributions", "基层建设")
    return render(
        request,
        "branchwork/points.html",
        {
            "form": form,
            "points": earned,
            "rules_year": (earned.period.end or timezone.localdate()).year,
            "rules": points.RuleBook().in_force((earned.period.end or timezone.localdate()).year),
            "whose": whose,
            "org": org,
            "person": person,
            "orgs": picker(request, org) if org else [],
            "query": query_without(request),
            "may_export": request.scope.can(Cap.EXPORT),
            "nav_active": "contributions",
        },
    )


@scope_required(Cap.EXPORT)
def points_export(request):
    form, earned, whose, org, person = _points(request)
    if earned is None:
        raise PermissionDenied("没有可导出的组织")
    period = earned.period
    spool = tempfile.TemporaryFile()
    span = export.period_label(period)
    export.points_workbook(spool, earned, heading=f"{whose} {span}参政议政积分")
    spool.seek(0)
    record_event(
        Kind.EXPORT,
        request=request,
        rows=len(earned.rows),
        summary=f"导出「{whose}」{span}的参政议政积分（{earned.total} 分，{len(earned.rows)} 条）",
        detail={
            "组织": org.code if org else "",
            "人员": person.pk if person else "",
            "起": period.start.isoformat() if period.start else "",
            "止": period.end.isoformat() if period.end else "",
        },
    )
    code = org.code if org else f"person{person.pk}"
    filename = f"{code}-参政议政积分-{export.period_slug(period)}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)
