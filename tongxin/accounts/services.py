"""Writes on users: roles, scope nodes and permissions are granted here, where the 三权分立 rules
are kept (``check_grants``), whichever page or command asks."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .roles import Role, may_grant_role, role_conflict, role_of_label, who_grants

SELF_GRANT = "不能修改自己的角色、管理范围或权限：须由另一位有权限的管理员办理（三权分立）。"


def _current_grants(user) -> dict:
    names = list(user.groups.values_list("name", flat=True))
    return {
        "roles": {role_of_label(n) for n in names if role_of_label(n)},
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
    if changed - {"roles"} and not may_grant_role(actor, Role.STAFF):
        errors.append("您不能修改管理范围、权限或工作组：它们由安全管理员授予。")
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
