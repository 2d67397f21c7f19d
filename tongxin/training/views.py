"""教育培训 pages: classes, their meetings, enrolment, attendance and completion, the lists the
statistics drill down to, and a person's external records."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import no_scope, query_without_page
from tongxin.core.paging import paginate, paginate_rows
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param
from tongxin.people import selectors as people_selectors

from . import selectors, services, sheets
from .forms import (
    AttendanceUploadForm,
    CandidateForm,
    ClassFilterForm,
    ExternalTrainingForm,
    PeriodForm,
    SessionForm,
    TrainingClassForm,
)
from .models import (
    AttendanceStatus,
    ClassSession,
    Enrollment,
    EnrollmentStatus,
    ResultGrade,
    TrainingClass,
    TrainingRequirement,
)

NAV = "training"
CANDIDATES_SHOWN = 200


def _holding_orgs(request, chosen):
    """The organizations offered by the lists' 举办组织 select: the user's top nodes and those
    holding classes, not the whole subtree (a province has thousands of nodes)."""
    holding = selectors.classes_in(scope=request.scope).values("org_id")
    orgs = org_selectors.organizations(scope=request.scope).filter(pk__in=holding)
    found = {o.pk: o for o in [*org_selectors.scope_roots(scope=request.scope), *orgs]}
    if chosen is not None:
        found.setdefault(chosen.pk, chosen)
    return sorted(found.values(), key=lambda o: o.path)


def _orgs_for_forms(request):
    return org_selectors.organizations(scope=request.scope, on=timezone.localdate()).order_by(
        "path"
    )


def _get_class(request, pk):
    return selectors.get_class(scope=request.scope, pk=pk)


def _get_session(training_class, session_pk) -> ClassSession:
    session = training_class.sessions.filter(pk=session_pk).first()
    if session is None:
        raise Http404("课次不存在")
    return session


def _require_attendance_right(scope) -> None:
    """Staff record attendance; so does a branch chair, for the classes of the own branch."""
    if not (scope.can(Cap.CHANGE) or scope.can(Cap.RECORD_ACTIVITY)):
        raise PermissionDenied("您的角色没有记录考勤的权限")


def _run(request, action, done: str) -> bool:
    """Call a service; its refusal becomes the page's error, its success ``done``."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def _page(request, records, *, per_page: int, rows):
    """One page of ``records``, each loaded from ``rows`` (with what the table shows)."""

    def load(keys):
        found = rows.in_bulk(keys)
        return [found[k] for k in keys if k in found]

    return paginate_rows(
        records.values_list("pk", flat=True),
        page_number=request.GET.get("page"),
        per_page=per_page,
        load=load,
    )


# --- lists -----------------------------------------------------------------------------------


