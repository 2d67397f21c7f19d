"""Failed logins lock a user name from the address they come from (five), and an address that
fails too often whatever the names (twenty), for 15 minutes; a user with a second factor gets in
with password and code all the same."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import confirmed_device, totp_code
from tests.factories import make_user
from tongxin.accounts.roles import Role
from tongxin.audit.models import Event

pytestmark = pytest.mark.django_db

OTP_LOGIN = reverse("accounts:otp_login")
ATTACKER = "203.0.113.5"
OFFICE = "192.168.9.9"


def fail(client, times, username="zhang", address="10.0.0.1"):
    for _ in range(times):
        response = client.post(
            "/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def log_in_from(client, username, address, password="correct-horse-9"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_name_from_that_address_until_the_cool_off_has_passed(
    client, world
):
    make_user("zhang", world.city)
    assert fail(client, 4).status_code == 200  # the login form again, with its error
    response = fail(client, 1)
    assert response.status_code == 429
    assert "账户已锁定，请 15 分钟后再试" in response.content.decode()

    # The right password is refused too, from that address.
    assert log_in_from(client, "zhang", "10.0.0.1").status_code == 429
    assert client.get(reverse("workbench")).status_code == 302  # not logged in

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in_from(client, "zhang", "10.0.0.1")
    assert response.status_code == 302 and response.url == reverse("workbench")


def test_no_one_elsewhere_keeps_the_superuser_or_an_administrator_locked_out(client, world):
    make_user("root", superuser=True)
    make_user("anquan", roles=[Role.SECURITY_ADMIN])
    for name in ("root", "anquan"):
        assert fail(client, 5, username=name, address=ATTACKER).status_code == 429
        assert log_in_from(client, name, ATTACKER).status_code == 429
        assert log_in_from(client, name, OFFICE).status_code == 302
        client.logout()


def test_one_password_sprayed_over_many_names_locks_the_address(client, world, settings):
    make_user("zhang", world.city)
    # Four tries per name stay under the pair's limit: only the address's count stops it.
    for n in range(5):
        fail(client, 4, username=f"user{n}", address=ATTACKER)
    assert settings.TONGXIN_ADDRESS_FAILURE_LIMIT == 20
    response = log_in_from(client, "zhang", ATTACKER)
    assert response.status_code == 429
    assert log_in_from(client, "zhang", OFFICE).status_code == 302


def test_logging_in_to_an_account_of_ones_own_does_not_clear_the_address(client, world):
    make_user("mole", world.city)
    make_user("zhang", world.city)
    for n in range(4):
        fail(client, 4, username=f"user{n}", address=ATTACKER)
    fail(client, 3, username="zhang", address=ATTACKER)
    assert log_in_from(client, "mole", ATTACKER).status_code == 302
    client.logout()
    assert fail(client, 1, username="user9", address=ATTACKER).status_code == 429


def test_a_successful_login_resets_the_count_of_its_name(client, world):
    make_user("zhang", world.city)
    fail(client, 4)
    assert log_in_from(client, "zhang", "10.0.0.1").status_code == 302
    client.logout()
    fail(client, 4)
    assert log_in_from(client, "zhang", "10.0.0.1").status_code == 302


def test_a_locked_administrator_gets_in_with_password_and_code(client, world):
    admin = make_user("anquan", roles=[Role.SECURITY_ADMIN])
    device = confirmed_device(admin)
    response = fail(client, 5, username="anquan", address=OFFICE)
    assert OTP_LOGIN in response.content.decode()

    def otp_log_in(password, code):
        return client.post(
            OTP_LOGIN,
            {"username": "anquan", "password": password, "code": code},
            REMOTE_ADDR=OFFICE,
        )

    # A wrong password with a right code, or the reverse, lets no one in and says the same.
    for password, code in (("wrong", totp_code(device)), ("correct-horse-9", "000000")):
        response = otp_log_in(password, code)
        assert "用户名、密码或验证码不正确" in response.content.decode()
        assert client.get(reverse("workbench")).status_code == 302
        device.refresh_from_db()
        device.throttle_reset()
    assert Event.objects.filter(kind=Event.Kind.LOGIN_FAILED, detail__with_code=True).count() == 2

    response = otp_log_in("correct-horse-9", totp_code(device, steps_ahead=1))
    assert response.status_code == 302
    assert client.get(reverse("workbench")).status_code == 200  # verified: no code asked again
    client.logout()
    # The name's failures from this address are cleared: the password alone works again.
    assert log_in_from(client, "anquan", OFFICE).status_code == 302


def test_a_locked_user_without_a_second_factor_waits(client, world):
    make_user("zhang", world.city)
    fail(client, 5)
    response = client.post(
        OTP_LOGIN,
        {"username": "zhang", "password": "correct-horse-9", "code": "123456"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert "用户名、密码或验证码不正确" in response.content.decode()
    assert client.get(reverse("workbench")).status_code == 302
    assert log_in_from(client, "zhang", "10.0.0.1").status_code == 429
