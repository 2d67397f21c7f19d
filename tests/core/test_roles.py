import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from tests.factories import make_user
from tongxin.accounts.roles import Cap, Role
from tongxin.accounts.services import grant_roles
from tongxin.core.scope import Scope


def test_every_role_has_its_group(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.labels)


def test_business_roles_work_in_their_scope_nodes(world):
    staff = make_user("s", world.city)
    reader = make_user("r", world.city, roles=[Role.READER])
    scope = Scope.for_user(staff)
    assert scope.paths == (world.city.path,)
    assert scope.can(Cap.CHANGE) and scope.can(Cap.EXPORT)
    read_only = Scope.for_user(reader)
    assert read_only.paths == (world.city.path,)
    assert read_only.can(Cap.VIEW) and not read_only.can(Cap.CHANGE)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_administrators_see_no_records_even_with_scope_nodes(world, role):
    admin = make_user("a", world.city, roles=[role])
    scope = Scope.for_user(admin)
    assert not scope
    assert not scope.can(Cap.VIEW)


def test_a_user_without_a_role_sees_nothing(world):
    nobody = make_user("n", world.city, roles=[])
    assert not Scope.for_user(nobody)


@pytest.mark.parametrize(
    "roles",
    [
        [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN],
        [Role.SECURITY_ADMIN, Role.STAFF],
        [Role.AUDIT_ADMIN, Role.READER],
    ],
)
def test_administrator_roles_are_held_alone(world, roles):
    user = make_user("u", world.city)
    with pytest.raises(ValidationError, match="三权分立"):
        grant_roles(user, roles)
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["组织部工作人员"]


def test_granting_roles_replaces_the_roles_and_keeps_other_groups(world):
    user = make_user("u", world.city)
    other = Group.objects.create(name="某工作组")
    user.groups.add(other)
    grant_roles(user, [Role.LEADER, Role.READER])
    assert set(user.groups.values_list("name", flat=True)) == {"领导", "只读", "某工作组"}
