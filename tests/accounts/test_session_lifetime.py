"""However busy, a session ends 12 hours (TONGXIN_SESSION_MAX_HOURS) after its login, beside
the idle timeout; and nothing a logged-in user is sent may be kept by a cache."""

import time

import pytest
from django.urls import reverse

from tests.factories import make_user
from tongxin.accounts.middleware import LOGIN_AT

pytestmark = pytest.mark.django_db


def logged_in_hours_ago(client, hours):
    session = client.session
    session[LOGIN_AT] = time.time() - hours * 3600
    session.save()


def test_a_session_busy_for_longer_than_the_lifetime_is_sent_to_log_in_again(client, world):
    client.force_login(make_user("zhang", world.city))
    assert client.get(reverse("workbench")).status_code == 200  # notes the login time
    logged_in_hours_ago(client, 11.9)
    assert client.get(reverse("workbench")).status_code == 200
    logged_in_hours_ago(client, 12.1)
    response = client.get(reverse("people:roster"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=%2Fpeople%2F"
    page = client.get(response.url).content.decode()
    assert "登录已超过 12 小时，请重新登录" in page
    assert client.get(reverse("workbench")).status_code == 302  # the session is gone


def test_the_lifetime_follows_the_setting(client, world, settings):
    settings.TONGXIN_SESSION_MAX_HOURS = 2
    client.force_login(make_user("zhang", world.city))
    client.get(reverse("workbench"))
    logged_in_hours_ago(client, 2.5)
    assert client.get(reverse("workbench")).status_code == 302


def test_pages_and_downloads_for_a_logged_in_user_are_not_stored_by_caches(client, world):
    client.force_login(make_user("zhang", world.city))
    for url in (reverse("workbench"), reverse("people:roster"), reverse("io:template")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
