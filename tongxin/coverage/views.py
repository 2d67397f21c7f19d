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
from django.utils import timezone
from django.views.decorators.http import require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.decorators import scope_required
from tongxin.core.http import date_param, no_scope, query_without_page
from tongxin.core.paging import paginate
from tongxin.core.scope import subtree_q
from tongxin.io.report import group_by_row
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param

from . import export, registry, selectors, stats
from .filters import coverage_filter
from .forms import RegistryUploadForm
from .models import MassKind, NewOrgKind, PartyForm, RegistryImport

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
    with selectors.without_jit():
        page = paginate(
            found.select_related("area"), page_number=request.GET.get("page"), per_page=50
        )
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
    batch = registry.check_file(
        data=upload.read(),
        filename=upload.name,
        scope=request.scope,
        on=form.cleaned_data["effective_date"],
        by=request.user,
    )
    return redirect("coverage:batch", pk=batch.pk)


@scope_required(Cap.VIEW)
def batch(request, pk):
    """The check report (errors by row, or what the import will do), then the result."""
    found = _get_batch(request, pk)
    context = {
        "batch": found,
        "groups": group_by_row(found.errors),
        "actions": registry.ACTIONS,
        "blockers": registry.undo_blockers(found)
        if found.status == RegistryImport.Status.DONE
        else [],
        "nav_active": NAV,
    }
    return render(request, "coverage/batch.html", context)


@scope_required(Cap.CHANGE)
@require_POST
def batch_confirm(request, pk):
    found = _get_batch(request, pk)
    try:
        found = registry.confirm(batch=found, scope=request.scope, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("coverage:batch", pk=found.pk)
    if found.status == RegistryImport.Status.DONE:
        summary = registry.counts(found.preview, unchanged=found.unchanged)
        record_event(
            Kind.IMPORT,
            request=request,
            summary=f"导入两新组织名册：批次 {found.pk}，文件“{found.file_name}”：{summary}",
            detail={"批次": found.pk, "文件名": found.file_name, "数据行数": found.total_rows},
            rows=found.total_rows,
        )
        messages.success(request, f"已导入：{summary}")
    else:
        messages.error(request, "数据在检查后有了变化，重新检查发现错误，未导入")
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
