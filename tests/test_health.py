"""/healthz tells the load balancer whether this server can take requests: the database answers,
its migrations are the code's, and the import worker is alive. Anyone may ask; it says nothing
of people and starts no session."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db.migrations.recorder import MigrationRecorder

from tongxin.io import jobs

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.TONGXIN_WORKER_STALE_SECONDS = 120


def test_a_healthy_server_answers_200_to_anyone_without_a_session(client):
    jobs.beat_worker()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "worker": "ok"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)  # the loop closes its connection at each turn
def test_the_worker_loop_marks_the_worker_alive(client):
    assert client.get("/healthz").json()["worker"] == "never seen"
    jobs.loop(interval=0.01, stop_after=0.05)
    assert client.get("/healthz").status_code == 200


def test_a_worker_silent_longer_than_the_setting_makes_the_server_unhealthy(client):
    jobs.beat_worker()
    silent_since = time.time() - 121
    os.utime(jobs.worker_beat_file(), (silent_since, silent_since))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "migrations": "ok", "worker": "stale"}


def test_a_running_import_keeps_the_worker_alive_while_the_loop_waits_for_it(client):
    # A long write holds the loop: its batch's heartbeat speaks for the worker.
    jobs._beat(41)
    assert client.get("/healthz").json()["worker"] == "ok"


def test_a_migration_not_applied_makes_the_server_unhealthy(client):
    jobs.beat_worker()
    # As if the code were deployed without `manage.py migrate` (the test's transaction undoes it).
    MigrationRecorder.Migration.objects.filter(app="people").order_by("-id").first().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


def test_an_unreachable_database_answers_503_naming_the_database(tmp_path):
    # A real server whose database does not answer: nothing listens on port 1.
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from tongxin.io import jobs\n"
        "jobs.beat_worker()\n"
        "r = Client(HTTP_HOST='localhost').get('/healthz')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongxin.settings",
        "TONGXIN_DATABASE_URL": "postgres://tongxin@127.0.0.1:1/tongxin?connect_timeout=2",
        "TONGXIN_VAR_DIR": str(tmp_path),
        "TONGXIN_LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert body == '{"database": "unreachable", "migrations": "unknown", "worker": "ok"}'
