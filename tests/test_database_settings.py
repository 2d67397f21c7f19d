"""What every connection the application opens is set to."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server setting")
def test_postgresql_connections_compile_no_statement_just_in_time():
    # A report's count over the whole people table is priced far above jit_above_cost: compiled
    # first, it took 1.7 s instead of 0.29 s on the 1M-member tree (bench/README.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"



@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking")
def test_sqlite_a_save_that_reads_first_waits_for_another_writer_instead_of_failing(tmp_path):
    """Two connections to one database file, as two requests (or a request and a report
    storing its figures) have. The first begins a transaction and reads; the second writes
    meanwhile; the first then writes. Begun as a reader, the first would fail at once with
    "database is locked" (the other wrote since its read); begun IMMEDIATE, the second waits
    for the first to commit, and both writes are kept."""
    import threading
    import time

    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "two.sqlite3")}
    first = DatabaseWrapper(settings_dict, "first")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE saves (who TEXT)")
    errors = []

    def other_writer():
        second = DatabaseWrapper(settings_dict, "second")  # a connection of its own thread
        try:
            with second.cursor() as cursor:
                cursor.execute("INSERT INTO saves VALUES ('second')")
        except Exception as exc:  # noqa: BLE001 - the test reports it below
            errors.append(exc)
        finally:
            second.close()

    # What transaction.atomic() does on the connection: leave autocommit, begin.
    first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with first.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM saves")
            thread = threading.Thread(target=other_writer)
            thread.start()
            time.sleep(0.5)  # the other writer has written by now, unless it waits for us
            cursor.execute("INSERT INTO saves VALUES ('first')")
        first.commit()
    finally:
        first.set_autocommit(True)
    thread.join(10)
    with first.cursor() as cursor:
        cursor.execute("SELECT who FROM saves ORDER BY who")
        saved = [row[0] for row in cursor.fetchall()]
    first.close()
    assert errors == []
    assert saved == ["first", "second"]
