"""A session ends 30 minutes after the user's last request; each request of theirs renews it,
a page's own polling does not."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_each_request_renews_the_session_for_the_idle_limit(client, world):
    client.force_login(make_user("zhang", world.city))
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(reverse("workbench")).status_code == 200
    expires = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < expires <= timedelta(minutes=30)


def test_a_session_idle_longer_than_the_limit_is_sent_to_the_login_page(client, world):
    client.force_login(make_user("zhang", world.city))
    assert client.get(reverse("workbench")).status_code == 200
    # The last request was 31 minutes ago.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("people:roster"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/people/"


def test_a_pages_own_polling_neither_renews_nor_writes_the_session(client, world):
    client.force_login(make_user("zhang", world.city))
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.update(expire_date=soon)
    poll = client.get(reverse("workbench"), headers={"X-Tongxin-Poll": "1", "HX-Request": "true"})
    assert poll.status_code == 200
    assert Session.objects.get().expire_date == soon
    # The user's next own request renews it.
    client.get(reverse("workbench"))
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=29)


def test_requests_within_a_minute_of_the_last_renewal_do_not_write_the_session(client, world):
    client.force_login(make_user("zhang", world.city))
    assert client.get(reverse("workbench")).status_code == 200
    renewed = Session.objects.get().expire_date
    Session.objects.update(expire_date=renewed - timedelta(seconds=30))
    assert client.get(reverse("people:roster")).status_code == 200
    assert Session.objects.get().expire_date == renewed - timedelta(seconds=30)


def test_a_visitor_without_a_session_is_not_given_one(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert not Session.objects.exists()
