"""Writes on users: roles, scope nodes and permissions are granted here, where the 三权分立 rules
are kept (``check_grants``), whichever page or command asks."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongxin.audit.services import Kind, record_event

from .models import PasswordReset, User
from .roles import (
    ADMIN_ROLES,
    Cap,
    Role,
    capabilities_of,
    held_roles,
    is_administrator,
    is_administrator_account,
    may_grant_role,
    oversees,
    role_conflict,
    who_grants,
)

SELF_GRANT = "不能修改自己的角色、管理范围或权限：须由另一位有权限的管理员办理（三权分立）。"


def _current_grants(user) -> dict:
    return {
        "roles": set(held_roles(user)),
        "other_groups": set(user.groups.exclude(name__in=Role.labels).values_list("pk", flat=True)),
        "scope_nodes": set(user.scope_nodes.values_list("pk", flat=True)),
        "permissions": set(user.user_permissions.values_list("pk", flat=True)),
    }


def check_grants(actor, user, *, roles=None, other_groups=None, scope_nodes=None, permissions=None):
    """Refuse (ValidationError, each reason in Chinese) a change of ``user``'s grants by
    ``actor`` that 三权分立 forbids. Each argument is what ``user`` is to hold (role keys, groups
    that are no role, organizations, permissions); None leaves it as it is. Unchanged grants pass:
    an account's other fields may be saved with them."""
    before = _current_grants(user)
    after = {
        "roles": None if roles is None else {Role(r).value for r in roles},
        "other_groups": None if other_groups is None else {g.pk for g in other_groups},
        "scope_nodes": None if scope_nodes is None else {o.pk for o in scope_nodes},
        "permissions": None if permissions is None else {p.pk for p in permissions},
    }
    changed = {key for key, value in after.items() if value is not None and value != before[key]}
    if not changed:
        return
    if actor.pk == user.pk:
        raise ValidationError(SELF_GRANT, code="self_grant")
    errors = []
    if "roles" in changed:
        for role in sorted(after["roles"] ^ before["roles"]):
            if not may_grant_role(actor, role):
                errors.append(
                    f"您不能授予或撤销“{Role(role).label}”角色：它由{who_grants(role)}授予。"
                )
        if reason := role_conflict(after["roles"]):
            errors.append(reason)
    # Scope nodes, the reveal permission and other groups go with the business roles.
    if changed - {"roles"} and not may_grant_role(actor, Role.STAFF):
        errors.append("您不能修改管理范围、权限或工作组：它们由安全管理员授予。")
    roles_after = before["roles"] if after["roles"] is None else after["roles"]
    if roles_after & ADMIN_ROLES and any(
        key in changed and after[key] for key in ("scope_nodes", "permissions")
    ):
        errors.append("管理员账户不处理业务数据：不能授予管理范围或查看完整信息的权限。")
    if errors:
        raise ValidationError(errors, code="grant_refused")


@transaction.atomic
def change_grants(
    *, actor, user, roles=None, other_groups=None, scope_nodes=None, permissions=None
) -> None:
    """Give ``user`` these grants on behalf of ``actor`` (see check_grants; None keeps one)."""
    check_grants(
        actor,
        user,
        roles=roles,
        other_groups=other_groups,
        scope_nodes=scope_nodes,
        permissions=permissions,
    )
    if other_groups is not None:
        kept_roles = user.groups.filter(name__in=Role.labels)
        user.groups.set([*kept_roles, *other_groups])
    if roles is not None:
        grant_roles(user, roles)
    if scope_nodes is not None:
        user.scope_nodes.set(scope_nodes)
    if permissions is not None:
        user.user_permissions.set(permissions)


@transaction.atomic
def grant_roles(user, roles) -> None:
    """Make ``roles`` (keys of ``Role``) the roles ``user`` holds; refuse a forbidden mix.
    Without an actor: for the demo and commands run by whoever deploys; pages and
    administrators go through change_grants."""
    roles = {Role(r).value for r in roles}
    if reason := role_conflict(roles):
        raise ValidationError(reason)
    # The groups come with a migration; made again here if a database flush removed them.
    granted = [Group.objects.get_or_create(name=Role(r).label)[0] for r in sorted(roles)]
    kept = user.groups.exclude(name__in=Role.labels)
    user.groups.set([*kept, *granted])
    user._tongxin_roles = frozenset(roles)


# --- password resets -------------------------------------------------------------------------
# An administrator's account (a superuser's or one with an administrator role) is reset only by
# two administrators (one asks, another approves) or with its owner's second factor; no one
# resets, or approves the reset of, an account that oversees theirs (roles.OVERSEERS).

# A request not approved within this time lapses: the approver confirms a need that is current.
RESET_REQUEST_HOURS = 24


def reset_refusal(actor, user) -> str:
    """The Chinese reason why ``actor`` may not reset ``user``'s password, or ""."""
    if not (actor.is_superuser or Cap.MANAGE_USERS in capabilities_of(actor)):
        return "只有系统管理员可以重置密码。"
    if actor.pk == user.pk:
        return "不能在后台重置自己的密码：请在右上角菜单的“修改密码”中修改。"
    if oversees(user, actor):
        return (
            f"不能重置 {user.get_username()} 的密码：该账户监督您的工作（三权分立），"
            "须由超级用户办理。"
        )
    return ""


