"""The audit log and the lockout record the client's address, not one the client wrote into a
header: X-Forwarded-For is believed only from configured proxies, read from the right."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from tongxin.audit.models import Event
from tongxin.audit.services import Kind
from tongxin.core.clientip import client_ip
from tongxin.core.middleware import AuditlogMiddleware

pytestmark = pytest.mark.django_db


def request_from(peer, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


@pytest.fixture
def behind_nginx(settings):
    settings.TONGXIN_BEHIND_PROXY = True
    settings.TONGXIN_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]


def test_without_a_proxy_a_forwarded_header_is_ignored(settings):
    settings.TONGXIN_BEHIND_PROXY = False
    assert client_ip(request_from("192.168.3.4", "198.51.100.7")) == "192.168.3.4"
    assert client_ip(request_from("127.0.0.1", "198.51.100.7")) == "127.0.0.1"


def test_behind_a_proxy_the_right_most_address_it_saw_is_the_client(behind_nginx):
    # The client wrote 198.51.100.7; nginx appended the address it saw.
    assert client_ip(request_from("127.0.0.1", "198.51.100.7, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("::1", "203.0.113.9:51234")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_past(behind_nginx):
    forwarded = "198.51.100.7, 203.0.113.9, 10.0.0.5, 10.0.0.6"
    assert client_ip(request_from("127.0.0.1", forwarded)) == "203.0.113.9"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_forwards(behind_nginx):
    assert client_ip(request_from("192.168.3.4", "198.51.100.7")) == "192.168.3.4"


def test_a_garbled_forwarded_entry_is_not_taken_for_an_address(behind_nginx):
    assert client_ip(request_from("127.0.0.1", "<script>, 10.0.0.5")) == "10.0.0.5"
    assert client_ip(request_from("127.0.0.1", "")) == "127.0.0.1"


def test_a_login_is_audited_with_the_peer_when_there_is_no_proxy(client, city_staff):
    client.post(
        reverse("login"),
        {"username": "city_staff", "password": "correct-horse-9"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert Event.objects.get(kind=Kind.LOGIN).ip == "10.1.2.3"


def test_a_failed_login_is_counted_against_the_address_nginx_saw(client, world, behind_nginx):
    client.post(
        reverse("login"),
        {"username": "nobody", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
    )
    assert Event.objects.get(kind=Kind.LOGIN_FAILED).ip == "203.0.113.9"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_model_changes_record_the_same_address(settings):
    settings.TONGXIN_BEHIND_PROXY = False
    request = request_from("10.1.2.3", "198.51.100.7")
    assert AuditlogMiddleware(lambda r: None).get_extra_data(request)["remote_addr"] == "10.1.2.3"
