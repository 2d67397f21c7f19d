"""Writes of the members' side: each one transaction, keyword-only."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from tongxin.accounts.models import User
from tongxin.audit.services import Kind, record_event
from tongxin.branchwork import services as branchwork_services
from tongxin.branchwork.models import Activity, ActivityKind, Contribution
from tongxin.core.caps import Cap
from tongxin.core.scope import Scope
from tongxin.people import services as people_services
from tongxin.people.forms import MASKED_ON_EDIT, PersonForm
from tongxin.people.models import PERSON_FIELDS, Person
from tongxin.people.rosterlist import RosterList
from tongxin.training import services as training_services
from tongxin.training.models import Enrollment, TrainingClass

from . import materials, selectors
from .models import (
    Audience,
    CorrectionRequest,
    CorrectionState,
    Draft,
    DraftState,
    IdentityCorrection,
    MemberAccount,
    Notice,
    NoticeKind,
    NoticeRead,
    NoticeRecipient,
    SignUp,
)
from .rules import CORRECTABLE, IDENTITY_FIELDS, field_label

# No 0/O, 1/I/L: a code is read aloud or copied from a note.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_DAYS = 14
# A reset code opens an account already in use: it lapses sooner.
RESET_CODE_DAYS = 3


def normalize_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(CODE_GROUPS)
    )


def _refuse_unless_member(person: Person, on: date, what: str) -> None:
    if refusal := selectors.access_refusal(person=person, on=on):
        raise ValidationError(f"{refusal}：不能{what}")


@transaction.atomic
def account_issue(*, person: Person, by, on: date) -> str:
    """Issue (or issue again) the one-time activation code of ``person``'s member account;
    returns the code, which is stored only as a keyed hash."""
    _refuse_unless_member(person, on, "开通成员账号")
    account = MemberAccount.objects.select_for_update().filter(person=person).first()
    if account is not None and account.user_id is not None:
        raise ValidationError(
            f"{person.name} 的成员账号已激活，不能再发放激活码；忘记密码请用“重置密码”"
        )
    code = _new_code()
    if account is None:
        account = MemberAccount(person=person, issued_by=by)
    account.issued_by = by
    account.issued_at = timezone.now()
    account.code_hash = code_hash(code)
    account.code_expires_at = timezone.now() + timedelta(days=CODE_DAYS)
    account.save()
    return code


@transaction.atomic
def account_reset_issue(*, person: Person, by, on: date, request=None) -> str:
    """重置密码: a new one-time code for an activated member account whose password is
    forgotten, handed out as the activation code was; the member sets a new password with it
    (``account_reset``). Returns the code, stored only as a keyed hash; the audit log records
    who issued it."""
    _refuse_unless_member(person, on, "重置成员账号的密码")
    account = (
        MemberAccount.objects.select_for_update(of=("self",))
        .filter(person=person)
        .select_related("user")
        .first()
    )
    if account is None or account.user_id is None:
        raise ValidationError(f"{person.name} 的成员账号尚未激活，请发放激活码")
    code = _new_code()
    account.issued_by = by
    account.issued_at = timezone.now()
    account.code_hash = code_hash(code)
    account.code_expires_at = timezone.now() + timedelta(days=RESET_CODE_DAYS)
    account.save()
    username = account.user.get_username()
    record_event(
        Kind.PASSWORD_RESET,
        request=request,
        user=by,
        summary=f"为成员 {person.name}（{username}）发放了重置密码的一次性码",
        detail={"account": username, "how": "member_code", "person": person.pk},
    )
    return code


def _account_of_code(code: str, *, activated: bool) -> MemberAccount:
    """The account waiting for ``code``: an activation's (``activated`` False) or a reset's."""
    found = (
        MemberAccount.objects.select_for_update(of=("self",))
        .filter(code_hash=code_hash(code), code_expires_at__isnull=False)
        .select_related("person", "user")
        .first()
    )
    if found is not None and found.user_id is not None and not activated:
        raise ValidationError({"code": "这是重置密码用的码：请在“忘记密码”页面使用"})
    if found is not None and found.user_id is None and activated:
        raise ValidationError({"code": "这是激活码：请在“激活账号”页面使用"})
    if found is None:
        what = "重置码" if activated else "激活码"
        raise ValidationError({"code": f"{what}不正确或已使用，请向支部主委或组织部索取新的{what}"})
    if found.code_expires_at < timezone.now():
        what = "重置码" if activated else "激活码"
        raise ValidationError({"code": f"{what}已过期，请向支部主委或组织部索取新的{what}"})
    return found


@transaction.atomic
def account_activate(*, code: str, username: str, password: str, on: date) -> MemberAccount:
    """Activate the account of ``code``: a user named ``username`` with ``password`` (the staff
    password rules), holding no role and no scope. The code cannot be used twice."""
    account = _account_of_code(code, activated=False)
    _refuse_unless_member(account.person, on, "激活成员账号")
    username = username.strip()
    if not username:
        raise ValidationError({"username": "请填写用户名"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名「{username}」已被使用，请换一个"})
    user = User(username=username, name=account.person.name, must_change_password=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    account.user = user
    account.code_hash = ""
    account.code_expires_at = None
    account.activated_at = timezone.now()
    account.save()
    return account


@transaction.atomic
def account_reset(*, code: str, password: str, on: date, request=None) -> MemberAccount:
    """Set a new password with a reset code (``account_reset_issue``), under the staff password
    rules. The code cannot be used twice; every session of the account ends (its sessions carry
    the old password's hash, and Django refuses them on their next request), and the failed
    logins that locked its name are cleared."""
    account = _account_of_code(code, activated=True)
    _refuse_unless_member(account.person, on, "重置成员账号的密码")
    user = User.objects.select_for_update().get(pk=account.user_id)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    if user.check_password(password):
        raise ValidationError({"password1": "新密码不能与原密码相同"})
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    account.code_hash = ""
    account.code_expires_at = None
    account.save()
    username = user.get_username()
    record_event(
        Kind.PASSWORD_RESET,
        request=request,
        user=user,
        summary=f"成员 {account.person.name}（{username}）凭重置码设置了新密码，其他登录已失效",
        detail={"account": username, "how": "member_code_used", "person": account.person_id},
    )
    return account


# --- notices ---------------------------------------------------------------------------------


# A list longer than this is better published to the node's subtree.
ROSTER_LIST_MAX = 5000


def _roster_recipients(*, roster: RosterList, scope: Scope) -> list[int]:
    """The members a roster filter shows today, inside ``scope``: a notice's list."""
    if roster.invalid():
        raise ValidationError("名册筛选条件有误：" + "；".join(roster.invalid()))
    if not roster.is_current:
        raise ValidationError(
            "发布对象须是当前在册的成员：请在名册中去掉“在册日期”和“人员变动”筛选后再发布"
        )
    if not scope.contains_path(roster.org.path):
        raise ValidationError(f"「{roster.org}」不在您的管理范围内")
    people = list(roster.people(scope).values_list("pk", flat=True)[: ROSTER_LIST_MAX + 1])
    if not people:
        raise ValidationError("名册筛选的结果没有成员，不能发布")
    if len(people) > ROSTER_LIST_MAX:
        raise ValidationError(
            f"名册筛选的结果超过 {ROSTER_LIST_MAX} 人，请缩小筛选范围，或发布到组织及下级组织"
        )
    return people


@transaction.atomic
def notice_publish(
    *, notice: Notice, scope: Scope, by, upload=None, roster: RosterList | None = None
) -> Notice:
    """Publish ``notice`` to the members of the subtree at its org, or with ``roster`` to the
    members that roster list shows today, fixed now as the notice's recipients; a
    material's file is checked by its content first (PDF, Word .docx, JPG/PNG/WebP)."""
    if not (scope.can(Cap.CHANGE) or scope.can(Cap.RECORD_ACTIVITY)):
        raise ValidationError("您的角色不能发布通知")
    recipients = None
    if roster is not None:
        recipients = _roster_recipients(roster=roster, scope=scope)
        notice.org = roster.org
        notice.audience = Audience.LIST
        notice.audience_note = "；".join(roster.description())[:500]
    else:
        notice.audience, notice.audience_note = Audience.SUBTREE, ""
    if notice.org_id and not scope.contains_path(notice.org.path):
        raise ValidationError({"org": f"「{notice.org}」不在您的管理范围内"})
    if notice.kind == NoticeKind.MATERIAL and upload is None:
        raise ValidationError({"upload": "学习资料须上传文件（PDF、Word 或图片）"})
    if notice.kind != NoticeKind.ACTIVITY:
        notice.event_date = None
        notice.place = ""
    prepared = materials.prepare(upload) if upload is not None else None
    notice.published_by = by
    notice.full_clean()
    if prepared is not None:
        name = default_storage.save(prepared.storage_name, ContentFile(prepared.content))
        notice.file = name
        notice.file_name = prepared.original_name
        notice.content_type = prepared.content_type
    notice.save()
    if recipients is not None:
        NoticeRecipient.objects.bulk_create(
            NoticeRecipient(notice=notice, person_id=pk) for pk in recipients
        )
    return notice


def notice_read(*, notice: Notice, person: Person) -> None:
    """Note that ``person`` opened ``notice`` (once)."""
    NoticeRead.objects.get_or_create(notice=notice, person=person)


@transaction.atomic
def notice_record_activity(*, notice: Notice, scope: Scope, by, kind: str = ActivityKind.OTHER):
    """Record the announced activity in branchwork with the members who signed up as expected
    (应到); who came (实到) stays the chair's record on the activity's page."""
    if notice.kind != NoticeKind.ACTIVITY:
        raise ValidationError("只有活动预告可以登记为活动")
    if notice.activity_id:
        raise ValidationError("该活动预告已登记为活动")
    expected = list(notice.signups.values_list("person_id", flat=True))
    activity = branchwork_services.activity_save(
        activity=Activity(
            org=notice.org,
            date=notice.event_date,
            kind=kind,
            title=notice.title,
            place=notice.place,
        ),
        expected=expected,
        present=[],
        scope=scope,
        by=by,
    )
    notice.activity = activity
    notice.save(update_fields=["activity"])
    return activity


# --- sign-up ---------------------------------------------------------------------------------


@transaction.atomic
def signup_activity(*, notice: Notice, person: Person, on: date) -> SignUp:
    if notice.kind != NoticeKind.ACTIVITY:
        raise ValidationError("这条通知不是活动预告，不能报名")
    if notice.event_date < on or notice.activity_id:
        raise ValidationError(f"「{notice.title}」已经举行，不能再报名")
    if SignUp.objects.filter(notice=notice, person=person).exists():
        raise ValidationError(f"您已报名「{notice.title}」")
    return SignUp.objects.create(notice=notice, person=person)


@transaction.atomic
def signup_class(*, training_class: TrainingClass, person: Person, on: date) -> SignUp:
    """Sign up for a class: the member is enrolled (training's 学员名单); attendance at each
    session stays the organizer's record."""
    if training_class.start < on:
        raise ValidationError(f"「{training_class.name}」已经开班，不能再报名")
    if Enrollment.objects.filter(training_class=training_class, person=person).exists():
        raise ValidationError(f"您已在「{training_class.name}」的学员名单中")
    training_services.enrollment_add(training_class=training_class, people=[person], on=on)
    return SignUp.objects.create(training_class=training_class, person=person)


@transaction.atomic
def signup_cancel(*, signup: SignUp, on: date) -> None:
    if signup.training_class_id:
        tc = signup.training_class
        if tc.start < on:
            raise ValidationError(f"「{tc.name}」已经开班，不能取消报名，请与组织者联系")
        enrollment = Enrollment.objects.filter(training_class=tc, person=signup.person).first()
        if enrollment is not None:
            training_services.enrollment_remove(enrollment=enrollment)
    elif signup.notice.activity_id or signup.notice.event_date < on:
        raise ValidationError(f"「{signup.notice.title}」已经举行，不能取消报名")
    signup.delete()


# --- corrections -----------------------------------------------------------------------------


def _mask_new_values(request: CorrectionRequest) -> None:
    """A decided request keeps a new phone or e-mail masked too (the record holds it)."""
    for name, (before, after) in request.changes.items():
        if name in MASKED_ON_EDIT and after:
            request.changes[name] = [before, MASKED_ON_EDIT[name](after)]


def _person_form(person: Person, changes: dict[str, str]) -> PersonForm:
    """The person form bound to ``person``'s record with ``changes``: the same checks and the
    same save as staff's 编辑 page (a masked field left blank keeps what is stored)."""
    data = model_to_dict(person, fields=PERSON_FIELDS)
    for name in MASKED_ON_EDIT:
        data[name] = ""
    data["upper_middle"] = {None: "unknown", True: "true", False: "false"}[person.upper_middle]
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    return PersonForm(data, instance=person)


def _check_changes(person: Person, changes: dict[str, str], allowed) -> dict[str, list[str]]:
    """``changes`` checked by the person form; the fields that differ, as [before, after]."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError("不能在此更正：" + "、".join(field_label(n) for n in sorted(unknown)))
    stored = {name: getattr(person, name) for name in changes}
    # The form's validation writes the new values on its instance: a copy, not the caller's.
    form = _person_form(Person.objects.get(pk=person.pk), changes)
    if not form.is_valid():
        errors = {
            name: [f"{field_label(name)}：{m}" for m in messages]
            for name, messages in form.errors.items()
        }
        raise ValidationError(errors)
    diff = {}
    for name in changes:
        before = stored[name]
        after = form.cleaned_data[name]
        if (before or "") != (after or ""):
            before, after = str(before or ""), str(after or "")
            if name in MASKED_ON_EDIT:
                # The record keeps a phone or e-mail encrypted: the request shows it masked.
                before = MASKED_ON_EDIT[name](before) if before else ""
            diff[name] = [before, after]
    if not diff:
        raise ValidationError("没有需要更正的内容：填写的值与登记的相同")
    return diff


@transaction.atomic
def correction_propose(*, person: Person, changes: dict[str, str], note: str = ""):
    """A member proposes a change of their own non-identity fields."""
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    changes = {k: v for k, v in changes.items() if v not in ("", None)}
    if not changes:
        raise ValidationError("请至少填写一项要更正的信息")
    if selectors.pending_correction_of(person) is not None:
        raise ValidationError("您已有一份待审核的更正申请，请等审核完成后再提交")
    diff = _check_changes(person, changes, CORRECTABLE)
    request = CorrectionRequest(person=person, changes=diff, note=note)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def correction_chair_decide(
    *, request: CorrectionRequest, scope: Scope, by, accept: bool, opinion: str
) -> CorrectionRequest:
    """The branch chair's step (提出成员信息变更): pass to staff, or reject with a reason."""
    scope.require(Cap.PROPOSE_CHANGE)
    if request.state != CorrectionState.CHAIR:
        raise ValidationError("该申请不在支部审核这一步")
    opinion = opinion.strip()
    if not accept and not opinion:
        raise ValidationError({"opinion": "不同意时须写明理由"})
    request.chair_by, request.chair_at, request.chair_opinion = by, timezone.now(), opinion
    if accept:
        request.state = CorrectionState.STAFF
    else:
        request.state, request.reason = CorrectionState.REJECTED, opinion
        _mask_new_values(request)
    request.save()
    return request


@transaction.atomic
def correction_staff_decide(
    *, request: CorrectionRequest, scope: Scope, by, accept: bool, reason: str = ""
) -> CorrectionRequest:
    """Staff's step: accepted changes go through the person form and ``person_update``, as an
    edit on the person page would; a rejection keeps its reason."""
    scope.require(Cap.CHANGE)
    if request.state != CorrectionState.STAFF:
        raise ValidationError("该申请尚未经支部审核，或已处理")
    reason = reason.strip()
    request.staff_by, request.staff_at = by, timezone.now()
    if accept:
        person = Person.objects.select_for_update().get(pk=request.person_id)
        changes = {name: pair[1] for name, pair in request.changes.items()}
        form = _person_form(person, changes)
        if not form.is_valid():
            raise ValidationError(
                [f"{field_label(n)}：{m}" for n, ms in form.errors.items() for m in ms]
            )
        people_services.person_update(person=form.save(commit=False))
        request.state = CorrectionState.ACCEPTED
    else:
        if not reason:
            raise ValidationError({"reason": "未采纳须写明理由"})
        request.state, request.reason = CorrectionState.REJECTED, reason
    _mask_new_values(request)
    request.save()
    return request


@transaction.atomic
def identity_correct(
    *, person: Person, changes: dict[str, str], reason: str, scope: Scope, by
) -> IdentityCorrection:
    """Staff correct a locked identity field (姓名、身份证号、入会日期) with a written reason;
    the person's change is in the audit log, the reason in this record (itself audited)."""
    scope.require(Cap.CHANGE)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "更正身份信息须写明理由"})
    changes = {k: v.strip() for k, v in changes.items() if v and v.strip()}
    if not changes:
        raise ValidationError("请至少填写一项要更正的身份信息")
    diff = _check_changes(person, changes, IDENTITY_FIELDS)
    form = _person_form(person, changes)
    form.is_valid()
    people_services.person_update(person=form.save(commit=False))
    return IdentityCorrection.objects.create(
        person=person,
        fields="、".join(field_label(n) for n in diff),
        reason=reason,
        by=by,
    )


