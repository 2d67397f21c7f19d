"""三权分立 holds whoever tries: each administrator role acting on itself and on each other, in the
back office and through the service, may do only its own part."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from tongxin.accounts.roles import Role
from tongxin.accounts.services import change_grants
from tongxin.orgs.models import Organization

ADMINS = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
# Whom the acting administrator works on: their own account, another holder of each
# administrator role, a member of staff, an account without a role.
TARGETS = ["self", *ADMINS, "staff", "blank"]
# What they try: the probe's way in (组织部工作人员, the root scope, the reveal permission), or
# the account switched to one administrator role.
CHANGES = ["business", *ADMINS]

# Everything else is refused.
ALLOWED = {
    (Role.SECURITY_ADMIN, "staff", "business"),
    (Role.SECURITY_ADMIN, "blank", "business"),
    (Role.SYSTEM_ADMIN, "blank", Role.AUDIT_ADMIN),
}

CASES = [
    (actor, target, change)
    for actor in ADMINS
    for target in TARGETS
    for change in CHANGES
    # Switching someone to the role they hold already changes nothing.
    if not (change == target or (target == "self" and change == actor))
]


def grants_of(user):
    return (
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.scope_nodes.values_list("code", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def setup(world, actor_role, target):
    actor = make_user("actor", roles=[actor_role])
    if target == "self":
        return actor, actor
    roles = {"staff": [Role.STAFF], "blank": []}.get(target, [target])
    scope = [world.branch_a] if target == "staff" else []
    return actor, make_user("target", *scope, roles=roles)


def wanted(world, change):
    """The grants of ``change``: (role keys, scope nodes, permissions)."""
    if change == "business":
        root = Organization.objects.get_root_nodes().get()
        return [Role.STAFF], [root], [Permission.objects.get(codename="reveal_personal_data")]
    return [change], [], []


@pytest.mark.parametrize(("actor_role", "target", "change"), CASES)
def test_an_administrator_changes_grants_only_as_their_role_allows_through_the_service(
    world, actor_role, target, change
):
    actor, user = setup(world, actor_role, target)
    before = grants_of(user)
    roles, nodes, permissions = wanted(world, change)
    if (actor_role, target, change) in ALLOWED:
        change_grants(
            actor=actor, user=user, roles=roles, scope_nodes=nodes, permissions=permissions
        )
        assert grants_of(user)[0] == [Role(roles[0]).label]
    else:
        with pytest.raises(ValidationError):
            change_grants(
                actor=actor, user=user, roles=roles, scope_nodes=nodes, permissions=permissions
            )
        assert grants_of(user) == before


@pytest.mark.parametrize(("actor_role", "target", "change"), CASES)
def test_an_administrator_changes_grants_only_as_their_role_allows_in_the_back_office(
    client, world, actor_role, target, change
):
    actor, user = setup(world, actor_role, target)
    before = grants_of(user)
    roles, nodes, permissions = wanted(world, change)
    client.force_login(actor)
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "name": user.name,
            "is_active": "on",
            "groups": [Group.objects.get(name=Role(r).label).pk for r in roles],
            "scope_nodes": [o.pk for o in nodes],
            "user_permissions": [p.pk for p in permissions],
        },
    )
    if (actor_role, target, change) in ALLOWED:
        assert response.status_code == 302
        assert grants_of(user)[0] == [Role(roles[0]).label]
        return
    assert grants_of(user) == before
    if actor_role == Role.AUDIT_ADMIN:
        # The audit administrator has no business in the back office at all.
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    elif response.status_code == 200:
        page = response.content.decode()
        assert "不能修改自己的角色" in page if target == "self" else "您不能" in page
    else:
        # What the role may not edit is read-only in its form: the posted grants were ignored.
        assert (
            actor_role == Role.SYSTEM_ADMIN and change == "business" and response.status_code == 302
        )


def test_the_security_administrator_cannot_make_themselves_auditor_and_read_the_log(client, world):
    anquan = make_user("anquan", roles=[Role.SECURITY_ADMIN])
    client.force_login(anquan)
    audit = Group.objects.get(name=Role.AUDIT_ADMIN.label)
    response = client.post(
        reverse("admin:accounts_user_change", args=[anquan.pk]),
        {"username": "anquan", "name": "anquan", "is_active": "on", "groups": [audit.pk]},
    )
    assert "不能修改自己的角色、管理范围或权限" in response.content.decode()
    assert client.get(reverse("audit:index")).status_code == 403


def test_a_superuser_grants_administrator_roles_but_not_to_themselves(world):
    root = make_user("root", superuser=True)
    blank = make_user("new_admin", roles=[])
    change_grants(actor=root, user=blank, roles=[Role.SECURITY_ADMIN])
    assert grants_of(blank)[0] == [Role.SECURITY_ADMIN.label]
    with pytest.raises(ValidationError, match="不能修改自己的角色"):
        change_grants(actor=root, user=root, roles=[Role.AUDIT_ADMIN])


def test_the_deployment_may_keep_the_audit_role_to_superusers(world, settings):
    settings.TONGXIN_AUDIT_ROLE_GRANTED_BY = "superuser"
    xitong = make_user("xitong", roles=[Role.SYSTEM_ADMIN])
    blank = make_user("new_auditor", roles=[])
    with pytest.raises(ValidationError, match="由超级用户授予"):
        change_grants(actor=xitong, user=blank, roles=[Role.AUDIT_ADMIN])
    assert grants_of(blank)[0] == []


def test_an_administrator_saves_an_account_whose_grants_they_may_not_change(client, world):
    """Unchanged grants pass: the system administrator renames a member of staff."""
    staff = make_user("staff", world.branch_a)
    client.force_login(make_user("xitong", roles=[Role.SYSTEM_ADMIN]))
    response = client.post(
        reverse("admin:accounts_user_change", args=[staff.pk]),
        {
            "username": "staff",
            "name": "王新",
            "is_active": "on",
            "groups": [Group.objects.get(name=Role.STAFF.label).pk],
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.name == "王新"


def test_an_administrator_account_is_given_no_scope_and_no_reveal_permission(world):
    anquan = make_user("anquan", roles=[Role.SECURITY_ADMIN])
    xitong = make_user("xitong", roles=[Role.SYSTEM_ADMIN])
    reveal = Permission.objects.get(codename="reveal_personal_data")
    for grants in ({"scope_nodes": [world.city]}, {"permissions": [reveal]}):
        with pytest.raises(ValidationError, match="管理员账户不处理业务数据"):
            change_grants(actor=anquan, user=xitong, **grants)
    assert grants_of(xitong) == ([Role.SYSTEM_ADMIN.label], [], [])
