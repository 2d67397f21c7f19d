"""Branch activities: the list, recording one with its attendance (also on a phone), photos."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import (
    date_param,
    id_param,
    no_scope,
    parse_id,
    query_without,
    url_with_query,
)
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param

from .. import selectors, services
from ..forms import ActivityFilterForm, ActivityForm, PhotoUploadForm
from ..models import ActivityKind
from .common import (
    invalid_filters,
    may_record_activities,
    org_choices,
    page_of,
    picker,
    require_record_activities,
)


@scope_required(Cap.VIEW)
def activity_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, "branchwork", "基层建设")
    form = ActivityFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    found = selectors.activities(
        scope=request.scope,
        org=org,
        period=form.period(),
        kind=data.get("kind", ""),
        q=data.get("q", ""),
    )
    page = page_of(found, request)
    counts = selectors.attendance_counts(a.pk for a in page.object_list)
    return render(
        request,
        "branchwork/activities.html",
        {
            "org": org,
            "orgs": picker(request, org),
            "form": form,
            "invalid": invalid_filters(form),
            "page": page,
            "rows": [(a, *counts.get(a.pk, (0, 0))) for a in page.object_list],
            "query": query_without(request),
            "may_record": may_record_activities(request.scope),
            "nav_active": "branchwork",
        },
    )


def _ids(values, name: str) -> set[int]:
    return {parse_id(v, name) for v in values if str(v).strip()}


def _attendance_context(request, *, org, on: date | None, expected, present, fresh: bool):
    """The roster an activity of ``org`` on ``on`` picks from, with the ticks to show.
    ``fresh``: everyone expected (a new activity, or a list none of whose ticks is left)."""
    roster = list(selectors.roster_on(scope=request.scope, org=org, on=on)) if org and on else []
    if fresh:
        expected = {p.pk for p in roster}
        present = present & expected
    return {
        "roster": roster,
        "expected": expected,
        "present": present,
        "attendance_org": org,
        "attendance_on": on,
    }


def _form_page(request, *, form, activity=None, attendance, heading):
    return render(
        request,
        "branchwork/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "heading": heading,
            "nav_active": "branchwork",
            **attendance,
        },
    )


def _save(request, form, activity=None):
    """Validate and save; returns the saved activity or None with the errors on ``form``."""
    expected = _ids(request.POST.getlist("expected"), "expected")
    present = _ids(request.POST.getlist("present"), "present")
    if not form.is_valid():
        return None, expected, present
    record = form.save(commit=False)
    try:
        services.activity_save(
            activity=record,
            expected=expected,
            present=present,
            scope=request.scope,
            by=request.user,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, expected, present
    return record, expected, present


def _saved_message(activity, expected, present) -> str:
    return f"已保存活动「{activity.title}」：应到 {len(expected)} 人，实到 {len(present)} 人"


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    require_record_activities(request.scope)
    orgs = org_choices(request)
    org = org_param(request)
    today = timezone.localdate()
    form = ActivityForm(
        request.POST or None,
        orgs=orgs,
        initial={"org": org.pk if org else None, "date": today, "kind": ActivityKind.STUDY},
    )
    if request.method == "POST":
        activity, expected, present = _save(request, form)
        if activity is not None:
            messages.success(request, _saved_message(activity, expected, present))
            return redirect("branchwork:activity_detail", pk=activity.pk)
        attendance = _attendance_context(
            request,
            org=form.cleaned_data.get("org"),
            on=form.cleaned_data.get("date"),
            expected=expected,
            present=present,
            fresh=False,
        )
    else:
        attendance = _attendance_context(
            request, org=org, on=today, expected=set(), present=set(), fresh=True
        )
    return _form_page(request, form=form, attendance=attendance, heading="记录支部活动")


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = selectors.get_activity(scope=request.scope, pk=pk)
    require_record_activities(request.scope)
    form = ActivityForm(request.POST or None, instance=activity, orgs=org_choices(request))
    if request.method == "POST":
        saved, expected, present = _save(request, form, activity)
        if saved is not None:
            messages.success(request, _saved_message(saved, expected, present))
            return redirect("branchwork:activity_detail", pk=saved.pk)
        org = form.cleaned_data.get("org", activity.org)
        on = form.cleaned_data.get("date", activity.date)
    else:
        rows = list(activity.attendance.all())
        expected = {a.person_id for a in rows if a.expected}
        present = {a.person_id for a in rows if a.present}
        org, on = activity.org, activity.date
    attendance = _attendance_context(
        request, org=org, on=on, expected=expected, present=present, fresh=False
    )
    return _form_page(
        request,
        form=form,
        activity=activity,
        attendance=attendance,
        heading=f"编辑活动「{activity.title}」",
    )


@login_required
def activity_roster(request):
    """htmx: the attendance list again when the organization or the date changes, keeping the
    ticks already made."""
    require_record_activities(request.scope)
    pk = id_param(request, "org")
    if pk is None:
        raise Http404("请选择组织")
    org = org_selectors.get_org(scope=request.scope, pk=pk)
    on = date_param(request, "date")
    expected = _ids(request.GET.getlist("expected"), "expected")
    present = _ids(request.GET.getlist("present"), "present")
    roster = (
        {p.pk for p in selectors.roster_on(scope=request.scope, org=org, on=on)} if on else set()
    )
    # Another organization, or a date whose roster keeps none of the ticks: start afresh.
    context = _attendance_context(
        request,
        org=org,
        on=on,
        expected=expected,
        present=present,
        fresh=not (expected & roster),
    )
    return render(request, "branchwork/_attendance.html", context)


@scope_required(Cap.VIEW)
def activity_detail(request, pk):
    activity = selectors.get_activity(scope=request.scope, pk=pk)
    rows = list(activity.attendance.select_related("person").order_by("person__name_pinyin"))
    may_record = may_record_activities(request.scope)
    return render(
        request,
        "branchwork/activity_detail.html",
        {
            "activity": activity,
            "present": [a.person for a in rows if a.present],
            "absent": [a.person for a in rows if a.expected and not a.present],
            "unexpected": [a.person for a in rows if a.present and not a.expected],
            "expected_count": sum(a.expected for a in rows),
            "photos": list(activity.photos.all()),
            "photo_form": PhotoUploadForm() if may_record else None,
            "may_record": may_record,
            "nav_active": "branchwork",
        },
    )


@login_required
@require_POST
def activity_delete(request, pk):
    activity = selectors.get_activity(scope=request.scope, pk=pk)
    require_record_activities(request.scope)
    org, title = activity.org, activity.title
    services.activity_delete(activity=activity)
    messages.success(request, f"已删除活动「{title}」及其出勤记录和照片")
    return redirect(url_with_query("branchwork:activities", org=org.pk))


@login_required
@require_POST
def photo_upload(request, pk):
    activity = selectors.get_activity(scope=request.scope, pk=pk)
    require_record_activities(request.scope)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            made = services.photos_add(
                activity=activity,
                uploads=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"照片未上传：{message}")
        else:
            messages.success(request, f"已上传 {len(made)} 张照片")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"照片未上传：{message}")
    return redirect("branchwork:activity_detail", pk=activity.pk)


def _serve(name: str, content_type: str, filename: str):
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("照片文件已不存在") from exc
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Personal photos: kept by the browser only, never by a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response


@scope_required(Cap.VIEW)
def photo(request, pk):
    item = selectors.get_photo(scope=request.scope, pk=pk)
    return _serve(item.file, item.content_type, item.original_name)


@scope_required(Cap.VIEW)
def photo_thumbnail(request, pk):
    item = selectors.get_photo(scope=request.scope, pk=pk)
    return _serve(item.thumbnail, "image/jpeg", f"thumb-{item.pk}.jpg")


@login_required
@require_POST
def photo_delete(request, pk):
    item = selectors.get_photo(scope=request.scope, pk=pk)
    require_record_activities(request.scope)
    activity_pk, name = item.activity_id, item.original_name
    services.photo_delete(photo=item)
    messages.success(request, f"已删除照片「{name}」")
    return redirect("branchwork:activity_detail", pk=activity_pk)
