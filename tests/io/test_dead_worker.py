"""A batch whose worker died (kill -9, out of memory, host restart) comes back to staff by
itself, says what happened, and can be run again to completion."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.io.helpers import member, workbook_bytes
from tests.io.test_import_pages import imported, upload
from tongxin.core import fieldcrypt
from tongxin.io import jobs
from tongxin.io.models import ImportBatch
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db

S = ImportBatch.Status


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.TONGXIN_IMPORT_STALE_SECONDS = 300


def claimed_by_a_worker_that_died(status_from, status_to, *, minutes_ago=10) -> ImportBatch:
    """What a worker leaves behind when killed mid-step: the claim, and its last progress."""
    batch = jobs._claim(status_from, status_to)
    ImportBatch.objects.filter(pk=batch.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    jobs.write_progress(batch.pk, "write", 5000, 50304)
    return ImportBatch.objects.get(pk=batch.pk)


def checked(client, user) -> ImportBatch:
    client.force_login(user)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    jobs.run_pending()
    return ImportBatch.objects.get()


def test_a_write_whose_worker_died_returns_to_confirmation_and_can_be_written(
    client, world, city_staff
):
    batch = checked(client, city_staff)
    client.post(reverse("io:confirm", args=[batch.pk]))
    batch = claimed_by_a_worker_that_died(S.CONFIRMED, S.WRITING)
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "写入中断" in page and "未写入任何数据" in page
    assert "正在写入" not in page and "确认导入" in page
    batch.refresh_from_db()
    assert batch.status == S.CHECKED
    assert not Person.objects.exists()
    client.post(reverse("io:confirm", args=[batch.pk]))
    assert jobs.run_pending() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.message) == (S.DONE, "")
    assert Person.objects.filter(name="张敏").exists()


def test_the_next_worker_loop_hands_back_a_check_whose_worker_died(client, world, city_staff):
    client.force_login(city_staff)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    batch = claimed_by_a_worker_that_died(S.UPLOADED, S.CHECKING)
    assert jobs.run_pending() == 0
    batch.refresh_from_db()
    assert batch.status == S.FAILED and batch.message.startswith("检查中断")
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "检查中断" in page and reverse("io:retry", args=[batch.pk]) in page
    client.post(reverse("io:retry", args=[batch.pk]))
    assert jobs.run_pending() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.message, batch.total_rows) == (S.CHECKED, "", 1)


def test_an_undo_whose_worker_died_leaves_the_import_standing_and_can_be_undone_again(
    client, world, city_staff
):
    batch = imported(client, city_staff)
    client.post(reverse("io:undo", args=[batch.pk]))
    batch = claimed_by_a_worker_that_died(S.UNDO_REQUESTED, S.UNDOING)
    assert jobs.reclaim_stale() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.undone_by) == (S.DONE, None)
    assert "撤销中断" in client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    client.post(reverse("io:undo", args=[batch.pk]))
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == S.UNDONE and not Person.objects.exists()


def test_a_batch_whose_worker_still_beats_is_left_running(client, world, city_staff):
    batch = checked(client, city_staff)
    client.post(reverse("io:confirm", args=[batch.pk]))
    batch = claimed_by_a_worker_that_died(S.CONFIRMED, S.WRITING, minutes_ago=60)
    jobs._beat(batch.pk)  # the write has run an hour, and its worker is alive
    assert jobs.reclaim_stale() == 0
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "正在写入" in page
    assert jobs.reclaim_stale(now=timezone.now() + timedelta(seconds=301)) == 1


def test_a_batch_is_not_reclaimed_before_the_stale_time(client, world, city_staff, settings):
    settings.TONGXIN_IMPORT_STALE_SECONDS = 3600
    batch = checked(client, city_staff)
    client.post(reverse("io:confirm", args=[batch.pk]))
    claimed_by_a_worker_that_died(S.CONFIRMED, S.WRITING, minutes_ago=30)
    assert jobs.reclaim_stale() == 0


def test_the_heartbeat_thread_keeps_touching_the_file_while_the_work_runs(world):
    beat = jobs.heartbeat_file(7)
    with jobs.heartbeat(7, every=0.05):
        os.utime(beat, (0, 0))
        deadline = time.monotonic() + 5
        while beat.stat().st_mtime == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert beat.stat().st_mtime > 0
    assert not beat.exists()


# A worker process that takes up the queue and stops dead inside its write's transaction, at
# its first progress report of the write, so that the test can kill it there.
STOP_IN_WRITE = """
import sys, time, django
django.setup()
from tongxin.io import jobs
real = jobs.write_progress
def write_progress(batch_id, phase, done, total):
    real(batch_id, phase, done, total)
    if phase == "write":
        print("in write", flush=True)
        time.sleep(600)
jobs.write_progress = write_progress
jobs.run_pending()
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_its_write_leaves_nothing_and_the_batch_is_written_after(
    client, world, city_staff, settings, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the worker is given a copy of the SQLite test database")
    settings.TONGXIN_FIELD_KEY = fieldcrypt.new_key_text()
    batch = checked(client, city_staff)
    client.post(reverse("io:confirm", args=[batch.pk]))
    database = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongxin.settings",
        "TONGXIN_DATABASE_URL": f"sqlite:///{database}",
        "TONGXIN_VAR_DIR": str(tmp_path),
        "TONGXIN_FIELD_KEY": settings.TONGXIN_FIELD_KEY,
        "TONGXIN_IMPORT_STALE_SECONDS": "0",
    }

    def status() -> str:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT status FROM io_importbatch").fetchone()[0]

    def people() -> int:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT count(*) FROM people_person").fetchone()[0]

    worker = subprocess.Popen(
        [sys.executable, "-c", STOP_IN_WRITE], cwd=root, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout.readline().strip() == "in write"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert (status(), people()) == ("writing", 0)

    def run_worker() -> str:
        return subprocess.run(
            [sys.executable, "manage.py", "import_worker"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    run_worker()  # its first act: the silent batch goes back to staff
    assert (status(), people()) == ("checked", 0)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE io_importbatch SET status = 'confirmed'")
    assert "处理了 1 个导入任务" in run_worker()
    assert (status(), people()) == ("done", 1)
