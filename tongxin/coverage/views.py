"""两新组织 pages: the registry list (the statistics' drill-down), an organization's file, and
coverage by community and by industry."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import date_param, no_scope, query_without_page
from tongxin.core.paging import paginate
from tongxin.core.scope import subtree_q
from tongxin.io.report import group_by_row
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param
from tongxin.people import selectors as people_selectors

from . import export, jobs, registry, selectors, services, stats
from .filters import coverage_filter
from .forms import (
    DeregisterForm,
    InstructorForm,
    MassForm,
    MembersForm,
    NewOrgForm,
    PartyFormForm,
    RegistryUploadForm,
    UnionChairForm,
    VisitForm,
    known_initial,
)
from .models import MassKind, NewOrganization, NewOrgKind, PartyForm, RegistryImport

NAV = "coverage"
# The columns of the coverage tables, by community and by industry.
COLUMNS = (
    ("registered", "两新组织"),
    ("party_covered", "党组织覆盖"),
    ("party_rate", "覆盖率（%）"),
    ("union", "工会"),
    ("youth_league", "团组织"),
    ("women", "妇女组织"),
    ("all_four", "党工团妇全覆盖"),
)


@scope_required(Cap.VIEW)
def index(request):
    """两新组织名册 at a date, with the filters of the figures that open it."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "两新组织")
    filters = coverage_filter(request, today=timezone.localdate())
    found = selectors.coverage_list(scope=request.scope, org=org, filters=filters)
    page = paginate(found.select_related("area"), page_number=request.GET.get("page"), per_page=50)
    facts = selectors.facts_at(page.object_list, on=filters.on)
    context = {
        "org": org,
        "orgs": org_selectors.scope_roots(scope=request.scope),
        "filters": filters,
        "page": page,
        "rows": [(o, facts[o.pk]) for o in page.object_list],
        "query": query_without_page(request),
        "kinds": NewOrgKind.choices,
        "forms": PartyForm.choices,
        "mass_kinds": MassKind.choices,
        "gaps": selectors.Gap.choices,
        "can_change": request.scope.can(Cap.CHANGE),
        "nav_active": NAV,
    }
    return render(request, "coverage/index.html", context)


@scope_required(Cap.VIEW)
def detail(request, pk):
    """An organization's file: its facts, and the dated records newest first."""
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    on = date_param(request, "as_of") or timezone.localdate()
    context = {
        "new_org": new_org,
        "on": on,
        "facts": selectors.facts_at([new_org], on=on)[new_org.pk],
        "forms": new_org.forms.select_related("party_org").order_by("-start"),
        "mass": new_org.mass.order_by("kind", "-start"),
        "member_counts": new_org.member_counts.order_by("-on"),
        "instructors": new_org.instructors.select_related("person").order_by("-start"),
        "visits": new_org.visits.select_related("person").order_by("-on"),
        "can_change": request.scope.can(Cap.CHANGE),
        "nav_active": NAV,
    }
    return render(request, "coverage/detail.html", context)


TREND_YEARS = 5


def _trend(*, scope, org, on) -> dict:
    """The coverage rates at the last year-ends and at ``on``: a line chart (drawn by the
    statistics' chart script from its data attribute) and its table, every value a link."""
    days = [date(year, 12, 31) for year in range(on.year - TREND_YEARS + 1, on.year)] + [on]
    taken = [
        stats.compute(scope=scope, org=org, as_of=day, period_start=day.replace(month=1, day=1))
        for day in days
    ]
    series = [
        ("党组织覆盖率（%）", [t["party_rate"] for t in taken]),
        ("规上党组织覆盖率（%）", [t["above_size_party_rate"] for t in taken]),
    ]
    counts = [
        ("两新组织", [t["registered"] for t in taken]),
        ("党组织覆盖", [t["party_covered"] for t in taken]),
        ("党工团妇全覆盖", [t["all_four"] for t in taken]),
    ]
    categories = [day.isoformat() for day in days]
    data = {
        "kind": "line",
        "title": "覆盖率变化",
        "unit": "%",
        "categories": categories,
        "series": [
            {"name": name, "values": [f.value for f in figures], "urls": [f.url for f in figures]}
            for name, figures in series
        ],
    }
    columns = series + counts
    rows = [(day, [figures[i] for _name, figures in columns]) for i, day in enumerate(categories)]
    return {
        "data": json.dumps(data, ensure_ascii=False),
        "names": [name for name, _f in columns],
        "rows": rows,
    }


