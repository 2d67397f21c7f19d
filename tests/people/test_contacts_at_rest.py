"""Phones and e-mails are encrypted in the SQLite file as ID numbers are, the migration that
brought that in converts what is stored both ways, and the file, its -wal and -shm are readable
by their owner only. The file is built by the real commands in processes of their own."""

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.io.helpers import member, workbook_bytes
from tongxin.core import fieldcrypt

ROOT = Path(__file__).resolve().parents[2]
PHONES = [f"1390000{i:04d}" for i in range(3)]
EMAILS = [f"daoru{i}@example.org" for i in range(3)]
ROOT_ORG = (
    "from tongxin.orgs.models import Organization;"
    "Organization.add_root(code='T1', name='江城试点委员会', kind='committee')"
)


def _manage(var_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TONGXIN_", "DJANGO_"))}
    env["TONGXIN_VAR_DIR"] = str(var_dir)  # its SQLite file, its generated field key
    env["DJANGO_SUPERUSER_PASSWORD"] = "Root-pass-2025"
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


@pytest.fixture(scope="module")
def var(tmp_path_factory):
    """A database file after migrate and an import of three people with phones and e-mails,
    made under the usual umask (which would leave new files readable by everyone)."""
    var = tmp_path_factory.mktemp("var")
    old = os.umask(0o022)
    try:
        _manage(var, "migrate", "--noinput")
        _manage(var, "createsuperuser", "--noinput", "--username", "root", "--email", "")
        _manage(var, "shell", "-c", ROOT_ORG)
        rows = [member(f"导入{i}", "T1", 手机=PHONES[i], 电子邮箱=EMAILS[i]) for i in range(3)]
        (var / "new.xlsx").write_bytes(workbook_bytes(members=rows))
        _manage(var, "import_roster", str(var / "new.xlsx"))
    finally:
        os.umask(old)
    return var


def _database_files(var: Path) -> list[Path]:
    return [p for p in var.iterdir() if p.name.startswith("tongxin.sqlite3")]


def _stored(var: Path) -> list[tuple[str, str]]:
    # Closed before the next command runs: an open reader would see that command's rebuilt
    # tables through its own cached schema.
    with closing(sqlite3.connect(var / "tongxin.sqlite3")) as db:
        return list(db.execute("SELECT phone, email FROM people_person ORDER BY name"))


def test_the_database_file_holds_no_phone_or_email_in_plain_text(var, settings):
    settings.TONGXIN_FIELD_KEY = (var / "field_key").read_text().strip()
    stored = _stored(var)
    assert [(fieldcrypt.decrypt(p), fieldcrypt.decrypt(e)) for p, e in stored] == list(
        zip(PHONES, EMAILS, strict=True)
    )
    data = b"".join(p.read_bytes() for p in _database_files(var))
    for value in [*PHONES, *EMAILS, "example.org"]:
        assert value.encode() not in data, value


def test_the_database_file_and_its_wal_and_shm_are_readable_by_their_owner_only(var):
    files = _database_files(var)
    assert {p.name for p in files} >= {"tongxin.sqlite3"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_the_migration_decrypts_when_undone_and_encrypts_when_redone(var, settings):
    settings.TONGXIN_FIELD_KEY = (var / "field_key").read_text().strip()
    _manage(var, "migrate", "people", "0009")
    assert _stored(var) == list(zip(PHONES, EMAILS, strict=True))
    _manage(var, "migrate", "--noinput")
    stored = _stored(var)
    assert all(fieldcrypt.is_encrypted(p) and fieldcrypt.is_encrypted(e) for p, e in stored)
    assert [fieldcrypt.decrypt(p) for p, _ in stored] == PHONES
