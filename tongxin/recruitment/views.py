"""组织发展 pages: applications by step, one application's timeline and its step forms,
admissions with their quality, the procedure in force. Plans are in ``plan_views``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core import codes
from tongxin.core.dates import age_on
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import date_param, id_param, no_scope, parse_id, query_without_page
from tongxin.core.masking import REVEAL_PERMISSION
from tongxin.core.paging import paginate, paginate_rows
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param
from tongxin.people import selectors as people_selectors
from tongxin.people.models import MembershipSpell

from . import documents, selectors, services
from .forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentForm,
    CandidateForm,
    EndForm,
    StepForm,
)
from .models import Application, Attachment, StepKind, StepRecord

PAGE_SIZE = 50


def org_choices(request):
    """The organizations in the scope today, tree-ordered."""
    on = timezone.localdate()
    return org_selectors.organizations(scope=request.scope, on=on).order_by("path")


def org_options(request) -> list[tuple[int, str]]:
    """The organization select of a list: each one indented under its parent."""
    return [(o.pk, f"{'　' * (o.depth - 1)}{o.name}") for o in org_choices(request)]


# --- applications ------------------------------------------------------------------------------


def application_filter(request, org) -> tuple[ApplicationFilterForm, selectors.ApplicationFilter]:
    stages = selectors.stage_names(
        applications=selectors.applications_in(scope=request.scope, org=org), org=org
    )
    form = ApplicationFilterForm(
        request.GET, stages=stages, programmes=selectors.programmes_for(scope=request.scope)
    )
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.ApplicationFilter(
        as_of=data.get("as_of") or timezone.localdate(),
        status=data.get("status") or "",
        stage=data.get("stage") or "",
        flag=data.get("flag") or "",
        programme=data.get("programme"),
        q=data.get("q") or "",
    )
    return form, filters


@scope_required(Cap.VIEW)
def index(request):
    """Applications of a subtree on a date, by the step they have reached."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "recruitment")
    form, filters = application_filter(request, org)
    applications = selectors.application_list(scope=request.scope, org=org, filters=filters)
    on = filters.as_of

    def load(ids):
        # A page's fifty, with their step on the day and their joins, in one query.
        page_set = Application.objects.filter(pk__in=ids)
        loaded = selectors.with_stage(page_set, on).select_related("person", "branch", "programme")
        by_pk = {a.pk: a for a in loaded}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    page = paginate_rows(
        applications.values_list("pk", flat=True),
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        load=load,
    )
    ids = [a.pk for a in page.object_list]
    page_set = Application.objects.filter(pk__in=ids)
    blocked = set(selectors.blocked(page_set).values_list("pk", flat=True))
    overdue = set(selectors.overdue_ids(applications=page_set, on=on))
    rows = [
        {"application": a, "blocked": a.pk in blocked, "overdue": a.pk in overdue}
        for a in page.object_list
    ]
    return render(
        request,
        "recruitment/index.html",
        {
            "org": org,
            "orgs": org_options(request),
            "form": form,
            "filters": filters,
            "can_change": request.scope.can(Cap.CHANGE),
            "can_export": request.scope.can(Cap.EXPORT),
            "by_stage": selectors.by_stage(scope=request.scope, org=org, as_of=on),
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "nav_active": "recruitment",
        },
    )