@scope_required(Cap.VIEW)
def overview(request):
    """Coverage by community (the chosen node's children) and by industry, every number a
    link to its list."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "两新组织")
    on = date_param(request, "as_of") or timezone.localdate()
    scope = request.scope
    children = org_selectors.organizations(scope=scope, on=on).filter(
        subtree_q(org.path), depth=org.depth + 1
    )
    areas = [(child.display_name, child, {}) for child in children.order_by("path")]
    industries = (
        selectors.registered(scope=scope, org=org, on=on)
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )
    by_industry = [
        (name or selectors.BLANK_INDUSTRY, org, {"industry": name or selectors.BLANK_INDUSTRY})
        for name in industries
    ]
    section = stats.compute(scope=scope, org=org, as_of=on, period_start=on.replace(month=1, day=1))

    def in_columns(counts):
        return [counts[key] for key, _label in COLUMNS]

    tables = [
        (title, [(label, in_columns(counts)) for label, counts in rows])
        for title, rows in (
            ("按所在组织", stats.breakdown(scope=scope, org=org, as_of=on, groups=areas)),
            ("按行业", stats.breakdown(scope=scope, org=org, as_of=on, groups=by_industry)),
        )
    ]
    context = {
        "org": org,
        "on": on,
        "trend": _trend(scope=scope, org=org, on=on),
        "headline": [(label, section[key]) for key, label in COLUMNS],
        "columns": [label for _key, label in COLUMNS],
        "tables": tables,
        "nav_active": NAV,
    }
    return render(request, "coverage/overview.html", context)


# --- the registry workbook -------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_batch(request, pk) -> RegistryImport:
    """A batch of the user's own (a batch names organizations of its uploader's scope)."""
    batch = RegistryImport.objects.filter(pk=pk, created_by=request.user).first()
    if batch is None:
        raise Http404("导入批次不存在")
    return batch


@scope_required(Cap.VIEW)
def registry_index(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "两新组织")
    context = {
        "org": org,
        "form": RegistryUploadForm(),
        "on": timezone.localdate(),
        "batches": RegistryImport.objects.filter(created_by=request.user)[:20],
        "can_change": request.scope.can(Cap.CHANGE),
        "nav_active": NAV,
    }
    return render(request, "coverage/registry.html", context)


@scope_required(Cap.CHANGE)
@require_POST
def registry_upload(request):
    form = RegistryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        org = org_param(request)
        context = {
            "org": org,
            "form": form,
            "on": timezone.localdate(),
            "batches": RegistryImport.objects.filter(created_by=request.user)[:20],
            "can_change": True,
            "nav_active": NAV,
        }
        return render(request, "coverage/registry.html", context, status=400)
    upload = form.cleaned_data["file"]
    # Checked, and after confirmation written, by the import worker (coverage.jobs).
    found = RegistryImport.objects.create(
        created_by=request.user,
        file_name=upload.name[:255],
        content=upload.read(),
        effective_date=form.cleaned_data["effective_date"],
        status=RegistryImport.Status.UPLOADED,
    )
    return redirect("coverage:batch", pk=found.pk)


@scope_required(Cap.VIEW)
def batch(request, pk):
    """The check report (errors by row, or what the import will do), then the result; while
    the worker checks or writes, its progress (the part polled again every second)."""
    found = _get_batch(request, pk)
    if jobs.reclaim_if_stale(found):  # its worker died: say so instead of a frozen progress bar
        found = _get_batch(request, pk)
    progress = jobs.read_progress(found)
    total = progress.get("total") or found.total_rows
    context = {
        "batch": found,
        "running": found.status in jobs.RUNNING,
        "progress": progress,
        "percent": int(progress.get("done", 0) * 100 / total) if total else 0,
        "waiting_long": jobs.waiting_long(found),
        "groups": group_by_row(found.errors),
        "actions": registry.ACTIONS,
        "blockers": registry.undo_blockers(found)
        if found.status == RegistryImport.Status.DONE
        else [],
        "nav_active": NAV,
    }
    if request.htmx:
        return render(request, "coverage/_batch_status.html", context)
    return render(request, "coverage/batch.html", context)


@scope_required(Cap.CHANGE)
@require_POST
def batch_confirm(request, pk):
    found = _get_batch(request, pk)
    if jobs.confirm(found):
        messages.success(request, "已确认，正在后台重新检查并写入")
    else:
        messages.error(request, f"此批次当前为“{found.get_status_display()}”，不能确认导入")
    return redirect("coverage:batch", pk=found.pk)


@scope_required(Cap.CHANGE)
@require_POST
def batch_undo(request, pk):
    found = _get_batch(request, pk)
    try:
        registry.undo(batch=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        record_event(
            Kind.IMPORT_UNDO,
            request=request,
            summary=f"撤销两新组织名册导入：批次 {found.pk}，文件“{found.file_name}”",
            detail={"批次": found.pk, "文件名": found.file_name},
        )
        messages.success(request, "已撤销这次导入")
    return redirect("coverage:batch", pk=found.pk)


@scope_required(Cap.VIEW)
def registry_template(request):
    response = HttpResponse(export.workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote('两新组织名册模板.xlsx')}"
    )
    return response


@scope_required(Cap.EXPORT)
def registry_export(request):
    org = org_param(request)
    if org is None:
        raise Http404("没有可导出的组织")
    on = date_param(request, "as_of") or timezone.localdate()
    data = export.workbook(scope=request.scope, org=org, on=on)
    rows = selectors.new_orgs(scope=request.scope, org=org).count()
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出两新组织名册：{org.name}（{on:%Y-%m-%d}）",
        detail={"组织": org.code, "日期": on.isoformat()},
        rows=rows,
    )
    response = HttpResponse(data, content_type=XLSX)
    name = quote(f"两新组织名册-{org.code}-{on:%Y%m%d}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# --- an organization's facts by hand: each form through the services the import uses --------


def _areas(request, keep=None):
    """The nodes a registered organization may be kept by: the user's scope, current today,
    and the node ``keep`` it is kept by now (the service says so when that one is dissolved)."""
    current = org_selectors.organizations(scope=request.scope, on=timezone.localdate())
    if keep is not None:
        current = current | org_selectors.organizations(scope=request.scope).filter(pk=keep)
    return current.order_by("path")


def _people(request):
    return people_selectors.people_in_scope(scope=request.scope).order_by("name_pinyin", "pk")


def _fact_form(request, new_org, form, *, heading, intro, save, status=200):
    """The form page of one fact; ``save(data)`` calls the service and says what happened."""
    if request.method == "POST" and form.is_valid():
        try:
            said = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, said)
            return redirect("coverage:detail", pk=new_org.pk)
    context = {
        "form": form,
        "new_org": new_org,
        "heading": heading,
        "intro": intro,
        "nav_active": NAV,
    }
    return render(request, "coverage/fact_form.html", context, status=status)


def _base_fields(new_org: NewOrganization, data: dict) -> None:
    for name in ("name", "kind", "area", "industry", "employees", "above_size", "founded"):
        setattr(new_org, name, data[name])
    new_org.name = new_org.name.strip()
    new_org.industry = new_org.industry.strip()
    new_org.note = data["note"]


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def new_org_create(request):
    """登记 an organization the registry does not have yet (not from a workbook)."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "两新组织")
    form = NewOrgForm(request.POST or None, areas=_areas(request), initial={"area": org.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_org = NewOrganization(credit_code=data["credit_code"])
        _base_fields(new_org, data)
        try:
            services.new_org_save(new_org=new_org)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记「{new_org.name}」（{new_org.credit_code}）")
            return redirect("coverage:detail", pk=new_org.pk)
    context = {
        "form": form,
        "new_org": None,
        "heading": "登记两新组织",
        "intro": "逐个登记；成批登记请用名册导入。"
        "登记后在组织页面记录党组织形式、群团组织和党员人数。",
        "cancel": f"{reverse('coverage:index')}?org={org.pk}",
        "nav_active": NAV,
    }
    return render(request, "coverage/fact_form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def new_org_edit(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    initial = {
        "name": new_org.name,
        "kind": new_org.kind,
        "area": new_org.area_id,
        "industry": new_org.industry,
        "employees": new_org.employees,
        "above_size": new_org.above_size,
        "founded": new_org.founded,
        "note": new_org.note,
    }
    areas = _areas(request, keep=new_org.area_id)
    form = NewOrgForm(request.POST or None, areas=areas, registered=True, initial=initial)

    def save(data):
        _base_fields(new_org, data)
        services.new_org_save(new_org=new_org)
        return f"已保存「{new_org.name}」的基本信息"

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"编辑基本信息 · {new_org.name}",
        intro=f"统一社会信用代码 {new_org.credit_code}（名册的主键，不在此修改）。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def party_form_edit(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    latest = services.current_form(new_org)
    form = PartyFormForm(
        request.POST or None,
        orgs=_areas(request),
        initial={"start": timezone.localdate()},
    )

    def save(data):
        record = services.party_form_set(
            new_org=new_org, form=data["form"], start=data["start"], party_org=data["party_org"]
        )
        return f"已记录「{new_org.name}」的党组织形式：{record}"

    now = "尚无记录"
    if latest is not None:
        now = f"现为“{latest.get_form_display()}”（{latest.start:%Y-%m-%d}起）"
    return _fact_form(
        request,
        new_org,
        form,
        heading=f"党组织形式 · {new_org.name}",
        intro=f"{now}。记录新的形式后，原形式在起始日结束并保留在历史中；"
        "与现有形式相同而日期不同，即更正其起始日期。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def mass_edit(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    form = MassForm(request.POST or None, initial={"on": timezone.localdate()})

    def save(data):
        kind, on = data["kind"], data["on"]
        label = MassKind(kind).label
        if data["action"] == MassForm.DISSOLVE:
            services.mass_org_dissolve(new_org=new_org, kind=kind, on=on)
            return f"已记录「{new_org.name}」的{label}于 {on:%Y-%m-%d} 撤销"
        services.mass_org_set(new_org=new_org, kind=kind, start=on, on=on)
        return f"已记录「{new_org.name}」的{label}于 {on:%Y-%m-%d} 建立"

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"群团组织 · {new_org.name}",
        intro="工会、团组织、妇女组织的建立或撤销；撤销的保留其建立和撤销日期。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def union_chair_edit(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    initial = {
        "party_member": known_initial(new_org.union_chair_party_member),
        "cross_post": known_initial(new_org.union_chair_cross_post),
    }
    form = UnionChairForm(request.POST or None, initial=initial)

    def save(data):
        services.union_chair_set(
            new_org=new_org, party_member=data["party_member"], cross_post=data["cross_post"]
        )
        return f"已保存「{new_org.name}」的工会主席情况"

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"工会主席交叉任职 · {new_org.name}",
        intro="工会主席是否党员、是否同时担任本单位党组织的职务。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def members_edit(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    form = MembersForm(request.POST or None, initial={"on": timezone.localdate()})

    def save(data):
        services.party_members_record(new_org=new_org, on=data["on"], count=data["count"])
        return f"已记录「{new_org.name}」{data['on']:%Y-%m-%d} 的党员人数：{data['count']} 人"

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"党员人数 · {new_org.name}",
        intro="某日的党员人数；此后各日按最近一次记录计。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def instructor_edit(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    form = InstructorForm(
        request.POST or None, people=_people(request), initial={"start": timezone.localdate()}
    )

    def save(data):
        record = services.instructor_assign(
            new_org=new_org, person=data["person"], start=data["start"]
        )
        return (
            f"已选派 {record.person.name} 为「{new_org.name}」的党建工作指导员"
            f"（{record.start:%Y-%m-%d}起）"
        )

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"选派党建工作指导员 · {new_org.name}",
        intro="指导员从您管理范围内的人员中选择；现任指导员在新指导员的选派日卸任。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    current = new_org.instructors.filter(end__isnull=True).order_by("-start").first()
    initial = {"on": timezone.localdate(), "person": current.person_id if current else None}
    form = VisitForm(request.POST or None, people=_people(request), initial=initial)

    def save(data):
        services.visit_record(
            new_org=new_org, on=data["on"], person=data["person"], note=data["note"]
        )
        return f"已记录 {data['on']:%Y-%m-%d} 对「{new_org.name}」的走访"

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"记录走访 · {new_org.name}",
        intro="党建工作指导员的一次走访。",
        save=save,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def deregister(request, pk):
    new_org = selectors.get_new_org(scope=request.scope, pk=pk)
    form = DeregisterForm(
        request.POST or None, initial={"on": new_org.deregistered or timezone.localdate()}
    )

    def save(data):
        services.new_org_deregister(new_org=new_org, on=data["on"])
        return f"已记录「{new_org.name}」于 {data['on']:%Y-%m-%d} 注销，自该日起不再计入统计"

    return _fact_form(
        request,
        new_org,
        form,
        heading=f"注销 · {new_org.name}",
        intro="注销的组织保留在名册中，自注销日起不计入各项统计。",
        save=save,
    )