# --- drafts ----------------------------------------------------------------------------------


@transaction.atomic
def draft_submit(*, draft: Draft) -> Draft:
    draft.title = draft.title.strip()
    draft.body = draft.body.strip()
    draft.state = DraftState.SUBMITTED
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def draft_take(*, draft: Draft, scope: Scope, by, on: date) -> Contribution:
    """Staff take a draft forward: it becomes a Contribution authored by the member, submitted
    on ``on``, which staff then carry up the adoption ladder (branchwork)."""
    scope.require(Cap.CHANGE)
    if draft.state != DraftState.SUBMITTED:
        raise ValidationError("该稿件已处理")
    contribution = branchwork_services.contribution_save(
        contribution=Contribution(
            kind=draft.kind, title=draft.title, submitted_on=on, summary=draft.body
        ),
        authors=[draft.person],
        scope=scope,
        by=by,
    )
    draft.state, draft.contribution = DraftState.TAKEN, contribution
    draft.handled_by, draft.handled_at = by, timezone.now()
    draft.save()
    return contribution


@transaction.atomic
def draft_return(*, draft: Draft, scope: Scope, by, reason: str) -> Draft:
    scope.require(Cap.CHANGE)
    if draft.state != DraftState.SUBMITTED:
        raise ValidationError("该稿件已处理")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "退回须写明理由"})
    draft.state, draft.reason = DraftState.RETURNED, reason
    draft.handled_by, draft.handled_at = by, timezone.now()
    draft.save()
    return draft
