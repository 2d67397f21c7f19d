"""Five failed logins lock the account (by user name, whatever the address) for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import log_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def fail(client, times, username="zhang", address="10.0.0.1"):
    for _ in range(times):
        response = client.post(
            "/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def test_five_wrong_passwords_lock_the_account_until_the_cool_off_has_passed(client, world):
    make_user("zhang", world.city)
    assert fail(client, 4).status_code == 200  # the login form again, with its error
    response = fail(client, 1)
    assert response.status_code == 429
    assert "账户已锁定，请 15 分钟后再试" in response.content.decode()

    # The right password is refused too, from any address.
    response = client.post(
        "/login/",
        {"username": "zhang", "password": "correct-horse-9"},
        REMOTE_ADDR="192.168.9.9",
    )
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert client.get(reverse("workbench")).status_code == 302  # not logged in

    # Another account is not affected.
    make_user("li", world.city)
    assert log_in(client, "li").status_code == 302
    client.logout()

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client, "zhang")
    assert response.status_code == 302 and response.url == reverse("workbench")
    assert client.get(reverse("workbench")).status_code == 200


def test_a_storm_from_many_addresses_locks_the_account(client, world):
    make_user("zhang", world.city)
    for n in range(5):
        fail(client, 1, address=f"10.0.{n}.1")
    assert log_in(client, "zhang").status_code == 429


def test_a_successful_login_resets_the_count(client, world):
    make_user("zhang", world.city)
    fail(client, 4)
    assert log_in(client, "zhang").status_code == 302
    client.logout()
    fail(client, 4)
    assert log_in(client, "zhang").status_code == 302
