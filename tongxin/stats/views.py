"""统计分析: the report tables, the dashboard and the exports, for a node of the user's scope."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.codes import OrgKind
from tongxin.core.decorators import scope_required
from tongxin.core.http import no_scope
from tongxin.orgs import selectors as org_selectors
from tongxin.people.population import upper_middle_rule

from . import charts, sections, tables
from .forms import StatsForm
from .report import annual, document, draft
from .selectors.base import period
from .xlsx import report_workbook

TEXT = "text/plain; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The node picker lists at most this many nodes of the scope (groups left out).
MAX_NODES = 800


def stats_required(view):
    """Statistics are for those who see dashboards and for those who read the records: a
    branch chair reads the own branch's figures."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.scope.can(Cap.DASHBOARD) or request.scope.can(Cap.VIEW)):
            raise PermissionDenied("您的角色没有查看统计的权限")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _read(request):
    """The form, the node (404 outside the scope), the date and the period's start."""
    form = StatsForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    if data.get("org") is not None:
        org = org_selectors.get_org(scope=request.scope, pk=data["org"])
    elif "org" in form.errors:
        raise Http404("组织不存在或不在您的管理范围内")
    else:
        org = org_selectors.default_org(scope=request.scope)
    as_of = data.get("as_of") or timezone.localdate()
    start = data.get("period_start") if "period_start" not in form.errors else None
    if start and start > as_of:
        start = None
    return form, org, as_of, period(as_of, start)


def _nodes(request, org, on):
    nodes = list(
        org_selectors.organizations(scope=request.scope, on=on)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")[:MAX_NODES]
    )
    if org is not None and all(node.pk != org.pk for node in nodes):
        nodes.append(org)
    top = min((node.depth for node in nodes), default=1)
    return [
        {"pk": node.pk, "label": f"{'　' * (node.depth - top)}{node.name}", "selected": node == org}
        for node in nodes
    ]


def _page(request, template, **context):
    form, org, as_of, start = context["form"], context["org"], context["as_of"], context["start"]
    context.update(
        nav_active="stats",
        nodes=_nodes(request, org, as_of),
        can_export=request.scope.can(Cap.EXPORT),
        query=f"org={org.pk}&as_of={as_of:%Y-%m-%d}&period_start={start:%Y-%m-%d}" if org else "",
        errors=form.errors and form.error_text(),
    )
    return render(request, template, context)


@stats_required
def report(request):
    form, org, as_of, start = _read(request)
    if org is None:
        return no_scope(request, "stats")
    built = None
    if not form.errors:
        built = tables.build_report(scope=request.scope, org=org, as_of=as_of, period_start=start)
    return _page(
        request,
        "stats/report.html",
        form=form,
        org=org,
        as_of=as_of,
        start=start,
        report=built,
        rule=upper_middle_rule().describe(),
        tab="report",
    )


@stats_required
def dashboard(request):
    form, org, as_of, start = _read(request)
    if org is None:
        return no_scope(request, "stats")
    drawn = [] if form.errors else charts.dashboard(scope=request.scope, org=org, as_of=as_of)
    return _page(
        request,
        "stats/dashboard.html",
        form=form,
        org=org,
        as_of=as_of,
        start=start,
        charts=drawn,
        tab="dashboard",
    )


def _export_target(request):
    form, org, as_of, start = _read(request)
    if form.errors:
        return None, HttpResponseBadRequest(f"导出条件有误：{form.error_text()}", content_type=TEXT)
    if org is None:
        raise Http404("没有可导出的组织")
    return (org, as_of, start), None


def _export_event(request, org, as_of, start, what: str, rows: int) -> None:
    record_event(
        Kind.EXPORT,
        request=request,
        rows=rows,
        summary=(
            f"导出统计{what}：{org.name}（{org.code}），截止 {as_of:%Y-%m-%d}，"
            f"变动期间自 {start:%Y-%m-%d}"
        ),
        detail={
            "对象": f"统计{what}",
            "组织编码": org.code,
            "组织名称": org.name,
            "统计截止日期": as_of.isoformat(),
            "变动期间自": start.isoformat(),
        },
    )


