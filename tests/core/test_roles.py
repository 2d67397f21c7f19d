import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_member, make_user
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


@pytest.mark.parametrize("role", [Role.READER, Role.LEADER, Role.BRANCH_CHAIR])
def test_roles_without_write_get_403_on_the_write_pages(client, world, role):
    client.force_login(make_user("u", world.city, roles=[role]))
    assert client.get(reverse("people:roster")).status_code == 200
    for url in (
        reverse("people:create"),
        reverse("orgs:edit", args=[world.branch_a.pk]),
        reverse("orgs:create", args=[world.branch_a.pk]),
        reverse("io:upload"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("orgs:edit", args=[world.branch_a.pk]), {"name": "改名"})
    assert response.status_code == 403
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "江城大学第一支部"


def test_the_reader_may_not_export_and_the_leader_may(client, world):
    client.force_login(make_user("r", world.city, roles=[Role.READER]))
    assert client.get(reverse("io:export"), {"org": world.city.pk}).status_code == 403
    client.force_login(make_user("l", world.city, roles=[Role.LEADER]))
    assert client.get(reverse("io:export"), {"org": world.city.pk}).status_code == 200


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_administrators_get_403_on_every_records_page(client, world, role):
    person = make_member(world.branch_a, name="张敏")
    client.force_login(make_user("a", world.city, roles=[role]))
    for url in (
        reverse("people:roster"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:search") + "?q=张敏",
        reverse("orgs:tree"),
        reverse("orgs:detail", args=[world.city.pk]),
        reverse("io:export") + f"?org={world.city.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "张敏" not in response.content.decode()


def test_the_menu_and_workbench_follow_the_role(client, world):
    client.force_login(make_user("s", world.city))
    page = client.get(reverse("workbench")).content.decode()
    assert "成员名册" in page and "审计日志" not in page and "用户与授权" not in page
    client.force_login(make_user("audit", roles=[Role.AUDIT_ADMIN]))
    page = client.get(reverse("workbench")).content.decode()
    assert "审计日志" in page and "成员名册" not in page and "用户与授权" not in page
    assert 'data-testid="admin-cards"' in page
    client.force_login(make_user("sec", roles=[Role.SECURITY_ADMIN]))
    page = client.get(reverse("workbench")).content.decode()
    assert "用户与授权" in page and "审计日志" not in page and "组织机构" not in page
