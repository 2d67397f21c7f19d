"""The statistics' aggregate queries, kept until the data they count changes.

A report counts every figure of a subtree twice (the date and a year earlier) in about sixteen
aggregate queries; at the root of a large tree each reads every member and costs seconds.
``aggregate`` stores each query's row under a hash of its SQL and parameters — which hold the
node, the dates, the scope and the deployment's rules — together with the *data version* it
was counted at, and gives the stored row back while the version is unchanged.

The data version is kept by the database itself, so that no way of writing can forget it:
after ``migrate`` (post_migrate), every table of Tongxin's apps that the figures may read gets
a trigger —
- SQLite: ``FOR EACH ROW``, adding one to ``stats_dataversion.version`` (SQLite has one writer
  at a time, so the single row costs no concurrency; it costs time on every row written, most
  felt by an import — bench/README.md, "Import and export");
- PostgreSQL: ``FOR EACH STATEMENT``, adding a row to ``stats_datachange`` (insert-only, so
  that concurrent writers never wait for each other); the version is the version row plus the
  number of those rows, read in one statement, so it changes exactly when a writer commits.

A row counted from data a writer had not yet committed is stored under the version read before
the count, which that writer's commit makes old. Bulk imports, undo, ``QuerySet.update`` and
raw SQL all pass through the triggers. Tables no figure reads are not watched (UNWATCHED_APPS).
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import F

from .models import CachedAggregate, DataVersion

log = logging.getLogger(__name__)

# Apps whose tables the figures never read: written while people only read (audit, accounts,
# this app's), or in bulk beside the records they describe (io: an import's batch and its
# undo records, about two a person; the people, spells and posts it writes are watched).
UNWATCHED_APPS = {"stats", "audit", "accounts", "io"}

# PostgreSQL: fold the change rows into the version row once there are this many.
COMPACT_AFTER = 1000

# Changing how rows are stored or keyed: bump, and every stored row is ignored.
FORMAT = "1"


def watched_tables() -> list[str]:
    """The tables of Tongxin's apps that a figure may read, many-to-many tables included."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.app_label in UNWATCHED_APPS:
            continue
        if meta.app_config.name.startswith("tongxin."):
            tables.add(meta.db_table)
    return sorted(tables)


def install_triggers(*, using: str = "default") -> None:
    """Give every watched table its trigger (idempotent) and start a new version: a migration
    may have changed what the stored rows were counted from."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # A migration taken backwards leaves models whose tables are gone until it goes forward.
        present = set(connection.introspection.table_names(cursor))
        tables = [table for table in watched_tables() if table in present]
        _, new = DataVersion.objects.using(using).get_or_create(pk=1)
        if new:
            # Counting starts again: a row stored under a number it will reach is not its.
            CachedAggregate.objects.using(using).all().delete()
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION tongxin_data_changed() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO stats_datachange DEFAULT VALUES; RETURN NULL; END $$"
            )
            for table in tables:
                cursor.execute(
                    "CREATE OR REPLACE TRIGGER tongxin_data_changed "
                    "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                    f"{connection.ops.quote_name(table)} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION tongxin_data_changed()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = connection.ops.quote_name(f"tongxin_data_changed_{table}_{event}")
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON "
                        f"{connection.ops.quote_name(table)} BEGIN UPDATE stats_dataversion "
                        "SET version = version + 1 WHERE id = 1; END"
                    )
        DataVersion.objects.using(using).filter(pk=1).update(version=F("version") + 1)


def installed(sender=None, using: str = "default", **kwargs) -> None:
    """post_migrate (also sent by ``flush``)."""
    install_triggers(using=using)


def current_version(using: str = "default") -> int | None:
    """The data version now; None where it is not kept (the triggers were never installed)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT v.version + (SELECT count(*) FROM stats_datachange) "
                "FROM stats_dataversion v WHERE v.id = 1"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT version FROM stats_dataversion WHERE id = 1")
        else:
            return None
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def compact(using: str = "default") -> None:
    """PostgreSQL: fold the committed change rows into the version row, in one statement (the
    sum stays the same for every reader)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM stats_datachange RETURNING 1) "
            "UPDATE stats_dataversion SET version = version + (SELECT count(*) FROM gone) "
            "WHERE id = 1"
        )


def forget_old(using: str = "default") -> int:
    """Delete the rows counted at an older version: the version only grows, so they are never
    read again. Returns how many."""
    version = current_version(using)
    if version is None:
        return 0
    compact(using)
    deleted, _ = CachedAggregate.objects.using(using).filter(version__lt=version).delete()
    return deleted


class _Compiled(Exception):
    def __init__(self, sql, params):
        self.sql, self.params = sql, params


def _capture(execute, sql, params, many, context):
    raise _Compiled(sql, params)


def _key(queryset, aggregates) -> tuple[str | None, dict | None]:
    """The hash of the SQL ``queryset.aggregate(**aggregates)`` runs, found by compiling it and
    stopping before the database; or, when Django answers without asking the database (an
    empty condition), that answer."""
    connection = connections[queryset.db]
    try:
        with connection.execute_wrapper(_capture):
            answer = queryset.aggregate(**aggregates)
    except _Compiled as compiled:
        text = f"{FORMAT}\x00{connection.vendor}\x00{compiled.sql}\x00{compiled.params!r}"
        return hashlib.sha256(text.encode()).hexdigest(), None
    return None, answer


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def aggregate(queryset, **aggregates) -> dict:
    """``queryset.aggregate(**aggregates)``, from the stored row while the data version is
    the one it was counted at."""
    if not getattr(settings, "TONGXIN_STATS_CACHE", True):
        return queryset.aggregate(**aggregates)
    using = queryset.db
    version = current_version(using)
    if version is None:
        return queryset.aggregate(**aggregates)
    key, answer = _key(queryset, aggregates)
    if key is None:
        return answer
    stored = (
        CachedAggregate.objects.using(using)
        .filter(key=key, version=version)
        .values_list("row", flat=True)
        .first()
    )
    if stored is not None:
        return stored
    row = {name: _plain(value) for name, value in queryset.aggregate(**aggregates).items()}
    _store(using, key, version, row)
    return row


def _store(using: str, key: str, version: int, row: dict) -> None:
    # A row that cannot be stored (two requests storing the same key, a read-only database)
    # is counted again next time: nothing is lost.
    try:
        with transaction.atomic(using=using):
            CachedAggregate.objects.using(using).update_or_create(
                key=key, defaults={"version": version, "row": row}
            )
            if connections[using].vendor == "postgresql":
                changes = connections[using].cursor()
                with changes:
                    changes.execute("SELECT count(*) > %s FROM stats_datachange", [COMPACT_AFTER])
                    if changes.fetchone()[0]:
                        compact(using)
    except DatabaseError:
        log.warning("统计结果未能缓存（key %s）", key, exc_info=True)