@scope_required(Cap.EXPORT)
def export_xlsx(request):
    """The annual tables as a workbook: one sheet a table, with the year-earlier figures."""
    target, refused = _export_target(request)
    if refused:
        return refused
    org, as_of, start = target
    built = tables.build_report(scope=request.scope, org=org, as_of=as_of, period_start=start)
    content = report_workbook(built)
    _export_event(request, org, as_of, start, "报表（Excel）", len(built.tables))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"stats-{org.code}-{as_of:%Y%m%d}.xlsx"
    )
    return response


@scope_required(Cap.EXPORT)
def export_json(request):
    """The object of STATS.md, as ``manage.py stats --json`` prints it."""
    target, refused = _export_target(request)
    if refused:
        return refused
    org, as_of, start = target
    figures = sections.compute(scope=request.scope, org=org, as_of=as_of, period_start=start)
    data = sections.as_json(org=org, as_of=as_of, period_start=start, figures=figures)
    _export_event(request, org, as_of, start, "数据（JSON）", len(figures))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"stats-{org.code}-{as_of:%Y%m%d}.json"
    )
    return response


# --- 年度工作总结 (REPORT.md) -----------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request) -> tuple[int, str]:
    """The report's year from ``?year=`` (default: the last whole year), and an error."""
    default = timezone.localdate().year - 1
    text = request.GET.get("year", "").strip()
    if not text:
        return default, ""
    if text.isdecimal() and draft.MIN_YEAR <= int(text) <= draft.MAX_YEAR:
        return int(text), ""
    return default, f"年度「{text}」无效：请写四位年份，例如 {default}"


@stats_required
def work_report(request):
    """年度工作总结: the draft of the node's year, every number a link to its list."""
    form, org, _as_of, _start = _read(request)
    if org is None:
        return no_scope(request, "stats")
    year, error = _year(request)
    written = None if error else draft.build(scope=request.scope, org=org, year=year)
    as_of, start = draft.year_dates(year)
    return _page(
        request,
        "stats/work_report.html",
        form=form,
        org=org,
        as_of=as_of,
        start=start,
        year=year,
        year_error=error,
        years=range(max(timezone.localdate().year, year), draft.MIN_YEAR - 1, -1)[:30],
        year_query=f"org={org.pk}&year={year}",
        draft=written,
        tab="work_report",
    )


def _work_report_target(request):
    form, org, _as_of, _start = _read(request)
    year, error = _year(request)
    if error:
        return None, HttpResponseBadRequest(f"导出条件有误：{error}", content_type=TEXT)
    if org is None:
        raise Http404("没有可导出的组织")
    return (org, year), None


def _work_report_event(request, org, year: int, what: str, rows: int) -> None:
    record_event(
        Kind.EXPORT,
        request=request,
        rows=rows,
        summary=f"导出年度工作总结{what}：{org.name}（{org.code}），{year}年度",
        detail={
            "对象": f"年度工作总结{what}",
            "组织编码": org.code,
            "组织名称": org.name,
            "年度": year,
        },
    )


@scope_required(Cap.EXPORT)
def work_report_docx(request):
    """The draft as the Word document ``manage.py work_report`` writes (no personal data:
    figures, organization names and the branch ranking)."""
    target, refused = _work_report_target(request)
    if refused:
        return refused
    org, year = target
    written = draft.build(scope=request.scope, org=org, year=year)
    content = document.build(written)
    _work_report_event(request, org, year, "（Word）", len(written.sentences))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"work-report-{org.code}-{year}.docx"
    )
    return response


@scope_required(Cap.EXPORT)
def work_report_xlsx(request):
    """年报: the report's tables as the fixed-layout workbook sent to the parent."""
    target, refused = _work_report_target(request)
    if refused:
        return refused
    org, year = target
    written = draft.build(scope=request.scope, org=org, year=year)
    content = annual.workbook(written)
    rows = len(written.annual_tables) + (1 if written.ranking else 0)
    _work_report_event(request, org, year, "年报（Excel）", rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"annual-tables-{org.code}-{year}.xlsx"
    )
    return response
