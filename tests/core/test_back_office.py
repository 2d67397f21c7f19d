"""The back office under 三权分立: who may enter, and what each administrator may change."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.models import User
from tongxin.accounts.roles import Role


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_data(user, **changes):
    data = {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "groups": [g.pk for g in user.groups.all()],
        "scope_nodes": [o.pk for o in user.scope_nodes.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_business_users_do_not_enter_the_back_office(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_system_administrator_manages_accounts_but_not_grants(client, world, city_staff):
    client.force_login(make_user("sys", roles=[Role.SYSTEM_ADMIN]))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    reader = Group.objects.get(name=Role.READER.label)
    response = client.post(
        change_url(city_staff),
        form_data(city_staff, name="王新", groups=[reader.pk], scope_nodes=[world.other_city.pk]),
    )
    assert response.status_code == 200
    assert "您不能授予或撤销“只读”角色：它由安全管理员授予" in response.content.decode()
    city_staff.refresh_from_db()
    assert city_staff.name == "city_staff"
    assert list(city_staff.groups.values_list("name", flat=True)) == [Role.STAFF.label]
    # The scope nodes are read-only for the system administrator: ignored, the rest is saved.
    response = client.post(
        change_url(city_staff),
        form_data(city_staff, name="王新", scope_nodes=[world.other_city.pk]),
    )
    assert response.status_code == 302
    city_staff.refresh_from_db()
    assert city_staff.name == "王新"
    assert list(city_staff.groups.values_list("name", flat=True)) == [Role.STAFF.label]
    assert list(city_staff.scope_nodes.all()) == [world.city]
    response = client.get(reverse("admin:accounts_user_add"))
    assert response.status_code == 200


def test_the_system_administrator_sees_no_person_in_the_back_office(client, world):
    make_member(world.branch_a, name="张敏")
    client.force_login(make_user("sys", roles=[Role.SYSTEM_ADMIN]))
    index = client.get(reverse("admin:index")).content.decode()
    assert "people" not in index
    assert client.get(reverse("admin:people_person_changelist")).status_code == 403


def test_the_security_administrator_grants_but_does_not_edit_accounts(client, world, city_staff):
    client.force_login(make_user("sec", roles=[Role.SECURITY_ADMIN]))
    leader = Group.objects.get(name=Role.LEADER.label)
    reveal = Permission.objects.get(codename="reveal_personal_data")
    response = client.post(
        change_url(city_staff),
        form_data(
            city_staff,
            name="王新",
            groups=[leader.pk],
            scope_nodes=[world.branch_a.pk],
            user_permissions=[reveal.pk],
        ),
    )
    assert response.status_code == 302
    city_staff.refresh_from_db()
    assert city_staff.name == "city_staff"
    assert list(city_staff.groups.values_list("name", flat=True)) == [Role.LEADER.label]
    assert list(city_staff.scope_nodes.all()) == [world.branch_a]
    assert city_staff.has_perm("people.reveal_personal_data")
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def test_an_administrator_role_cannot_be_combined(client, world, city_staff):
    client.force_login(make_user("sec", roles=[Role.SECURITY_ADMIN]))
    groups = Group.objects.filter(name__in=[Role.AUDIT_ADMIN.label, Role.STAFF.label])
    response = client.post(
        change_url(city_staff), form_data(city_staff, groups=[g.pk for g in groups])
    )
    assert response.status_code == 200
    assert "三权分立" in response.content.decode()
    assert list(city_staff.groups.values_list("name", flat=True)) == [Role.STAFF.label]


def test_no_administrator_deletes_an_account(client, world, city_staff):
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        client.force_login(make_user(role.value, roles=[role]))
        url = reverse("admin:accounts_user_delete", args=[city_staff.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=city_staff.pk).exists()


def test_a_password_set_by_the_system_administrator_must_be_changed(client, world, city_staff):
    client.force_login(make_user("sys", roles=[Role.SYSTEM_ADMIN]))
    url = reverse("admin:auth_user_password_change", args=[city_staff.pk])
    response = client.post(url, {"password1": "Neu-Passwort-7", "password2": "Neu-Passwort-7"})
    assert response.status_code == 302
    city_staff.refresh_from_db()
    assert city_staff.check_password("Neu-Passwort-7")
    assert city_staff.must_change_password
