"""Two import workers on one queue (a second service started by mistake, or a restart that
overlaps the old one): each batch is checked once and written once, by one of them."""

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.io.helpers import member, workbook_bytes
from tests.io.test_import_pages import upload
from tongxin.core import fieldcrypt
from tongxin.io.models import ImportBatch
from tongxin.people.models import Person

S = ImportBatch.Status
BATCHES, ROWS = 6, 4
ROOT = Path(__file__).resolve().parents[2]


def run_two_workers(env: dict) -> list[str]:
    """Both workers started at once, each taking up the queue until it is empty."""
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "import_worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out)
    return outputs


def handled(outputs: list[str]) -> int:
    # The command's last line: 处理了 N 个导入任务
    return sum(int(out.split("处理了 ")[1].split()[0]) for out in outputs)


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_queue_check_and_write_each_batch_exactly_once(
    client, world, city_staff, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    settings.TONGXIN_FIELD_KEY = fieldcrypt.new_key_text()
    client.force_login(city_staff)
    for b in range(BATCHES):
        rows = [member(f"成员{b}甲{r}", "C1-A") for r in range(ROWS)]
        upload(client, workbook_bytes(members=rows, org_sheet=False), name=f"名册{b}.xlsx")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongxin.settings",
        "TONGXIN_VAR_DIR": str(tmp_path),
        "TONGXIN_FIELD_KEY": settings.TONGXIN_FIELD_KEY,
    }
    if connection.vendor == "sqlite":
        # The test database lives in memory: the workers share a file copy of it, which is
        # brought back after each round.
        database = tmp_path / "workers.sqlite3"
        env["TONGXIN_DATABASE_URL"] = f"sqlite:///{database}"
        connection.ensure_connection()

        def round_of_two_workers() -> list[str]:
            with sqlite3.connect(database) as copy:
                connection.connection.backup(copy)
            outputs = run_two_workers(env)
            with sqlite3.connect(database) as copy:
                copy.backup(connection.connection)
            return outputs
    else:
        db = connection.settings_dict
        env["TONGXIN_DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )

        def round_of_two_workers() -> list[str]:
            return run_two_workers(env)

    assert handled(round_of_two_workers()) == BATCHES
    batches = list(ImportBatch.objects.order_by("pk"))
    assert [(b.status, b.total_rows, b.created) for b in batches] == [
        (S.CHECKED, ROWS, ROWS)
    ] * BATCHES
    assert not Person.objects.exists()

    for batch in batches:
        client.post(reverse("io:confirm", args=[batch.pk]))
    assert handled(round_of_two_workers()) == BATCHES
    assert [(b.status, b.message) for b in ImportBatch.objects.order_by("pk")] == [
        (S.DONE, "")
    ] * BATCHES
    names = Counter(Person.objects.values_list("name", flat=True))
    assert len(names) == BATCHES * ROWS
    assert set(names.values()) == {1}, "a person written twice"
    for batch in batches:
        assert Person.objects.filter(name__startswith=f"成员{batch.file_name[2]}甲").count() == ROWS
