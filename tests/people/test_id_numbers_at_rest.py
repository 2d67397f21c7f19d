"""The demo's SQLite file, and an import into it, hold no ID number in plain text: the file is
built by the real commands in a process of its own, as `make demo` builds it."""

import csv
import io
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.io.helpers import MEMBER_HEADERS, member, workbook_bytes
from tongxin.core import fieldcrypt
from tongxin.core.idnumber import make_id_number, parse_id_number
from tongxin.people import demo

ROOT = Path(__file__).resolve().parents[2]
NEW_NUMBERS = [make_id_number("110105", date(1970 + i, 3, 9), 17 + i) for i in range(3)]


def _manage(var_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TONGXIN_")}
    env["TONGXIN_VAR_DIR"] = str(var_dir)  # its SQLite file, its generated field key
    env["TONGXIN_DEMO_PASSWORD"] = "Demo-pass-2025"
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in MEMBER_HEADERS])
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A demo database file, then two imports into it: a workbook of new people and a CSV
    (plain text, kept as uploaded) that changes them, so that the batch holds the values it
    replaced."""
    var = tmp_path_factory.mktemp("var")
    _manage(var, "migrate", "--noinput")
    _manage(var, "seed_demo", "--members", str(demo.MIN_MEMBERS))
    rows = [member(f"导入{i}", demo.ROOT_CODE, 身份证号=n) for i, n in enumerate(NEW_NUMBERS)]
    (var / "new.xlsx").write_bytes(workbook_bytes(members=rows))
    _manage(var, "import_roster", str(var / "new.xlsx"))
    for row in rows:
        row["工作单位"] = "江城第一中学"
    (var / "changed.csv").write_bytes(_csv(rows))
    _manage(var, "import_roster", str(var / "changed.csv"))
    database = var / "tongxin.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return var


def _stored(var: Path, sql: str) -> list:
    with sqlite3.connect(var / "tongxin.sqlite3") as db:
        return [row[0] for row in db.execute(sql)]


def _file_bytes(var: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for path in var.iterdir()
        if path.name.startswith("tongxin.sqlite3")  # the file, its -wal and -shm
    )


def _demo_numbers(var: Path, settings) -> list[str]:
    settings.TONGXIN_FIELD_KEY = (var / "field_key").read_text().strip()
    stored = _stored(var, "SELECT id_number FROM people_person WHERE id_number <> '' LIMIT 5")
    return [fieldcrypt.decrypt(value) for value in stored]


def test_the_demo_database_file_holds_no_id_number_in_plain_text(demo_file, settings):
    numbers = _demo_numbers(demo_file, settings)
    assert len(numbers) == 5
    for number in numbers:
        parse_id_number(number)  # a real number was decrypted: the search below means something
    data = _file_bytes(demo_file)
    for number in numbers:
        assert number.encode() not in data
        assert number[:14].encode() not in data  # no part that names the person either


def test_an_import_leaves_no_id_number_of_its_file_in_plain_text(demo_file, settings):
    settings.TONGXIN_FIELD_KEY = (demo_file / "field_key").read_text().strip()
    assert b"110105" in (demo_file / "changed.csv").read_bytes()
    # The second import changed the people of the first and kept what it replaced.
    befores = _stored(demo_file, "SELECT before FROM io_batchchange WHERE before <> '{}'")
    assert befores
    data = _file_bytes(demo_file)
    for number in NEW_NUMBERS:
        assert number.encode() not in data
    # What was encrypted reads back: the batch's file and a replaced value.
    contents = _stored(demo_file, "SELECT content FROM io_importbatch ORDER BY id")
    assert fieldcrypt.decrypt_bytes(contents[-1]) == (demo_file / "changed.csv").read_bytes()
    assert any(
        fieldcrypt.EncryptedJSONField().from_db_value(b, None, None).get("id_number") in NEW_NUMBERS
        for b in befores
    )