def _reasons_posted(request, prefix: str = "") -> dict[int, str]:
    head = f"{prefix}reason_"
    return {
        int(key.removeprefix(head)): value
        for key, value in request.POST.items()
        if key.startswith(head) and key.removeprefix(head).isdecimal()
    }


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def create(request):
    """A new application: of a person already in the scope (found by the search), or of a new
    person entered here."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "recruitment")
    person_pk = parse_id(request.POST.get("person") or request.GET.get("person"), "person")
    existing = (
        people_selectors.get_person(scope=request.scope, pk=person_pk)
        if person_pk is not None
        else None
    )
    q = request.GET.get("q", "").strip()
    found = []
    if q and existing is None:
        # Members cannot apply: only the non-members the scope keeps (党外人士, 人才库 …).
        members = MembershipSpell.objects.active_on(timezone.localdate()).values("person_id")
        candidates = people_selectors.people_in_scope(scope=request.scope).exclude(pk__in=members)
        found = list(people_selectors.matching(candidates, q)[:20])
    data = request.POST if request.method == "POST" else None
    candidate_form = None if existing else CandidateForm(data, prefix="person")
    form = ApplicationForm(
        data,
        orgs=org_choices(request),
        programmes=selectors.programmes_for(scope=request.scope),
        initial={"branch": org.pk},
        prefix="app",
    )
    refusal, warnings = [], []
    if data is not None and form.is_valid() and (existing or candidate_form.is_valid()):
        person = existing or candidate_form.save(commit=False)
        try:
            application = services.application_create(
                person=person,
                branch=form.cleaned_data["branch"],
                on=form.cleaned_data["applied_on"],
                by=request.user,
                programme=form.cleaned_data["programme"],
                opinion=form.cleaned_data["opinion"],
                reasons=_reasons_posted(request),
            )
        except services.StepRefused as exc:
            refusal = exc.violations
        except services.ReasonsNeeded as exc:
            warnings = exc.warnings
        except ValidationError as exc:
            add_service_errors(candidate_form or form, exc)
        else:
            messages.success(
                request, f"已登记 {application.person.name} 申请加入「{application.branch}」"
            )
            return redirect("recruitment:detail", pk=application.pk)
    return render(
        request,
        "recruitment/create.html",
        {
            "org": org,
            "existing": existing,
            "q": q,
            "found": found,
            "candidate_form": candidate_form,
            "form": form,
            "refusal": refusal,
            "warnings": [(w, _reasons_posted(request).get(w.rule.pk, "")) for w in warnings],
            "nav_active": "recruitment",
        },
    )


def _timeline(application):
    """The procedure's steps with what was done: done, current (can be recorded now) or
    waiting, each done step with its record, introducers, warnings and attachments."""
    steps = list(application.procedure.steps.all())
    records = {
        r.step_id: r
        for r in StepRecord.objects.filter(application=application)
        .select_related("recorded_by")
        .prefetch_related("introducers__person", "warnings", "attachments")
    }
    refusals = list(application.refusals.select_related("created_by")[:20])
    rows = []
    for step in steps:
        record = records.get(step.pk)
        if record is not None:
            state = "done"
        elif application.status == "open" and all(
            s.pk in records for s in steps if s.order < step.order and s.required
        ):
            state = "current"
        else:
            state = "waiting"
        rows.append(
            {
                "step": step,
                "record": record,
                "state": state,
                "refusals": [r for r in refusals if r.step_id == step.pk],
            }
        )
    return rows


def _detail(request, application, *, forms=None):
    can_change = request.scope.can(Cap.CHANGE)
    timeline = _timeline(application)
    forms = forms or {}
    for row in timeline:
        if row["state"] == "current" and can_change:
            row["form"] = forms.get(row["step"].pk) or StepForm(
                step=row["step"], scope=request.scope
            )
    person = application.person
    return render(
        request,
        "recruitment/detail.html",
        {
            "application": application,
            "person": person,
            "age": age_on(person.birth_date, application.applied_on),
            "timeline": timeline,
            "can_change": can_change,
            "can_export": request.scope.can(Cap.EXPORT),
            "end_form": forms.get("end") or EndForm(),
            "attachment_form": AttachmentForm(),
            "nav_active": "recruitment",
        },
    )


@scope_required(Cap.VIEW)
def detail(request, pk):
    application = selectors.get_application(scope=request.scope, pk=pk)
    return _detail(request, application)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def step(request, pk, step_pk):
    """Record one step. A refusal by a rule, warnings that need a reason, or bad input show
    the application again with the form as it was filled."""
    application = selectors.get_application(scope=request.scope, pk=pk)
    step = application.procedure.steps.filter(pk=step_pk).first()
    if step is None:
        raise Http404("没有这一步骤")
    if request.method == "GET":
        return redirect("recruitment:detail", pk=application.pk)
    form = StepForm(request.POST, request.FILES, step=step, scope=request.scope)
    if form.is_valid():
        data = form.cleaned_data
        meeting = None
        if step.with_vote:
            meeting = services.Meeting(
                data["expected"],
                data["present"],
                data["votes_for"],
                data["votes_against"],
                data["votes_abstain"],
            )
        try:
            services.step_record(
                application=application,
                step=step,
                on=data["on"],
                by=request.user,
                opinion=data["opinion"],
                document_no=data["document_no"],
                meeting=meeting,
                introducers=data.get("introducers", []),
                notified_person_on=data.get("notified_person_on"),
                notified_unit_on=data.get("notified_unit_on"),
                reasons=_reasons_posted(request, f"{form.prefix}-"),
                files=data["files"],
            )
        except services.StepRefused as exc:
            for violation in exc.violations:
                form.add_error(None, str(violation))
        except services.ReasonsNeeded as exc:
            form = StepForm(request.POST, step=step, scope=request.scope, warnings=exc.warnings)
            form.is_valid()
            for warning in exc.warnings:
                name = f"reason_{warning.rule.pk}"
                if not form.data.get(form.add_prefix(name), "").strip():
                    form.errors.pop(name, None)
                    form.add_error(name, "请填写继续办理的理由")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            application.refresh_from_db()
            if step.kind == StepKind.ADMISSION:
                spell = application.spell
                messages.success(
                    request,
                    f"{application.person.name} 已入会：{spell.start:%Y-%m-%d} 起为「{spell.org}」"
                    f"{settings.TONGXIN_MEMBER_WORD}，编号 {application.person.membership_no}",
                )
            else:
                messages.success(request, f"已记录「{step.name}」（{data['on']:%Y-%m-%d}）")
            return redirect("recruitment:detail", pk=application.pk)
    return _detail(request, application, forms={step.pk: form})


@scope_required(Cap.CHANGE)
@require_POST
def end(request, pk):
    application = selectors.get_application(scope=request.scope, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.application_end(
                application=application,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                f"{application.person.name} 的入会申请已办结：{application.get_status_display()}",
            )
            return redirect("recruitment:detail", pk=application.pk)
    return _detail(request, application, forms={"end": form})


def _attachments_in_scope(request):
    return Attachment.objects.filter(
        record__application__in=selectors.applications_in(scope=request.scope).values("pk")
    )


@scope_required(Cap.VIEW)
def attachment(request, pk):
    found = _attachments_in_scope(request).select_related("record__application__person")
    attachment = found.filter(pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在或不在您的管理范围内")
    application = attachment.record.application
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"下载 {application.person.name} 入会申请的附件“{attachment.name}”",
        detail={"入会申请": application.pk, "附件": attachment.pk},
        rows=1,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@scope_required(Cap.CHANGE)
@require_POST
def attachment_add(request, pk, record_pk):
    application = selectors.get_application(scope=request.scope, pk=pk)
    record = application.records.filter(pk=record_pk).first()
    if record is None:
        raise Http404("没有这一步骤记录")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        for upload in form.cleaned_data["files"]:
            services.attachment_add(record=record, upload=upload, by=request.user)
        names = "、".join(f.name for f in form.cleaned_data["files"])
        messages.success(request, f"已为「{record.step.name}」添加附件：{names}")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("recruitment:detail", pk=application.pk)


# --- admissions --------------------------------------------------------------------------------


def admission_filter(request, org) -> selectors.AdmissionFilter:
    as_of = date_param(request, "as_of") or timezone.localdate()
    start = date_param(request, "period_start") or as_of.replace(month=1, day=1)
    quality = {
        name: request.GET.get(name, "") for name in selectors.QUALITY if request.GET.get(name, "")
    }
    return selectors.AdmissionFilter(
        start=start,
        end=as_of,
        branch=id_param(request, "branch"),
        programme=id_param(request, "programme"),
        quality=quality,
    )


@scope_required(Cap.VIEW)
def admissions(request):
    """People admitted in a period, with the quality condition of the figure that links here."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "recruitment")
    filters = admission_filter(request, org)
    if filters.start > filters.end:
        messages.error(request, "期间的开始日期不能晚于截止日期")
    people = selectors.admitted(scope=request.scope, org=org, filters=filters)
    page = paginate(
        people.order_by("name_pinyin", "pk"),
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    spells = {
        s.person_id: s
        for s in selectors.admission_spells(scope=request.scope, org=org, filters=filters)
        .filter(person_id__in=[p.pk for p in page.object_list])
        .select_related("org", "application__programme")
        .order_by("-start")
    }
    rows = []
    for person in page.object_list:
        spell = spells.get(person.pk)
        rows.append(
            {
                "person": person,
                "spell": spell,
                "age": age_on(person.birth_date, spell.start) if spell else None,
                "programme": getattr(getattr(spell, "application", None), "programme", None),
            }
        )
    return render(
        request,
        "recruitment/admissions.html",
        {
            "org": org,
            "filters": filters,
            "conditions": _conditions(filters, request.scope),
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "nav_active": "recruitment",
        },
    )


def _conditions(filters: selectors.AdmissionFilter, scope) -> list[str]:
    """The filter in words, above the list."""
    words = {
        "mid_title": "中级及以上职称",
        "senior_title": "副高级及以上职称",
        "postgraduate": "硕士及以上学位",
        "upper_middle": "中上层人士",
    }
    out = []
    for name, value in filters.quality.items():
        if name in words:
            out.append(words[name])
        elif name == "title_level":
            out.append(f"职称级别：{value}")
        elif name == "degree":
            out.append(f"学位：{value}")
        elif name == "sector":
            labels = dict(codes.Sector.choices)
            out.append("界别：" + "、".join(labels.get(s, s) for s in value.split(",")))
    if filters.branch:
        branch = org_selectors.organizations(scope=scope).filter(pk=filters.branch).first()
        out.append(f"组织：{branch}" if branch else "组织：—")
    if filters.programme:
        programme = selectors.programmes_for(scope=scope).filter(pk=filters.programme).first()
        out.append(f"优才工程：{programme}" if programme else "优才工程：—")
    return out


# --- the procedure in force ---------------------------------------------------------------------


@scope_required(Cap.VIEW)
def procedure(request):
    """The steps and rules that apply to the chosen organization, as the back office set them."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "recruitment")
    try:
        current = services.procedure_for(branch=org, on=timezone.localdate())
    except ValidationError:
        current = None
    return render(
        request,
        "recruitment/procedure.html",
        {
            "org": org,
            "orgs": org_options(request),
            "procedure": current,
            "steps": list(current.steps.prefetch_related("rules")) if current else [],
            "admin_url": reverse("admin:recruitment_procedure_changelist"),
            "nav_active": "recruitment",
        },
    )


# --- documents ---------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@scope_required(Cap.EXPORT)
def form_docx(request, pk):
    """The candidate's 入会申请表, numbers masked unless the user may see them."""
    application = selectors.get_application(scope=request.scope, pk=pk)
    reveal = request.user.has_perm(REVEAL_PERMISSION)
    content = documents.application_form(application, reveal=reveal)
    name = application.person.name
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出 {name} 的入会申请表（{'完整' if reveal else '隐藏'}身份证号和手机号）",
        detail={"入会申请": application.pk, "文件": "入会申请表"},
        rows=1,
    )
    return _docx(content, f"入会申请表-{name}.docx")


def _batch_docx(request, *, build, title: str, summary: str):
    """A Word document of the applications the list shows with the same filters, audited."""
    org = org_param(request)
    if org is None:
        raise Http404("没有管理范围")
    _form, filters = application_filter(request, org)
    applications = list(
        selectors.application_list(scope=request.scope, org=org, filters=filters).select_related(
            "procedure"
        )
    )
    content = build(applications, org=org, as_of=filters.as_of)
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出「{org}」{summary}",
        detail={"组织": org.pk, "筛选": filters.params(org), "文件": title},
        rows=len(applications),
    )
    return _docx(content, f"{title}-{org.display_name}-{filters.as_of:%Y%m%d}.docx")


@scope_required(Cap.EXPORT)
def approval_docx(request):
    """审批备案表 of the applications the list shows with the same filters."""
    return _batch_docx(
        request, build=documents.approval_list, title="审批备案表", summary="新成员审批备案表"
    )


@scope_required(Cap.EXPORT)
def publicity_docx(request):
    """The 公示 list: names, units and titles only."""
    return _batch_docx(
        request, build=documents.publicity_list, title="公示名单", summary="拟发展成员公示名单"
    )
