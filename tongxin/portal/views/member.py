"""The members' pages (/m/): a member's own file and what is published to them. Every page asks
for the member behind the login (404 for anyone else) and reads only through them."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongxin.core.forms import add_service_errors

from .. import record as record_doc
from .. import selectors, services
from ..forms import ActivateForm, CorrectionForm, DraftForm, ResetForm
from ..materials import DOCX
from ..models import NoticeKind, NoticeRead, SignUp
from ..rules import field_label


def member_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = selectors.member_account_of(request.user)
        if account is None:
            raise Http404("此页面仅供成员使用")
        request.member = account.person
        request.today = timezone.localdate()
        return view(request, *args, **kwargs)

    return wrapped


def activate(request):
    """激活成员账号: the one-time code, a user name and a password."""
    if request.user.is_authenticated:
        return redirect("member:home")
    form = ActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_activate(
                code=data["code"],
                username=data["username"],
                password=data["password1"],
                on=timezone.localdate(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "账号已激活，请用新设置的用户名和密码登录。")
            return redirect("login")
    return render(request, "portal/member/activate.html", {"form": form})


def reset(request):
    """忘记密码: the reset code the chair or staff handed out, and a new password; every other
    login of the account ends."""
    if request.user.is_authenticated:
        return redirect("member:home")
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.account_reset(
                code=data["code"],
                password=data["password1"],
                on=timezone.localdate(),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"密码已重新设置，请用用户名 {account.user.get_username()} 和新密码登录；"
                "此前在其他设备上的登录已失效。",
            )
            return redirect("login")
    return render(request, "portal/member/reset.html", {"form": form})


@member_page
def home(request):
    person, today = request.member, request.today
    notices = selectors.notices_for(person=person, on=today)
    read = set(
        NoticeRead.objects.filter(person=person, notice__in=notices).values_list(
            "notice_id", flat=True
        )
    )
    return render(
        request,
        "portal/member/home.html",
        {
            "notices": notices[:5],
            "read": read,
            "classes": selectors.classes_for(person=person, on=today)[:3],
            "drafts": selectors.drafts_of(person)[:3],
            "org": selectors.member_org(person, today),
        },
    )


@member_page
def notices(request):
    person = request.member
    items = selectors.notices_for(person=person, on=request.today)
    read = set(NoticeRead.objects.filter(person=person).values_list("notice_id", flat=True))
    return render(request, "portal/member/notices.html", {"notices": items, "read": read})


@member_page
def notice(request, pk):
    person = request.member
    item = selectors.notice_for(person=person, on=request.today, pk=pk)
    services.notice_read(notice=item, person=person)
    signup = SignUp.objects.filter(notice=item, person=person).first()
    return render(
        request,
        "portal/member/notice.html",
        {
            "notice": item,
            "signup": signup,
            "open": item.kind == NoticeKind.ACTIVITY
            and item.event_date >= request.today
            and not item.activity_id,
        },
    )


def _file_response(item):
    if not item.file or not default_storage.exists(item.file):
        raise Http404("文件不存在")
    return FileResponse(
        default_storage.open(item.file, "rb"),
        as_attachment=not item.content_type.startswith("image/"),
        filename=item.file_name,
        content_type=item.content_type,
    )


@member_page
def notice_file(request, pk):
    item = selectors.notice_for(person=request.member, on=request.today, pk=pk)
    return _file_response(item)


@require_POST
@member_page
def notice_signup(request, pk):
    item = selectors.notice_for(person=request.member, on=request.today, pk=pk)
    try:
        services.signup_activity(notice=item, person=request.member, on=request.today)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已报名「{item.title}」。")
    return redirect("member:notice", pk=item.pk)


@require_POST
@member_page
def signup_cancel(request, pk):
    try:
        signup = selectors.signups_of(request.member).get(pk=pk)
    except SignUp.DoesNotExist as exc:
        raise Http404("报名不存在") from exc
    try:
        services.signup_cancel(signup=signup, on=request.today)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已取消报名。")
    return redirect("member:signups")


@member_page
def classes(request):
    person = request.member
    signed = set(
        selectors.signups_of(person)
        .filter(training_class__isnull=False)
        .values_list("training_class_id", flat=True)
    )
    return render(
        request,
        "portal/member/classes.html",
        {"classes": selectors.classes_for(person=person, on=request.today), "signed": signed},
    )


@require_POST
@member_page
def class_signup(request, pk):
    item = selectors.class_for(person=request.member, on=request.today, pk=pk)
    try:
        services.signup_class(training_class=item, person=request.member, on=request.today)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已报名「{item.name}」，已列入学员名单。")
    return redirect("member:signups")


@member_page
def signups(request):
    return render(
        request,
        "portal/member/signups.html",
        {"signups": selectors.signups_of(request.member).order_by("-created_at")},
    )


@member_page
def my_record(request):
    record = selectors.member_record(person=request.member)
    return render(request, "portal/member/record.html", {"sections": record_doc.sections(record)})


@member_page
def my_record_docx(request):
    record = selectors.member_record(person=request.member)
    content = record_doc.document(record=record, on=request.today)
    response = HttpResponse(content, content_type=DOCX)
    name = f"{request.member.name}-履职档案.docx"
    response["Content-Disposition"] = _attachment(name)
    return response


def _attachment(name: str) -> str:
    return f"attachment; filename=\"record.docx\"; filename*=UTF-8''{quote(name)}"


@member_page
def corrections(request):
    person = request.member
    form = CorrectionForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_propose(
                person=person, changes=form.changes(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "更正申请已提交，将由支部和组织部审核。")
            return redirect("member:corrections")
    items = [
        (c, [(field_label(n), pair) for n, pair in c.changes.items()])
        for c in selectors.corrections_of(person)
    ]
    return render(
        request,
        "portal/member/corrections.html",
        {"form": form, "items": items, "pending": selectors.pending_correction_of(person)},
    )


@member_page
def drafts(request):
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = form.save(commit=False)
        draft.person = request.member
        try:
            services.draft_submit(draft=draft)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "稿件已提交，组织部处理后可在此查看进展。")
            return redirect("member:draft", pk=draft.pk)
    return render(
        request,
        "portal/member/drafts.html",
        {"form": form, "drafts": selectors.drafts_of(request.member)},
    )


@member_page
def draft(request, pk):
    item = selectors.draft_of(person=request.member, pk=pk)
    adoptions = item.contribution.adoptions.order_by("on") if item.contribution_id else []
    return render(request, "portal/member/draft.html", {"draft": item, "adoptions": adoptions})


@member_page
def account(request):
    """账号与安全: the login's own pages (修改密码、双重验证), shown in the members' frame."""
    return render(
        request,
        "portal/member/account.html",
        {"otp_on": TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()},
    )
