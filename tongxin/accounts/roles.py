"""Roles and what each may do.

A role is held through a Django group of the same Chinese name (created by a migration), so that
the security administrator grants roles where Django keeps grants. What a role may do is decided
here, in code, and asked through ``Scope.can`` (tongxin.core.scope): pages and services ask for a
capability, never for a role.

Business roles work on records inside the user's scope nodes. The three administrator roles
(三权分立) are separate people: the system administrator manages users and settings and sees no
personal data; the security administrator grants roles, scopes and the reveal permission; the
audit administrator reads and exports the audit log. An administrator role cannot be combined
with another role, and no one changes their own roles (tongxin.accounts.services.check_grants).

Who grants what (``may_grant_role``): the security administrator the business roles; the system
administrator the audit role (or only a superuser, if TONGXIN_AUDIT_ROLE_GRANTED_BY says
"superuser"); a superuser every role. Taking a role away needs the same hand as granting it.

Who oversees whom (``OVERSEERS``): the audit administrator reads what the system and the
security administrators did; a superuser stands over every role. No one resets the password of
an account that oversees them (tongxin.accounts.services.reset_refusal).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# Capabilities are core's (the audit app asks for one without importing accounts); roles map
# onto them here.
from tongxin.core.caps import Cap


class Role(models.TextChoices):
    STAFF = "staff", "组织部工作人员"
    LEADER = "leader", "领导"
    BRANCH_CHAIR = "branch_chair", "支部主委"
    READER = "reader", "只读"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


BUSINESS_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.BRANCH_CHAIR, Role.READER})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.STAFF: frozenset({Cap.VIEW, Cap.CHANGE, Cap.EXPORT, Cap.DASHBOARD}),
    Role.LEADER: frozenset({Cap.VIEW, Cap.EXPORT, Cap.DASHBOARD}),
    Role.BRANCH_CHAIR: frozenset({Cap.VIEW, Cap.EXPORT, Cap.RECORD_ACTIVITY, Cap.PROPOSE_CHANGE}),
    Role.READER: frozenset({Cap.VIEW}),
    Role.SYSTEM_ADMIN: frozenset({Cap.MANAGE_USERS}),
    Role.SECURITY_ADMIN: frozenset({Cap.MANAGE_GRANTS}),
    Role.AUDIT_ADMIN: frozenset({Cap.VIEW_AUDIT}),
}

_BY_LABEL = {role.label: role.value for role in Role}

# The roles whose holders watch a role's holders. A superuser oversees everyone (see overseen_by).
OVERSEERS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset({Role.AUDIT_ADMIN}),
    Role.SECURITY_ADMIN: frozenset({Role.AUDIT_ADMIN}),
    Role.AUDIT_ADMIN: frozenset(),
}


def role_of_label(label: str) -> str | None:
    """The role key of a group's name, or None for a group that is no role."""
    return _BY_LABEL.get(label)


def roles_of(user) -> frozenset[str]:
    """The role keys ``user`` holds (through groups named after the roles)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_tongxin_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(_BY_LABEL[name] for name in names if name in _BY_LABEL)
        user._tongxin_roles = cached
    return cached


def capabilities_of(user) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Cap.values)
    caps: set[str] = set()
    for role in roles_of(user):
        caps |= CAPABILITIES[role]
    return frozenset(caps)


def is_administrator(user) -> bool:
    """Holds one of the three administrator roles (or is a superuser): TOTP is required."""
    return bool(user.is_authenticated and (user.is_superuser or roles_of(user) & ADMIN_ROLES))


def works_on_records(user) -> bool:
    """Holds a business role, so that the scope nodes apply; administrators see no records."""
    return bool(roles_of(user) & BUSINESS_ROLES) and not roles_of(user) & ADMIN_ROLES


def role_conflict(roles) -> str:
    """The Chinese reason why this set of roles may not be held together, or ""."""
    roles = set(roles)
    admin = roles & ADMIN_ROLES
    if len(admin) > 1 or (admin and roles - admin):
        labels = "、".join(Role(r).label for r in sorted(admin))
        return f"{labels}须由专人担任，不能与其他角色兼任（三权分立）"
    return ""


def who_grants(role) -> str:
    """Who may grant or take away ``role``, in Chinese (for the messages of a refusal)."""
    if role in BUSINESS_ROLES:
        return "安全管理员"
    if role == Role.AUDIT_ADMIN and settings.TONGXIN_AUDIT_ROLE_GRANTED_BY == "system_admin":
        return "系统管理员"
    return "超级用户"


def may_grant_role(actor, role) -> bool:
    """Whether ``actor`` may grant ``role`` to someone else or take it away from them (never
    from oneself: check_grants refuses that first)."""
    if actor.is_superuser:
        return True
    caps = capabilities_of(actor)
    if role in BUSINESS_ROLES:
        return Cap.MANAGE_GRANTS in caps
    if role == Role.AUDIT_ADMIN and settings.TONGXIN_AUDIT_ROLE_GRANTED_BY == "system_admin":
        return Cap.MANAGE_USERS in caps
    return False


def held_roles(user) -> frozenset[str]:
    """The role keys ``user``'s account carries, active or not (an account deactivated for a
    moment is still the account of its roles)."""
    names = user.groups.values_list("name", flat=True)
    return frozenset(_BY_LABEL[name] for name in names if name in _BY_LABEL)


def is_administrator_account(user) -> bool:
    """A superuser's account or one that carries an administrator role, active or not."""
    return bool(user.is_superuser or held_roles(user) & ADMIN_ROLES)


def oversees(overseer, user) -> bool:
    """Whether ``overseer``'s account watches ``user``'s: a superuser watches everyone who is
    not a superuser (superusers are peers); the audit administrator watches the other two
    administrators."""
    if overseer.pk == user.pk:
        return False
    if overseer.is_superuser:
        return not user.is_superuser
    watching = held_roles(overseer)
    return any(watching & OVERSEERS.get(role, frozenset()) for role in held_roles(user))
