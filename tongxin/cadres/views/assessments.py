"""Annual assessments: the list, one by one, the workbook import and its template, and who in
the pools has none for a year."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.codes import AssessmentGrade
from tongxin.core.dates import age_on
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import date_param, no_scope, query_without_page, year_param
from tongxin.core.paging import paginate
from tongxin.orgs.http import org_param
from tongxin.people import selectors as people_selectors

from .. import assessment_import, selectors, services
from ..forms import AssessmentForm, AssessmentImportForm
from .common import (
    NAV,
    base_context,
    done,
    people_for_forms,
    person_param,
    today,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@scope_required(Cap.VIEW)
def assessments(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    on = today()
    filters = selectors.AssessmentFilter(
        year=year_param(request, "year"),
        grade=request.GET.get("grade", "")
        if request.GET.get("grade") in AssessmentGrade.values
        else "",
        cadres_on=date_param(request, "cadres_on"),
        q=request.GET.get("q", "").strip(),
    )
    found = selectors.assessment_list(scope=request.scope, org=org, filters=filters)
    page = paginate(
        found.select_related("person"),
        page_number=request.GET.get("page"),
        per_page=settings.TONGXIN_ROSTER_PAGE_SIZE,
    )
    rows = sorted(page.object_list, key=lambda a: (-a.year, a.person.name_pinyin, a.pk))
    query = query_without_page(request)
    context = base_context(request, org, "assessments")
    last = selectors.assessment_year(on)
    context.update(
        page=page,
        rows=rows,
        filters=filters,
        grades=AssessmentGrade.choices,
        years=list(range(last, last - 6, -1)),
        query=query,
        missing=selectors.missing_assessments(
            scope=request.scope, org=org, year=last, on=on
        ).count(),
        last_year=last,
    )
    return render(request, "cadres/assessments.html", context)


@scope_required(Cap.VIEW)
def assessments_missing(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    on = today()
    year = year_param(request, "year") or selectors.assessment_year(on)
    people = selectors.missing_assessments(scope=request.scope, org=org, year=year, on=on).order_by(
        "name_pinyin", "pk"
    )
    page = paginate(
        people, page_number=request.GET.get("page"), per_page=settings.TONGXIN_ROSTER_PAGE_SIZE
    )
    context = base_context(request, org, "assessments")
    context.update(
        page=page,
        year=year,
        rows=[(p, age_on(p.birth_date, on)) for p in page.object_list],
        query=f"org={org.pk}&year={year}",
    )
    return render(request, "cadres/assessments_missing.html", context)


def _back(request, person) -> str:
    if person is not None:
        return reverse("people:detail", args=[person.pk]) + "?tab=cadres"
    return reverse("cadres:assessments")


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk=None):
    record = selectors.get_assessment(scope=request.scope, pk=pk) if pk else None
    person = record.person if record else person_param(request)
    initial = {} if record else {"year": selectors.assessment_year(today())}
    form = AssessmentForm(
        request.POST or None,
        instance=record,
        person=person,
        people=people_for_forms(request),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        assessment = form.save(commit=False)
        assessment.person = form.person
        try:
            people_selectors.refuse_after_leaving(
                scope=request.scope,
                person=form.person,
                on=date(assessment.year, 12, 31),
                today=today(),
                field="year",
                what=f"{assessment.year}年度考核",
            )
            services.assessment_save(assessment=assessment, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request,
                f"已保存 {form.person.name} {assessment.year}年度考核："
                f"{assessment.get_grade_display()}",
                _back(request, form.person),
            )
    context = base_context(request, org_param(request), "assessments")
    context.update(
        form=form,
        person=person,
        heading=f"{person.name + ' · ' if person else ''}{'编辑' if record else '录入'}年度考核",
        cancel=_back(request, person),
    )
    return render(request, "cadres/form.html", context)


@scope_required(Cap.CHANGE)
def assessment_template(request):
    record_event(Kind.EXPORT, request=request, summary="下载年度考核导入模板", rows=0)
    response = HttpResponse(assessment_import.template_workbook(), content_type=XLSX)
    name = quote("年度考核导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def assessment_upload(request):
    form = AssessmentImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = assessment_import.import_file(
            data=upload.read(), filename=upload.name, scope=request.scope, by=request.user
        )
        if result.ok:
            record_event(
                Kind.IMPORT,
                request=request,
                summary=f"导入年度考核：新增 {result.created} 条，更新 {result.updated} 条",
                detail={"文件": upload.name, "新增": result.created, "更新": result.updated},
                rows=result.created + result.updated,
            )
            return done(
                request,
                f"已导入年度考核：新增 {result.created} 条，更新 {result.updated} 条，"
                f"未变 {result.unchanged} 条",
                "cadres:assessments",
            )
    context = base_context(request, org_param(request), "assessments")
    context.update(form=form, result=result)
    return render(request, "cadres/assessment_import.html", context)
