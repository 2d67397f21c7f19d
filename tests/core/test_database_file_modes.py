"""The SQLite file, its -wal and -shm are readable by their owner only, from the first
connection on, and an older install's wider files are narrowed when the application connects."""

import os
import sqlite3
import stat

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def _connect(path):
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        },
        alias="file_modes",
    )
    wrapper.ensure_connection()
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (x)")
        cursor.execute("INSERT INTO t VALUES (1)")
    return wrapper


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    # Connections of their own to files of their own, not the test database.
    with django_db_blocker.unblock():
        yield


def _modes(path):
    return {
        p.name: stat.S_IMODE(p.stat().st_mode)
        for p in path.parent.iterdir()
        if p.name.startswith(path.name)
    }


def test_a_new_database_file_and_its_wal_and_shm_are_the_owners_only(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "tongxin.sqlite3"
        wrapper = _connect(path)
        second = _connect(path)  # a second process's connection while the first holds the WAL
        modes = _modes(path)
        second.close()
        wrapper.close()
    finally:
        os.umask(old)
    assert set(modes) >= {"tongxin.sqlite3", "tongxin.sqlite3-wal", "tongxin.sqlite3-shm"}
    assert set(modes.values()) == {0o600}, modes


def test_an_older_installs_readable_files_are_narrowed_on_connecting(tmp_path):
    path = tmp_path / "tongxin.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x)")
    for p in tmp_path.iterdir():
        p.chmod(0o644)
    wrapper = _connect(path)
    modes = _modes(path)
    wrapper.close()
    db.close()
    assert set(modes.values()) == {0o600}, modes
