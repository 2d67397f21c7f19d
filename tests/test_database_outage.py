"""The database going away (PostgreSQL restarting) costs the requests made meanwhile a Chinese
503 page, saying nothing was saved; the server recovers by itself, with no stale connection.
The whole restart under load is bench/faults.py; here the connection of a request is cut."""

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the connection is cut for real
    pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a PostgreSQL connection"),
]


@pytest.fixture
def kept_connection():
    """A connection kept between requests, as production keeps it (TONGXIN_DB_CONN_MAX_AGE)."""
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    connection.ensure_connection()
    yield connection
    connection.settings_dict["CONN_MAX_AGE"] = saved
    connection.close()


def cut(conn) -> None:
    """What a restart of the server does to every open connection."""
    db = conn.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [conn.connection.info.backend_pid])


def test_a_request_on_a_cut_connection_gets_the_chinese_503_page(
    client, city_staff, kept_connection
):
    client.force_login(city_staff)
    client.raise_request_exception = False
    cut(kept_connection)
    response = client.get(reverse("people:roster"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "数据库暂时无法访问" in page and "没有保存" in page
    assert response["Retry-After"] == "10"
    # The next request starts by dropping the broken connection and works.
    close_old_connections()
    assert client.get(reverse("people:roster")).status_code == 200


def test_the_first_request_after_a_restart_finds_a_fresh_connection(
    client, city_staff, kept_connection
):
    client.force_login(city_staff)
    cut(kept_connection)
    # The start of a request (Django's request_started signal; the test client skips it): the
    # kept connection is checked and, found dead, replaced before the request uses it.
    close_old_connections()
    assert client.get(reverse("people:roster")).status_code == 200
