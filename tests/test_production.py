"""The production setup, run: gunicorn with deploy/gunicorn.conf.py and the production settings
(DEBUG off, HTTPS behind a proxy, collected static files) beside the import worker, on the test
database, walked over HTTP with a real login as nginx would pass it on.

PostgreSQL only: on SQLite the test database lives in this process's memory, where no server
can reach it. CI runs the suite on PostgreSQL as well (.ci/run), where this test always runs."""

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from tests.deployment import production_environment
from tests.factories import make_member, make_user

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Tongxin-prod-7"

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the server's own connections see the data
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the server cannot reach SQLite's in-memory test database (CI runs it on PG)",
    ),
]


class Browser:
    """A browser behind nginx: HTTPS said by X-Forwarded-Proto from a trusted proxy, cookies
    kept (secure ones included), redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method, url, body=None, headers=None, follow=True):
        for _ in range(5):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            sent = {
                "Host": f"127.0.0.1:{self.port}",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.7",
                "Accept-Language": "zh-CN",
                **(headers or {}),
            }
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, url, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
            conn.close()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    assert "secure" in header.lower(), f"{name} is sent without Secure"
                    self.cookies[name] = morsel.value
            location = response.headers.get("Location")
            if not (follow and response.status in (301, 302, 303) and location):
                return response, content
            method, body, url = "GET", None, urlsplit(location)._replace(scheme="", netloc="")
            url = url.geturl()
        raise AssertionError(f"too many redirects at {url}")

    def get(self, url):
        return self.request("GET", url)

    def post(self, url, fields, referer):
        return self.request(
            "POST",
            url,
            body=urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + referer,
            },
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict  # the test database: its NAME is pytest-django's
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_healthy(port: int, server: subprocess.Popen, *, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited while starting"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            last = (response.status, json.loads(response.read()))
            conn.close()
            if response.status == 200:
                return last[1]
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"/healthz not 200 after {seconds} s: {last}")


@pytest.fixture
def production(settings, tmp_path):
    """The environment of both services: deploy/tongxin.env, on this machine."""
    port = free_port()
    env = production_environment(tmp_path / "var")
    settings.TONGXIN_FIELD_KEY = env["TONGXIN_FIELD_KEY"]  # the data's key, shared
    env.update(
        TONGXIN_DATABASE_URL=database_url(),
        TONGXIN_ALLOWED_HOSTS="127.0.0.1",
        TONGXIN_STATIC_ROOT=str(tmp_path / "static"),
        TONGXIN_BIND=f"127.0.0.1:{port}",
        TONGXIN_WEB_WORKERS="2",
    )
    return port, env


def test_gunicorn_serves_the_main_pages_with_the_production_settings(production, world, tmp_path):
    port, env = production
    person = make_member(world.branch_a, name="张敏")
    user = make_user("city_staff", world.city)
    # The server hashes with Argon2 (this test process with a fast hasher it does not know).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])

    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collect.returncode == 0, collect.stderr
    collected = tmp_path / "static" / "css" / "tongxin.css"
    # nginx, another user, serves them (uploads stay 0600).
    assert collected.stat().st_mode & 0o777 == 0o644

    logs = tmp_path / "gunicorn.log"
    with logs.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "import_worker", "--loop"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        health = wait_healthy(port, server, seconds=45)
        assert health == {"database": "ok", "migrations": "ok", "worker": "ok"}

        browser = Browser(port)
        response, page = browser.get(reverse("workbench"))
        assert response.status == 200 and "登录" in page.decode()  # sent to the login page
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, page = browser.post(
            reverse("login"),
            {"username": "city_staff", "password": PASSWORD, "csrfmiddlewaretoken": token},
            referer=reverse("login"),
        )
        assert response.status == 200, page.decode()
        assert "工作台" in page.decode() and "民盟江城市委员会" in page.decode()
        assert "sessionid" in browser.cookies

        pages = {
            reverse("people:roster"): "张敏",
            reverse("people:detail", args=[person.pk]): "张敏",
            reverse("orgs:tree"): "江城大学第一支部",
            f"{reverse('stats:report')}?org={world.city.pk}": "民盟江城市委员会",
        }
        for url, text in pages.items():
            response, body = browser.get(url)
            assert response.status == 200, f"{url}: {response.status}"
            assert text in body.decode(), url
            assert "no-store" in response.headers["Cache-Control"], url
            assert response.headers["Strict-Transport-Security"].startswith("max-age="), url
            assert "default-src 'self'" in response.headers["Content-Security-Policy"], url

        for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page):
            response, body = browser.get(asset.decode())
            assert response.status == 200, asset
            source = tmp_path / "static" / asset.decode().removeprefix("/static/")
            assert body == source.read_bytes(), asset

        response, body = browser.get(f"{reverse('people:roster')}?q={quote('张敏')}")
        assert response.status == 200 and "张敏" in body.decode()

        response, body = browser.get("/healthz")
        assert response.status == 200 and json.loads(body)["worker"] == "ok"
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    log = logs.read_text()
    assert server.returncode == 0, log
    assert worker.returncode == 0, log  # a service manager's SIGTERM: a clean stop
    # The access log names the pages, not their query strings: a searched name stays out.
    assert '"GET /people/ HTTP/1.1" 200' in log
    assert quote("张敏") not in log and "q=" not in log
