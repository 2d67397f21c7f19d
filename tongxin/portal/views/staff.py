"""Staff's and branch chairs' side of the members' portal (/portal/): member accounts and their
codes, publishing notices with read receipts, reviewing corrections, taking drafts forward.
Every read goes through the user's scope."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tongxin.core.caps import Cap
from tongxin.core.codes import OrgKind
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import no_scope, query_without
from tongxin.core.masking import mask_email, mask_phone
from tongxin.core.scope import get_in_scope_or_404
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param
from tongxin.people.rosterlist import roster_list

from .. import selectors, services
from ..forms import DecisionForm, IdentityForm, NoticeForm
from ..models import CorrectionRequest, CorrectionState, DraftState, Notice, NoticeKind
from ..rules import field_label

NAV = "portal"
MASKS = {"phone": mask_phone, "email": mask_email}


def _require_any(request, *caps):
    if not any(request.scope.can(cap) for cap in caps):
        raise PermissionDenied("您的角色没有这项操作的权限")


def _org_choices(request):
    orgs = org_selectors.organizations(scope=request.scope, on=timezone.localdate())
    return orgs.exclude(kind=OrgKind.GROUP).order_by("path")


@scope_required(Cap.VIEW)
def index(request):
    today = timezone.localdate()
    return render(
        request,
        "portal/staff/index.html",
        {
            "nav_active": NAV,
            "pending_chair": selectors.corrections_in(scope=request.scope, on=today)
            .filter(state=CorrectionState.CHAIR)
            .count(),
            "pending_staff": selectors.corrections_in(scope=request.scope, on=today)
            .filter(state=CorrectionState.STAFF)
            .count(),
            "drafts_waiting": selectors.drafts_in(scope=request.scope, on=today)
            .filter(state=DraftState.SUBMITTED)
            .count(),
        },
    )


@scope_required(Cap.VIEW)
def accounts(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV, "成员服务")
    rows = selectors.accounts_in(scope=request.scope, org=org, on=timezone.localdate())
    return render(
        request,
        "portal/staff/accounts.html",
        {
            "nav_active": NAV,
            "org": org,
            "orgs": _org_choices(request),
            "rows": rows,
            "may_issue": request.scope.can(Cap.CHANGE) or request.scope.can(Cap.PROPOSE_CHANGE),
        },
    )


@require_POST
@scope_required(Cap.VIEW)
def account_issue(request, pk):
    _require_any(request, Cap.CHANGE, Cap.PROPOSE_CHANGE)
    today = timezone.localdate()
    person = selectors.current_member(scope=request.scope, pk=pk, on=today)
    try:
        code = services.account_issue(person=person, by=request.user, on=today)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("portal:accounts")
    return render(
        request,
        "portal/staff/code.html",
        {"nav_active": NAV, "person": person, "code": code, "days": services.CODE_DAYS},
    )


@require_POST
@scope_required(Cap.VIEW)
def account_reset(request, pk):
    """重置密码: a new one-time code for a member who forgot the password."""
    _require_any(request, Cap.CHANGE, Cap.PROPOSE_CHANGE)
    today = timezone.localdate()
    person = selectors.current_member(scope=request.scope, pk=pk, on=today)
    try:
        code = services.account_reset_issue(
            person=person, by=request.user, on=today, request=request
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("portal:accounts")
    return render(
        request,
        "portal/staff/code.html",
        {
            "nav_active": NAV,
            "person": person,
            "code": code,
            "days": services.RESET_CODE_DAYS,
            "reset": True,
        },
    )


@scope_required(Cap.VIEW)
def notices(request):
    return render(
        request,
        "portal/staff/notices.html",
        {"nav_active": NAV, "notices": selectors.notices_in(scope=request.scope)[:200]},
    )


@scope_required(Cap.VIEW)
def notice_new(request):
    """发布: to a node's members, or (``?roster=1`` and the roster's own query, from the
    roster's link) to exactly the members that roster list shows, read by its own selector."""
    _require_any(request, Cap.CHANGE, Cap.RECORD_ACTIVITY)
    roster = None
    if request.GET.get("roster"):
        org = org_param(request)
        if org is None:
            return no_scope(request, NAV, "成员服务")
        roster = roster_list(
            scope=request.scope, org=org, data=request.GET, today=timezone.localdate()
        )
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        orgs=_org_choices(request),
        to_list=roster is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(
                notice=form.save(commit=False),
                scope=request.scope,
                by=request.user,
                upload=form.cleaned_data.get("upload"),
                roster=roster,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            to = f"名册筛选的 {notice.recipients.count()} 人" if roster else notice.org.name
            messages.success(request, f"已向{to}发布「{notice.title}」。")
            return redirect("portal:notice", pk=notice.pk)
    context = {"nav_active": NAV, "form": form}
    if roster is not None:
        context.update(
            roster=roster,
            roster_count=roster.people(request.scope).count(),
            roster_url=f"{reverse('people:roster')}?{query_without(request, 'roster')}",
        )
    return render(request, "portal/staff/notice_form.html", context)


def _notice(request, pk) -> Notice:
    return get_in_scope_or_404(
        Notice.objects.select_related("org"), request.scope, "org__path", pk=pk
    )


@scope_required(Cap.VIEW)
def notice(request, pk):
    item = _notice(request, pk)
    # Read receipts stay with the publisher: no one else sees who has read.
    mine = item.published_by_id == request.user.pk
    today = timezone.localdate()
    return render(
        request,
        "portal/staff/notice.html",
        {
            "nav_active": NAV,
            "notice": item,
            "receipts": selectors.receipts(notice=item, scope=request.scope, on=today)
            if mine
            else None,
            "signups": item.signups.select_related("person").order_by("person__name_pinyin")
            if item.kind == NoticeKind.ACTIVITY
            else [],
            "may_record": item.kind == NoticeKind.ACTIVITY
            and not item.activity_id
            and item.event_date <= today
            and (request.scope.can(Cap.CHANGE) or request.scope.can(Cap.RECORD_ACTIVITY)),
        },
    )


@scope_required(Cap.VIEW)
def notice_file(request, pk):
    item = _notice(request, pk)
    if not item.file or not default_storage.exists(item.file):
        raise Http404("文件不存在")
    return FileResponse(
        default_storage.open(item.file, "rb"),
        as_attachment=True,
        filename=item.file_name,
        content_type=item.content_type,
    )


@require_POST
@scope_required(Cap.VIEW)
def notice_record(request, pk):
    _require_any(request, Cap.CHANGE, Cap.RECORD_ACTIVITY)
    item = _notice(request, pk)
    try:
        activity = services.notice_record_activity(
            notice=item, scope=request.scope, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            f"已登记活动「{activity.title}」，报名的 {activity.attendance.count()} 人列为应到；"
            "实到请在活动记录中登记。",
        )
    return redirect("portal:notice", pk=item.pk)


def _shown_changes(request: CorrectionRequest):
    rows = []
    for name, (before, after) in request.changes.items():
        mask = MASKS.get(name)
        if mask and after and "*" not in after:
            after = mask(after)
        rows.append((field_label(name), before, after))
    return rows


@scope_required(Cap.VIEW)
def corrections(request):
    today = timezone.localdate()
    org = org_param(request)
    scope = request.scope.narrow(org.path) if org is not None else request.scope
    found = selectors.corrections_in(scope=scope, on=today)
    state = request.GET.get("state") or ""
    if state in CorrectionState.values:
        found = found.filter(state=state)
    items = [(c, _shown_changes(c)) for c in found[:200]]
    return render(
        request,
        "portal/staff/corrections.html",
        {
            "nav_active": NAV,
            "org": org,
            "items": items,
            "state": state,
            "states": CorrectionState.choices,
            "may_chair": request.scope.can(Cap.PROPOSE_CHANGE),
            "may_staff": request.scope.can(Cap.CHANGE),
            "form": DecisionForm(),
        },
    )


@require_POST
@scope_required(Cap.VIEW)
def correction_decide(request, pk, step):
    today = timezone.localdate()
    item = selectors.corrections_in(scope=request.scope, on=today).filter(pk=pk).first()
    if item is None:
        raise Http404("申请不存在或不在您的管理范围内")
    form = DecisionForm(request.POST)
    form.is_valid()
    opinion = form.cleaned_data.get("opinion", "")
    accept = request.POST.get("decision") == "accept"
    try:
        if step == "chair":
            services.correction_chair_decide(
                request=item, scope=request.scope, by=request.user, accept=accept, opinion=opinion
            )
        else:
            services.correction_staff_decide(
                request=item, scope=request.scope, by=request.user, accept=accept, reason=opinion
            )
    except ValidationError as exc:
        messages.error(request, f"{item.person.name} 的更正申请未处理：" + "；".join(exc.messages))
    else:
        messages.success(
            request, f"已处理 {item.person.name} 的更正申请：{item.get_state_display()}。"
        )
    return redirect("portal:corrections")


@scope_required(Cap.CHANGE)
def identity(request, pk):
    """Staff correct a locked identity field with a written reason."""
    today = timezone.localdate()
    person = selectors.current_member(scope=request.scope, pk=pk, on=today)
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_correct(
                person=person,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                scope=request.scope,
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已更正 {person.name} 的身份信息，理由已记入审计日志。")
            return redirect("portal:identity", pk=person.pk)
    return render(
        request,
        "portal/staff/identity.html",
        {"nav_active": NAV, "person": person, "form": form},
    )


@scope_required(Cap.VIEW)
def drafts(request):
    today = timezone.localdate()
    return render(
        request,
        "portal/staff/drafts.html",
        {
            "nav_active": NAV,
            "drafts": selectors.drafts_in(scope=request.scope, on=today)[:200],
            "may_take": request.scope.can(Cap.CHANGE),
            "form": DecisionForm(),
        },
    )


@require_POST
@scope_required(Cap.CHANGE)
def draft_decide(request, pk, step):
    today = timezone.localdate()
    item = selectors.drafts_in(scope=request.scope, on=today).filter(pk=pk).first()
    if item is None:
        raise Http404("稿件不存在或不在您的管理范围内")
    try:
        if step == "take":
            services.draft_take(draft=item, scope=request.scope, by=request.user, on=today)
        else:
            services.draft_return(
                draft=item,
                scope=request.scope,
                by=request.user,
                reason=request.POST.get("opinion", ""),
            )
    except ValidationError as exc:
        messages.error(request, f"「{item.title}」未处理：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已处理「{item.title}」：{item.get_state_display()}。")
    return redirect("portal:drafts")
