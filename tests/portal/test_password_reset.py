"""A member who forgot the password: a reset code from the chair or staff, a new password set
with it, every other login of the account ended, both steps in the audit log."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.audit.models import Event
from tongxin.portal import services
from tongxin.portal.models import MemberAccount

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Tongxin-Reset-2026!"


def _reset_code(client, user, person) -> str:
    client.force_login(user)
    response = client.post(reverse("portal:account_reset", args=[person.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "的重置码" in page
    client.logout()
    return re.search(r'data-testid="code">([A-Z0-9-]+)<', page).group(1)


def _use(client, code, password=NEW):
    form = {"code": code, "password1": password, "password2": password}
    return client.post(reverse("member:reset"), form)


def test_a_reset_code_sets_a_new_password_and_ends_the_other_logins(client, chair_a, member_a):
    phone = Client()
    phone.force_login(member_a.user)
    assert phone.get(reverse("member:home")).status_code == 200
    code = _reset_code(client, chair_a, member_a)
    # Until it is used the old password still works, and the account stays as it was.
    assert MemberAccount.objects.get(person=member_a).user == member_a.user

    # Guessing at the forgotten password locked the name: the reset lifts that.
    for _ in range(5):
        locked = client.post(reverse("login"), {"username": "linxm", "password": "wrong"})
    assert locked.status_code == 429

    response = _use(client, code.lower())
    assert response.status_code == 302 and response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert "用户名 linxm 和新密码登录" in page
    # The session opened before is refused on its next request.
    response = phone.get(reverse("member:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    old = client.post(reverse("login"), {"username": "linxm", "password": PASSWORD})
    assert old.status_code == 200
    assert client.post(reverse("login"), {"username": "linxm", "password": NEW}).status_code == 302
    # The code cannot be used twice.
    client.logout()
    assert "重置码不正确或已使用" in _use(client, code, "Tongxin-Again-2026!").content.decode()

    events = Event.objects.filter(kind=Event.Kind.PASSWORD_RESET).order_by("pk")
    assert [(e.user, e.detail["how"]) for e in events] == [
        (chair_a, "member_code"),
        (member_a.user, "member_code_used"),
    ]
    assert "林小满（linxm）" in events[0].summary


def test_codes_are_used_on_their_own_page_and_the_password_rules_apply(
    client, world, chair_a, member_a
):
    code = _reset_code(client, chair_a, member_a)
    activation = {"code": code, "username": "other", "password1": NEW, "password2": NEW}
    page = client.post(reverse("member:activate"), activation).content.decode()
    assert "这是重置密码用的码" in page
    page = _use(client, code, "12345678").content.decode()
    assert 'data-testid="error-password1"' in page
    page = _use(client, code, PASSWORD).content.decode()
    assert "新密码不能与原密码相同" in page
    member_a.user.refresh_from_db()
    assert member_a.user.check_password(PASSWORD)

    waiting = make_member(world.branch_a, name="待激活")
    activation_code = services.account_issue(person=waiting, by=chair_a, on=timezone.localdate())
    assert "这是激活码" in _use(client, activation_code).content.decode()
    MemberAccount.objects.filter(person=member_a).update(
        code_expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert "重置码已过期" in _use(client, code).content.decode()


def test_only_the_chair_or_staff_of_the_members_subtree_issue_reset_codes(
    client, world, chair_a, member_a, member_b
):
    client.force_login(chair_a)
    assert client.post(reverse("portal:account_reset", args=[member_b.pk])).status_code == 404
    reader = make_user("reader", world.city, roles=(Role.READER,))
    client.force_login(reader)
    assert client.post(reverse("portal:account_reset", args=[member_a.pk])).status_code == 403
    waiting = make_member(world.branch_a, name="未激活")
    client.force_login(chair_a)
    response = client.post(reverse("portal:account_reset", args=[waiting.pk]), follow=True)
    assert "尚未激活，请发放激活码" in response.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.PASSWORD_RESET).exists()


def test_the_accounts_page_offers_a_reset_for_an_activated_account(
    client, world, chair_a, member_a
):
    client.force_login(chair_a)
    page = client.get(reverse("portal:accounts"), {"org": world.branch_a.pk}).content.decode()
    assert reverse("portal:account_reset", args=[member_a.pk]) in page
