"""Roles and what each may do.

A role is held through a Django group of the same Chinese name (created by a migration), so that
the security administrator grants roles where Django keeps grants. What a role may do is decided
here, in code, and asked through ``Scope.can`` (tongxin.core.scope): pages and services ask for a
capability, never for a role.

Business roles work on records inside the user's scope nodes. The three administrator roles
(三权分立) are separate people: the system administrator manages users and settings and sees no
personal data; the security administrator grants roles, scopes and the reveal permission; the
audit administrator reads and exports the audit log. An administrator role cannot be combined
with another role.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "组织部工作人员"
    LEADER = "leader", "领导"
    BRANCH_CHAIR = "branch_chair", "支部主委"
    READER = "reader", "只读"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


class Cap(models.TextChoices):
    """Capabilities: what a page or service asks for."""

    VIEW = "view", "查看范围内的记录"
    CHANGE = "change", "录入和修改范围内的记录（含导入）"
    EXPORT = "export", "导出范围内的记录"
    DASHBOARD = "dashboard", "查看统计和仪表盘"
    RECORD_ACTIVITY = "record_activity", "记录本支部活动"
    PROPOSE_CHANGE = "propose_change", "提出成员信息变更"
    MANAGE_USERS = "manage_users", "管理用户和系统设置"
    MANAGE_GRANTS = "manage_grants", "授予角色、管理范围和查看权限"
    VIEW_AUDIT = "view_audit", "查阅和导出审计日志"


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