def _set_password_hash(user, password_hash) -> None:
    """A password an administrator set is a first password: its owner must change it."""
    user.password = password_hash
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


def _owner_code_matches(user, code) -> bool:
    """Checked outside the reset's transaction: a wrong code must count against the device
    (django-otp's throttle) even though the reset is refused."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        raise ValidationError(
            f"{user.get_username()} 尚未开启双重验证，不能凭本人验证码重置："
            "请填写原因，提交给另一位管理员批准。"
        )
    allowed, _ = device.verify_is_allowed()
    return bool(allowed and device.verify_token(code.strip()))


def reset_password(*, actor, user, password, reason="", owner_code="", request=None):
    """Reset ``user``'s password to ``password`` on behalf of ``actor``. An ordinary account is
    reset at once; an administrator's account at once only with its owner's current code
    (``owner_code``), else a PasswordReset waits for another administrator (returned)."""
    if refusal := reset_refusal(actor, user):
        raise ValidationError(refusal)
    how = "direct"
    if is_administrator_account(user):
        if owner_code:
            if not _owner_code_matches(user, owner_code):
                raise ValidationError(
                    "账户本人的验证码不正确或已使用过：请让本人输入验证器应用当前显示的 6 位数字。"
                )
            how = "owner_code"
        else:
            return _request_reset(
                actor=actor, user=user, password=password, reason=reason, request=request
            )
    with transaction.atomic():
        _set_password_hash(user, make_password(password))
        record_event(
            Kind.PASSWORD_RESET,
            request=request,
            user=actor,
            summary=f"重置了 {user.get_username()} 的密码"
            + ("（凭账户本人的验证码）" if how == "owner_code" else ""),
            detail={"account": user.get_username(), "how": how},
        )
    return None


@transaction.atomic
def _request_reset(*, actor, user, password, reason, request) -> PasswordReset:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            f"{user.get_username()} 是管理员账户：请填写重置原因（供批准的管理员核对），"
            "或请本人输入验证码。"
        )
    PasswordReset.objects.filter(user=user, state=PasswordReset.State.PENDING).update(
        state=PasswordReset.State.SUPERSEDED
    )
    reset = PasswordReset.objects.create(
        user=user, requested_by=actor, reason=reason[:200], password=make_password(password)
    )
    record_event(
        Kind.PASSWORD_RESET,
        request=request,
        user=actor,
        summary=f"申请重置 {user.get_username()} 的密码，待另一位管理员批准",
        detail={"account": user.get_username(), "how": "requested", "reset": reset.pk},
    )
    return reset


def decision_refusal(actor, reset, *, now=None) -> str:
    """The Chinese reason why ``actor`` may not approve ``reset``, or ""."""
    if reset.state != PasswordReset.State.PENDING:
        return f"该申请{reset.get_state_display()}，不能再处理。"
    if (now or timezone.now()) - reset.requested_at > timedelta(hours=RESET_REQUEST_HOURS):
        return f"该申请已超过 {RESET_REQUEST_HOURS} 小时未获批准，已失效：请重新申请。"
    if not is_administrator(actor):
        return "只有管理员可以批准重置密码的申请。"
    if actor.pk == reset.requested_by_id:
        return "不能批准自己提出的申请：须由另一位管理员批准。"
    if actor.pk == reset.user_id:
        return "不能批准重置自己密码的申请。"
    if oversees(reset.user, actor):
        return f"不能批准重置 {reset.user.get_username()} 的密码：该账户监督您的工作（三权分立）。"
    requester = reset.requested_by
    # Else the system administrator could grant the audit role to an account of their own making
    # and approve their own request with it.
    if not requester.is_superuser and any(
        may_grant_role(requester, role) for role in held_roles(actor) & ADMIN_ROLES
    ):
        return (
            f"不能批准 {requester.get_username()} 的申请：您的角色可由申请人授予，"
            "须由申请人不能授予的管理员（如安全管理员）或超级用户批准。"
        )
    return ""


def _decide(*, actor, reset, approve, request=None) -> PasswordReset:
    with transaction.atomic():
        reset = PasswordReset.objects.select_for_update().select_related("user").get(pk=reset.pk)
        if refusal := decision_refusal(actor, reset):
            raise ValidationError(refusal)
        reset.state = PasswordReset.State.APPROVED if approve else PasswordReset.State.REFUSED
        reset.decided_by = actor
        reset.decided_at = timezone.now()
        reset.save(update_fields=["state", "decided_by", "decided_at"])
        account = reset.user.get_username()
        if approve:
            _set_password_hash(
                User.objects.select_for_update().get(pk=reset.user_id), reset.password
            )
        record_event(
            Kind.PASSWORD_RESET,
            request=request,
            user=actor,
            summary=f"{'批准' if approve else '拒绝'}了 {reset.requested_by.get_username()} "
            f"重置 {account} 密码的申请",
            detail={"account": account, "how": reset.state, "reset": reset.pk},
        )
    return reset


def approve_password_reset(*, actor, reset, request=None) -> PasswordReset:
    """Apply a waiting reset: ``actor`` is the second administrator (decision_refusal)."""
    return _decide(actor=actor, reset=reset, approve=True, request=request)


def refuse_password_reset(*, actor, reset, request=None) -> PasswordReset:
    """Turn a waiting reset down; the password stays as it is."""
    return _decide(actor=actor, reset=reset, approve=False, request=request)