@scope_required(Cap.VIEW)
def index(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    on = timezone.localdate()
    form = ClassFilterForm(request.GET)
    filters = form.to_filter()
    classes = selectors.class_list(scope=request.scope, org=org, filters=filters, on=on)
    page = _page(request, classes, per_page=50, rows=TrainingClass.objects.select_related("org"))
    context = {
        "org": org,
        "orgs": _holding_orgs(request, org),
        "form": form,
        "page": page,
        "rows": selectors.class_rows(page.object_list, on=on),
        "query": query_without_page(request),
        "on": on,
        "can_change": request.scope.can(Cap.CHANGE),
        "nav_active": NAV,
    }
    return render(request, "training/index.html", context)


@scope_required(Cap.VIEW)
def participants(request):
    """参训人员: the enrolments of the classes the filters select (the statistics' drill-down)."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    on = timezone.localdate()
    form = ClassFilterForm(request.GET)
    filters = form.to_filter()
    enrollments = selectors.enrollment_list(scope=request.scope, org=org, filters=filters, on=on)
    page = _page(
        request,
        enrollments,
        per_page=100,
        rows=Enrollment.objects.select_related("person", "training_class"),
    )
    ordered = page.object_list
    context = {
        "org": org,
        "orgs": _holding_orgs(request, org),
        "form": form,
        "page": page,
        "enrollments": ordered,
        "attended": selectors.attended_hours(ordered),
        "org_names": people_selectors.current_org_names(
            people=[e.person_id for e in ordered], on=on, scope=request.scope
        ),
        "query": query_without_page(request),
        "nav_active": NAV,
    }
    return render(request, "training/participants.html", context)


@scope_required(Cap.VIEW)
def hours(request):
    """学时统计: people of the subtree with training hours in a period, and their hours."""
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    on = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("from") or on.replace(month=1, day=1)
    end = data.get("to") or on
    found = selectors.subtree_hours(scope=request.scope, org=org, start=start, end=end)
    page = paginate(
        found.people.order_by("name_pinyin", "pk"),
        page_number=request.GET.get("page"),
        per_page=settings.TONGXIN_ROSTER_PAGE_SIZE,
    )
    shown = list(page.object_list)
    context = {
        "org": org,
        "orgs": org_selectors.scope_roots(scope=request.scope),
        "form": form,
        "start": start,
        "end": end,
        "page": page,
        "rows": [(p, found.by_person.get(p.pk, selectors.Hours())) for p in shown],
        "total": found.total,
        "org_names": people_selectors.current_org_names(
            people=[p.pk for p in shown], on=end, scope=request.scope
        ),
        "query": query_without_page(request),
        "nav_active": NAV,
    }
    return render(request, "training/hours.html", context)


@scope_required(Cap.VIEW)
def rules(request):
    return render(
        request,
        "training/rules.html",
        {
            "rules": TrainingRequirement.objects.all(),
            "can_edit": request.user.is_superuser,
            "nav_active": NAV,
        },
    )


# --- a class ---------------------------------------------------------------------------------


@scope_required(Cap.VIEW)
def class_detail(request, pk):
    training_class = _get_class(request, pk)
    on = timezone.localdate()
    enrollments = list(
        training_class.enrollments.select_related("person").order_by("person__name_pinyin", "pk")
    )
    sessions = list(training_class.sessions.all())
    present = selectors.attendance_counts(sessions)
    context = {
        "cls": training_class,
        "enrollments": enrollments,
        "attended": selectors.attended_hours(enrollments),
        "org_names": people_selectors.current_org_names(
            people=[e.person_id for e in enrollments], on=on, scope=request.scope
        ),
        "sessions": [(s, present.get(s.pk, 0)) for s in sessions],
        "planned": selectors.planned_hours(sessions),
        "on": on,
        "can_change": request.scope.can(Cap.CHANGE),
        "can_record": request.scope.can(Cap.CHANGE) or request.scope.can(Cap.RECORD_ACTIVITY),
        "nav_active": NAV,
    }
    return render(request, "training/class_detail.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def class_edit(request, pk=None):
    training_class = _get_class(request, pk) if pk is not None else None
    org = org_param(request) if training_class is None else training_class.org
    form = TrainingClassForm(
        request.POST or None,
        instance=training_class,
        orgs=_orgs_for_forms(request),
        initial={"org": org.pk if org else None},
    )
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            if training_class is None:
                record = services.class_create(
                    training_class=record, daily_sessions=form.cleaned_data["daily_sessions"]
                )
            else:
                record = services.class_update(training_class=record)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存培训班「{record.name}」")
            return redirect("training:class_detail", pk=record.pk)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "cls": training_class,
            "heading": f"编辑 {training_class.name}" if training_class else "新建培训班",
            "nav_active": NAV,
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def class_delete(request, pk):
    training_class = _get_class(request, pk)
    if _run(
        request,
        lambda: services.class_delete(training_class=training_class),
        f"已删除培训班「{training_class.name}」",
    ):
        return redirect("training:index")
    return redirect("training:class_detail", pk=pk)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk, session_pk=None):
    training_class = _get_class(request, pk)
    session = _get_session(training_class, session_pk) if session_pk is not None else None
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.training_class = training_class
        try:
            services.session_save(session=record)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {record.date:%Y-%m-%d} 的课次")
            return redirect("training:class_detail", pk=pk)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "cls": training_class,
            "heading": f"{training_class.name} · {'编辑' if session else '添加'}课次",
            "delete_url": reverse("training:session_delete", args=[pk, session.pk])
            if session and not session.recorded_at
            else "",
            "delete_label": "删除课次",
            "nav_active": NAV,
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def session_delete(request, pk, session_pk):
    training_class = _get_class(request, pk)
    session = _get_session(training_class, session_pk)
    _run(
        request,
        lambda: services.session_delete(session=session),
        f"已删除 {session.date:%Y-%m-%d} 的课次",
    )
    return redirect("training:class_detail", pk=pk)


# --- enrolment -------------------------------------------------------------------------------


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    """Pick people of the holding organization's roster (in the user's scope) for the class."""
    training_class = _get_class(request, pk)
    on = timezone.localdate()
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("person") if v.isdecimal()]
        everyone = selectors.enrolment_candidates(
            scope=request.scope,
            training_class=training_class,
            filters=selectors.CandidateFilter(),
            on=on,
        )
        chosen = list(everyone.filter(pk__in=ids))
        if len(chosen) != len(set(ids)):
            messages.error(request, "所选人员中有不在本培训班可选范围内的，请重新选择")
        else:
            if _run(
                request,
                lambda: services.enrollment_add(
                    training_class=training_class, people=chosen, on=on
                ),
                f"已添加 {len(chosen)} 名学员",
            ):
                return redirect("training:class_detail", pk=pk)
    query = request.GET.copy()
    if "group" not in query:
        # A class for new members or for the reserve opens on the people it is usually for.
        query["group"] = selectors.SUGGESTED_GROUPS.get(training_class.class_type, "")
    form = CandidateForm(query)
    filters = form.to_filter()
    candidates = selectors.enrolment_candidates(
        scope=request.scope, training_class=training_class, filters=filters, on=on
    )
    shown = list(candidates[: CANDIDATES_SHOWN + 1])
    context = {
        "cls": training_class,
        "form": form,
        "candidates": shown[:CANDIDATES_SHOWN],
        "more": len(shown) > CANDIDATES_SHOWN,
        "org_names": people_selectors.current_org_names(
            people=[p.pk for p in shown], on=on, scope=request.scope
        ),
        "groups": selectors.CandidateFilter.GROUPS,
        "filters": filters,
        "nav_active": NAV,
    }
    if request.htmx and request.htmx.target == "candidates":
        return render(request, "training/_candidates.html", context)
    return render(request, "training/enrol.html", context)


@scope_required(Cap.CHANGE)
@require_POST
def enrollment_remove(request, pk, enrollment_pk):
    training_class = _get_class(request, pk)
    enrollment = training_class.enrollments.select_related("person").filter(pk=enrollment_pk)
    enrollment = enrollment.first()
    if enrollment is None:
        raise Http404("学员不存在")
    _run(
        request,
        lambda: services.enrollment_remove(enrollment=enrollment),
        f"已将 {enrollment.person.name} 移出学员名单",
    )
    return redirect("training:class_detail", pk=pk)


# --- attendance and completion ---------------------------------------------------------------


@scope_required(Cap.VIEW)
@require_http_methods(["GET", "POST"])
def attendance(request, pk, session_pk):
    """The attendance sheet of one meeting, made for a phone: one row per student, three
    buttons each. A sheet not yet recorded proposes everyone present."""
    _require_attendance_right(request.scope)
    training_class = _get_class(request, pk)
    session = _get_session(training_class, session_pk)
    enrollments = list(
        training_class.enrollments.select_related("person").order_by("person__name_pinyin", "pk")
    )
    marks = dict(session.attendance.values_list("enrollment_id", "status"))
    error = ""
    if request.method == "POST":
        posted = {
            e.pk: request.POST.get(f"mark-{e.pk}", "")
            for e in enrollments
            if request.POST.get(f"mark-{e.pk}")
        }
        try:
            present = services.attendance_record(
                session=session, marks=posted, by=request.user, on=timezone.localdate()
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
            marks = posted
        else:
            messages.success(
                request,
                f"已记录 {session.date:%Y-%m-%d} 的考勤：出席 {present} 人，共 {len(posted)} 人",
            )
            return redirect("training:class_detail", pk=pk)
    default = "" if session.recorded_at else AttendanceStatus.PRESENT
    rows = [
        {
            "enrollment": e,
            "mark": marks.get(e.pk) or ("" if e.status == EnrollmentStatus.WITHDREW else default),
        }
        for e in enrollments
    ]
    return render(
        request,
        "training/attendance.html",
        {
            "cls": training_class,
            "session": session,
            "rows": rows,
            "choices": AttendanceStatus.choices,
            "error": error,
            "nav_active": NAV,
        },
        status=400 if error else 200,
    )


@scope_required(Cap.VIEW)
def attendance_workbook(request, pk):
    """The class's attendance sheet as a workbook, to fill in Excel; an audited export (it
    lists the students by name)."""
    _require_attendance_right(request.scope)
    training_class = _get_class(request, pk)
    data = sheets.attendance_workbook(training_class)
    rows = training_class.enrollments.count()
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出考勤表：{training_class.name}",
        detail={"培训班": training_class.pk, "名称": training_class.name},
        rows=rows,
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = quote(f"{training_class.name}考勤表.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@scope_required(Cap.VIEW)
@require_http_methods(["GET", "POST"])
def attendance_upload(request, pk):
    """A filled-in attendance workbook: checked whole, then every meeting it fills is recorded,
    or nothing is and every mistake is listed."""
    _require_attendance_right(request.scope)
    training_class = _get_class(request, pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        on = timezone.localdate()
        try:
            marks = sheets.read_attendance(upload.read(), training_class=training_class, on=on)
            if not marks:
                raise ValidationError("考勤表中没有填写任何出勤情况")
            present = services.attendance_import(marks_by_session=marks, by=request.user, on=on)
        except ValidationError as exc:
            errors = exc.messages
        else:
            record_event(
                Kind.IMPORT,
                request=request,
                summary=f"导入考勤表：{training_class.name}（{len(marks)} 次课）",
                detail={"培训班": training_class.pk, "文件": upload.name},
                rows=sum(len(m) for m in marks.values()),
            )
            messages.success(
                request,
                f"已从工作簿导入 {len(marks)} 次课的考勤：出席 {present} 人次",
            )
            return redirect("training:class_detail", pk=pk)
    return render(
        request,
        "training/attendance_upload.html",
        {"cls": training_class, "form": form, "errors": errors, "nav_active": NAV},
        status=400 if errors or form.errors else 200,
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def completion(request, pk):
    """结业登记 for the whole class at once; a class just over proposes 已结业 (合格) for those
    who attended at least two thirds of the hours and 未结业 for the others."""
    training_class = _get_class(request, pk)
    on = timezone.localdate()
    enrollments = list(
        training_class.enrollments.select_related("person").order_by("person__name_pinyin", "pk")
    )
    attended = selectors.attended_hours(enrollments)
    sessions = list(training_class.sessions.all())
    planned = selectors.planned_hours(sessions)
    # With meetings still unrecorded the hours say nothing yet: nothing is proposed.
    unrecorded = sum(1 for s in sessions if s.date <= on and s.recorded_at is None)
    error = ""
    posted = {}
    if request.method == "POST":
        posted = {
            e.pk: (request.POST.get(f"status-{e.pk}", ""), request.POST.get(f"result-{e.pk}", ""))
            for e in enrollments
            if request.POST.get(f"status-{e.pk}")
        }
        try:
            done = services.completion_record(training_class=training_class, outcomes=posted, on=on)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, f"已保存结业登记：已结业 {done} 人，共 {len(posted)} 人")
            return redirect("training:class_detail", pk=pk)
    over = training_class.end <= on
    rows = []
    for e in enrollments:
        hours = attended.get(e.pk, (0, selectors.ZERO))[1]
        status, result = e.status, e.result
        if e.pk in posted:
            status, result = posted[e.pk]
        elif status == EnrollmentStatus.ENROLLED and over and not unrecorded:
            enough = selectors.attended_enough(hours, planned)
            status = EnrollmentStatus.COMPLETED if enough else EnrollmentStatus.NOT_COMPLETED
            result = ResultGrade.PASSED if enough else ""
        rows.append({"enrollment": e, "hours": hours, "status": status, "result": result})
    return render(
        request,
        "training/completion.html",
        {
            "cls": training_class,
            "rows": rows,
            "planned": planned,
            "over": over,
            "unrecorded": unrecorded,
            "statuses": EnrollmentStatus.choices,
            "results": ResultGrade.choices,
            "error": error,
            "nav_active": NAV,
        },
        status=400 if error else 200,
    )


# --- external records (from the person file) -------------------------------------------------


def _person_tab(person_pk) -> str:
    return f"{reverse('people:detail', args=[person_pk])}?tab=training"


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def external_edit(request, person_pk, record_pk=None):
    person = people_selectors.get_person(scope=request.scope, pk=person_pk)
    record = None
    if record_pk is not None:
        record = selectors.get_external(scope=request.scope, person=person, pk=record_pk)
    form = ExternalTrainingForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.person = person
        try:
            people_selectors.refuse_after_leaving(
                scope=request.scope,
                person=person,
                on=saved.start,
                today=timezone.localdate(),
                field="start",
                what=f"开始于 {saved.start:%Y-%m-%d} 的培训",
            )
            services.external_training_save(record=saved)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {person.name} 的培训记录「{saved.name}」")
            return redirect(_person_tab(person.pk))
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "person": person,
            "heading": f"{person.name} · {'编辑' if record else '添加'}外部培训记录",
            "cancel_url": _person_tab(person.pk),
            "delete_url": reverse("training:external_delete", args=[person.pk, record.pk])
            if record
            else "",
            "delete_label": "删除这条培训记录",
            "nav_active": "people",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def external_delete(request, person_pk, record_pk):
    person = people_selectors.get_person(scope=request.scope, pk=person_pk)
    record = selectors.get_external(scope=request.scope, person=person, pk=record_pk)
    services.external_training_delete(record=record)
    messages.success(request, f"已删除 {person.name} 的培训记录「{record.name}」")
    return redirect(_person_tab(person.pk))
