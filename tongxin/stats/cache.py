"""The statistics' aggregate queries, kept until the data they count changes.

A report counts every figure of a subtree twice (the date and a year earlier) in about sixteen
aggregate queries; at the root of a large tree each reads every member and costs seconds.
``aggregate`` stores each query's row under a hash of its SQL and parameters — which hold the
node, the dates, the scope and the deployment's rules — together with the *version* it was
counted at, and gives the stored row back while the version is unchanged.

Writes: the versions are kept by the database itself, so that no way of writing can forget
them. After ``migrate`` (post_migrate) every table of Tongxin's apps that the figures may read
has triggers that only note WHAT was written in ``stats_pendingchange``, without a join
(``recorded``): a person's id, an organization's id or path, or "everything" — on SQLite for
each row written (INSERT OR IGNORE: one row per person, organization or path until the next
read), on PostgreSQL for each statement (the distinct ids of its transition table, insert-only
so that concurrent writers never wait for each other). A write costs about what the old single
version bump cost (bench/README.md, "The figure store under writes").

Reads: before a version is read, ``resolve`` folds the pending changes in one batch, in one
transaction: it takes the pending rows (PostgreSQL: ``DELETE … RETURNING`` in the statement
that resolves them, so that a row committed meanwhile is neither lost nor taken; SQLite: after
taking the write lock), finds the organizations they concern (the persons' organizations by the
routes of ``person_routes``, in one query over the set), and adds one to the counter of each
such organization and each of its ancestors (``SubtreeVersion``; ``""`` for everything) and to
the version of everything (``DataVersion``). Two readers resolving at once: the second waits
for the first's rows and finds them gone, or takes other rows; a counter may grow by more than
one, never by less.

- The version of node N (``node_version``) is N's counter plus ``""``'s: it grows exactly when
  a write that concerns N's subtree is folded, which happens before any reader reads it after
  the write committed. A write in one province leaves another's version, and its stored
  figures, as they were.
- The version of everything (``current_version``): aggregates counted outside a node's report
  (the workbench, the charts) are kept under it.

The figures of a node's report (``counting_for(org)``, set by ``sections.compute``) are kept
under the node's version; the hash holds which version it is, so that two versions' numbers
never meet. Inside one such block the node's version is read once, at its first lookup,
together with every row stored under that version (one query, ``PREFETCH`` rows at most; past
them, one query a lookup): a report of ~135 aggregates costs two queries of the store, not two
a figure, and a block's figures are all read at one version. A row counted from data a writer
had not yet committed is stored under the version read before the count, which that writer's
commit makes old once folded. Bulk imports, undo, ``QuerySet.update`` and raw SQL all pass
through the triggers. Tables no figure reads are not watched (UNWATCHED_APPS).

Which organizations a write concerns. A figure of node N counts records of N's subtree: its
organizations, the records tied to them, and the people tied to them (their spells, posts and
affiliations, and the domain apps' records that name a person and reach an organization).
- A row of the tree (orgs_organization): its old and new path (a move: both places, and each
  descendant's row with them), and every organization of the people tied to it by a row of the
  tree's or the roster's tables (a member's flows read where they came from or went to).
- A row of the tree's or the roster's own tables (apps orgs, people) that names an organization
  or a person: that organization, and every organization of that person.
- A person: every organization of that person.
- Anything else — a code table, a rule, a domain app's record: everything.
"Every organization of a person" is each organization reached from a watched row naming the
person through at most TREE_HOPS keys (not through another person or an account), as it stands
when the change is folded. A tie that was removed meanwhile was removed by a write, which noted
the organization it named (or everything) itself: no organization the person was in when the
write committed is missed.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections, transaction

from .models import CachedAggregate, DataVersion

log = logging.getLogger(__name__)

# Apps whose tables the figures never read: written while people only read (audit, accounts,
# this app's), or in bulk beside the records they describe (io: an import's batch and its
# undo records, about two a person; the people, spells and posts it writes are watched).
UNWATCHED_APPS = {"stats", "audit", "accounts", "io"}

# Changing how rows are stored or keyed: bump, and every stored row is ignored.
FORMAT = "3"

TREE = "orgs_organization"
SCOPED_APPS = {"tongxin.orgs", "tongxin.people"}
TREE_HOPS = 3
PENDING = "stats_pendingchange"

# The fold's statement for each database (alias, vendor): made from the models once.
_sql_cache: dict[tuple[str, str], str] = {}

# What the store did in this process since it started (or ``reset_counts``): lookups served
# from a stored row ("hits"), counted and stored ("misses"), counted without a version to
# store them under ("unstored"), and the folds of pending changes run ("folds"). Plain ints,
# read by ``counts``.
_counts = {"hits": 0, "misses": 0, "unstored": 0, "folds": 0}

# The rows stored under a node's version read at a block's first lookup, at most.
PREFETCH = 5000


class _Block:
    """A node whose report is being counted (``counting_for``), and what the block's first
    lookup on each database read: the node's version, the rows stored under it (key → row)
    and whether they are all of them."""

    __slots__ = ("path", "read")

    def __init__(self, path: str):
        self.path = path
        self.read: dict[str, tuple[int | None, dict, bool]] = {}


# The block of the node whose report is being counted, or None.
_node: contextvars.ContextVar[_Block | None] = contextvars.ContextVar("stats_node", default=None)


@contextmanager
def counting_for(org):
    """Keep the aggregates counted inside the block under ``org``'s version: each of them must
    count records of ``org``'s subtree (and the people tied to it) only, as a report's
    sections do."""
    token = _node.set(_Block(org.path) if org is not None else None)
    try:
        yield
    finally:
        _node.reset(token)


def counts() -> dict[str, int]:
    """This process's lookups since it started or ``reset_counts``: hits, misses, unstored
    (no version kept: counted, not stored) and folds."""
    return dict(_counts)


def reset_counts() -> None:
    for name in _counts:
        _counts[name] = 0


def hit_rate(before: dict[str, int], after: dict[str, int]) -> float | None:
    """The share of the lookups between two ``counts()`` served from the store; None if
    there was none."""
    looked_up = sum(after[name] - before[name] for name in ("hits", "misses", "unstored"))
    return (after["hits"] - before["hits"]) / looked_up if looked_up else None


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


# ---------------------------------------------------------------------------------------------
# The routes from a person to the organizations they are tied to (read when folding).


def _keys(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one)
    ]


def _watched_models() -> list:
    tables = set(watched_tables())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    ]


def _routes_to_tree(model) -> list[list]:
    """The chains of keys from ``model`` to an organization, at most TREE_HOPS long, not through
    a person, an account or the same table twice."""
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    routes, frontier = [], [(model, [])]
    for _hop in range(TREE_HOPS):
        step = []
        for current, route in frontier:
            for field in _keys(current):
                target = field.related_model
                if target is Organization:
                    routes.append([*route, field])
                elif (
                    target is not Person
                    and target._meta.app_label not in UNWATCHED_APPS
                    and target is not model
                    and target not in [f.model for f in route]
                ):
                    step.append((target, [*route, field]))
        frontier = step
    return routes


def person_routes() -> list[tuple[str, str, list]]:
    """Each (table, person column, chain of keys to an organization) of the watched tables."""
    from tongxin.people.models import Person

    found = []
    for model in _watched_models():
        for field in _keys(model):
            if field.related_model is Person:
                for route in _routes_to_tree(model):
                    found.append((model._meta.db_table, field.column, route))
    return found


def _route_sql(qn, table: str, person_column: str, route: list, persons: str) -> str:
    joins, alias = [], "t0"
    for i, field in enumerate(route):
        target = field.related_model._meta
        step = "o" if i == len(route) - 1 else f"t{i + 1}"
        joins.append(
            f"JOIN {qn(target.db_table)} {step} ON {step}.{qn(target.pk.column)} = "
            f"{alias}.{qn(field.column)}"
        )
        alias = step
    return (
        f"SELECT o.path AS p FROM {qn(table)} t0 {' '.join(joins)} "
        f"WHERE t0.{qn(person_column)} IN ({persons})"
    )


def recorded(model) -> list[tuple[str, str]] | None:
    """What a row written to ``model`` is noted as: (kind, column) pairs — "p" a person's id,
    "o" an organization's id, "f" an organization's own row (its id), "t" its path — or None:
    everything."""
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    if model is Organization:
        return [("t", "path"), ("f", model._meta.pk.column)]
    if model is Person:
        return [("p", model._meta.pk.column)]
    if model._meta.app_config.name not in SCOPED_APPS:
        return None
    noted = [
        ("o" if field.related_model is Organization else "p", field.column)
        for field in _keys(model)
        if field.related_model in (Organization, Person)
    ]
    return noted or None


# ---------------------------------------------------------------------------------------------
# The triggers.


def _pg_function(connection, table: str, event: str, noted, tables) -> str:
    """The body of PostgreSQL's statement trigger: the distinct values of the transition
    tables, no join; a statement that wrote no row (a cascade over nothing) notes nothing."""
    qn = connection.ops.quote_name
    if noted is None:
        return (
            f"INSERT INTO {PENDING} (kind, ref) SELECT 'a', '' "
            f"WHERE EXISTS (SELECT 1 FROM {tables[0]}_rows)"
        )
    parts = [
        f"SELECT '{kind}' AS k, CAST({qn(column)} AS varchar) AS r FROM {which}_rows"
        for which in tables
        for kind, column in noted
    ]
    return (
        f"INSERT INTO {PENDING} (kind, ref) SELECT DISTINCT k, r FROM ("
        + " UNION ALL ".join(parts)
        + ") noted WHERE r IS NOT NULL"
    )


def _sqlite_body(connection, event: str, noted) -> str:
    qn = connection.ops.quote_name
    if noted is None:
        return f"INSERT OR IGNORE INTO {PENDING} (kind, ref) VALUES ('a', '');"
    statements = []
    for kind, column in noted:
        new, old = f"NEW.{qn(column)}", f"OLD.{qn(column)}"
        if event in ("INSERT", "UPDATE"):
            statements.append(
                f"INSERT OR IGNORE INTO {PENDING} (kind, ref) VALUES ('{kind}', {new});"
            )
        if event == "DELETE":
            statements.append(
                f"INSERT OR IGNORE INTO {PENDING} (kind, ref) VALUES ('{kind}', {old});"
            )
        elif event == "UPDATE":
            # Only a key that changed names a second organization or person. (A NULL key
            # breaks NOT NULL, which OR IGNORE skips.)
            statements.append(
                f"INSERT OR IGNORE INTO {PENDING} (kind, ref) SELECT '{kind}', {old} "
                f"WHERE {old} IS NOT {new};"
            )
    return " ".join(statements)


def _create_triggers(connection, cursor, model) -> None:
    qn = connection.ops.quote_name
    table = model._meta.db_table
    noted = recorded(model)
    if connection.vendor == "postgresql":
        for event, tables in (
            ("insert", ("new",)),
            ("update", ("new", "old")),
            ("delete", ("old",)),
        ):
            function = f"tongxin_changed_{table}_{event}"[:63]
            referencing = " ".join(f"{which.upper()} TABLE AS {which}_rows" for which in tables)
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {qn(function)}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN {_pg_function(connection, table, event, noted, tables)}; "
                "RETURN NULL; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER tongxin_changed_{event} AFTER {event.upper()} ON {qn(table)} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {qn(function)}()"
            )
        cursor.execute(
            f"CREATE TRIGGER tongxin_changed_truncate AFTER TRUNCATE ON {qn(table)} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tongxin_changed_everything()"
        )
    else:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = qn(f"tongxin_changed_{table}_{event}")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {qn(table)} FOR EACH ROW "
                f"BEGIN {_sqlite_body(connection, event, noted)} END"
            )


def _note_everything(cursor, vendor: str) -> None:
    verb = "INSERT OR IGNORE" if vendor == "sqlite" else "INSERT"
    cursor.execute(f"{verb} INTO {PENDING} (kind, ref) VALUES ('a', '')")


def install_triggers(*, using: str = "default") -> None:
    """Give every watched table its triggers (made again each time: what a write notes follows
    the models) and make every stored row old: a migration may have changed what the stored
    rows were counted from."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    _sql_cache.clear()  # the routes follow the tables present
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # A migration taken backwards leaves models whose tables are gone until it goes forward.
        present = set(connection.introspection.table_names(cursor))
        _, new = DataVersion.objects.using(using).get_or_create(pk=1)
        if new:
            # Counting starts again: a row stored under a number it will reach is not its.
            CachedAggregate.objects.using(using).all().delete()
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION tongxin_changed_everything() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {PENDING} (kind, ref) "
                "VALUES ('a', ''); RETURN NULL; END $$"
            )
        for model in _watched_models():
            table = model._meta.db_table
            if table not in present:
                continue
            _drop_triggers_of(connection, cursor, table)
            _create_triggers(connection, cursor, model)
        _note_everything(cursor, connection.vendor)


def _drop_triggers_of(connection, cursor, table: str) -> None:
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute(f"DROP TRIGGER IF EXISTS tongxin_data_changed ON {qn(table)}")
        for event in ("insert", "update", "delete", "truncate"):
            cursor.execute(f"DROP TRIGGER IF EXISTS tongxin_changed_{event} ON {qn(table)}")
    else:
        for event in ("INSERT", "UPDATE", "DELETE"):
            for prefix in ("tongxin_data_changed", "tongxin_changed"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(f'{prefix}_{table}_{event}')}")


def drop_triggers(*, using: str = "default") -> None:
    """Take every trigger of the store away. A migration runs without them (a trigger names
    its table's columns, which a migration may drop or rename while its later steps still
    write); what it changes is counted as a change of everything when the triggers are made
    again (``install_triggers``, on post_migrate)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    _sql_cache.clear()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tongxin%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(name)}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE 'tongxin%%' "
                "AND pg_catalog.pg_table_is_visible(c.oid)"
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(name)} ON {qn(table)}")


def uninstalled(sender=None, using: str = "default", **kwargs) -> None:
    """pre_migrate."""
    drop_triggers(using=using)


def installed(sender=None, using: str = "default", **kwargs) -> None:
    """post_migrate (also sent by ``flush``)."""
    install_triggers(using=using)


# ---------------------------------------------------------------------------------------------
# Folding the pending changes into the versions (on read).


def _resolution_sql(connection, gone: str, routes) -> str:
    """A SELECT of the distinct paths the rows of ``gone`` (kind, ref) concern: an
    organization's path, ``""`` for everything, and ``"*"`` once if there is any row."""
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    qn = connection.ops.quote_name
    ids = "SELECT CAST(g.ref AS BIGINT) FROM {gone} g WHERE g.kind {cond}"
    fanned = ids.format(gone=gone, cond="= 'f'")
    named = ids.format(gone=gone, cond="IN ('o', 'f')")
    persons = [ids.format(gone=gone, cond="= 'p'")]
    for other in _watched_models():
        if other._meta.app_config.name not in SCOPED_APPS:
            continue
        keys = _keys(other)
        for to_tree in (f for f in keys if f.related_model is Organization):
            for to_person in (f for f in keys if f.related_model is Person):
                persons.append(
                    f"SELECT {qn(to_person.column)} FROM {qn(other._meta.db_table)} "
                    f"WHERE {qn(to_tree.column)} IN ({fanned})"
                )
    parts = [
        f"SELECT g.ref AS p FROM {gone} g WHERE g.kind = 't'",
        f"SELECT o.path AS p FROM {qn(TREE)} o WHERE o.id IN ({named})",
        f"SELECT '' AS p FROM {gone} g WHERE g.kind = 'a'",
        f"SELECT '*' AS p FROM {gone} g",
    ]
    parts.extend(_route_sql(qn, *route, persons="SELECT id FROM persons") for route in routes)
    return (
        f"persons (id) AS ({' UNION '.join(persons)}) "
        "SELECT DISTINCT p FROM (" + " UNION ALL ".join(parts) + ") concerned WHERE p IS NOT NULL"
    )


def _present_routes(connection) -> list:
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    return [
        route
        for route in person_routes()
        if route[0] in present
        and all(field.related_model._meta.db_table in present for field in route[2])
    ]


def _resolution(connection) -> str:
    key = (connection.alias, connection.vendor)
    if key not in _sql_cache:
        routes = _present_routes(connection)
        if connection.vendor == "postgresql":
            sql = f"WITH gone AS (DELETE FROM {PENDING} RETURNING kind, ref), " + _resolution_sql(
                connection, "gone", routes
            )
        else:
            sql = "WITH " + _resolution_sql(connection, PENDING, routes)
        _sql_cache[key] = sql
    return _sql_cache[key]


def _ancestors(path: str) -> list[str]:
    from tongxin.orgs.models import Organization

    step = Organization.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)] or [path]


def resolve(using: str = "default") -> None:
    """Fold the pending changes into the versions, in one transaction: take them (no other
    reader folds the same rows; a row committed meanwhile stays for the next), find the
    organizations they concern, add one to each one's and each ancestor's counter and to the
    version of everything."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Take the write lock first: no writer commits between reading and deleting.
            cursor.execute("UPDATE stats_dataversion SET version = version + 1 WHERE id = 1")
            cursor.execute(_resolution(connection))
            paths = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"DELETE FROM {PENDING}")
        else:
            cursor.execute(_resolution(connection))
            paths = [row[0] for row in cursor.fetchall()]
            if "*" in paths:
                cursor.execute("UPDATE stats_dataversion SET version = version + 1 WHERE id = 1")
        added: Counter = Counter()
        for path in paths:
            if path == "*":
                continue
            for each in _ancestors(path) if path else [""]:
                added[each] += 1
        if added:
            # In one order, so that two folds never wait for each other in a circle.
            cursor.executemany(
                "INSERT INTO stats_subtreeversion (path, version) VALUES (%s, 1) "
                "ON CONFLICT (path) DO UPDATE SET version = stats_subtreeversion.version + 1",
                [(path,) for path in sorted(added)],
            )
    _counts["folds"] += 1


def _versions(path: str | None, using: str) -> int | None:
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    if path is None:
        sql = (
            f"SELECT v.version, EXISTS (SELECT 1 FROM {PENDING}) "
            "FROM stats_dataversion v WHERE v.id = 1"
        )
        params = []
    else:
        sql = (
            "SELECT (SELECT coalesce(sum(s.version), 0) FROM stats_subtreeversion s "
            f"WHERE s.path IN ('', %s)), EXISTS (SELECT 1 FROM {PENDING}) "
            "FROM stats_dataversion v WHERE v.id = 1"
        )
        params = [path]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        if row[1]:
            try:
                resolve(using)
            except DatabaseError:
                # Not folded (a writer held the lock past the timeout, a read-only database):
                # the version is unknown, the figures are counted and not stored.
                log.warning("统计结果的待处理数据变更未能处理", exc_info=True)
                return None
            cursor.execute(sql, params)
            row = cursor.fetchone()
    return int(row[0])


def current_version(using: str = "default") -> int | None:
    """The version of everything now, every pending change folded; None where it is not kept
    (no triggers installed)."""
    return _versions(None, using)


def node_version(path: str, using: str = "default") -> int | None:
    """The version of the subtree at ``path``, every pending change folded: it grows when a
    write that concerns an organization of the subtree, or everything, has committed. None as
    for ``current_version``."""
    return _versions(path, using)


def series_version(series: str, using: str = "default") -> int | None:
    """The version a stored row of ``series`` ("*" or a node's path) is read under."""
    return current_version(using) if series == "*" else node_version(series, using)


def forget_old(using: str = "default") -> int:
    """Delete the rows counted at an older version than their version's now: they are never
    read again. Returns how many."""
    if current_version(using) is None:
        return 0
    deleted = 0
    for series in CachedAggregate.objects.using(using).values_list("series", flat=True).distinct():
        version = series_version(series, using)
        gone, _ = (
            CachedAggregate.objects.using(using).filter(series=series, version__lt=version).delete()
        )
        deleted += gone
    return deleted


class _Compiled(Exception):
    def __init__(self, sql, params):
        self.sql, self.params = sql, params


def _capture(execute, sql, params, many, context):
    raise _Compiled(sql, params)


def _key(queryset, aggregates, series: str) -> tuple[str | None, dict | None]:
    """The hash of the SQL ``queryset.aggregate(**aggregates)`` runs, found by compiling it and
    stopping before the database; or, when Django answers without asking the database (an
    empty condition), that answer."""
    connection = connections[queryset.db]
    try:
        with connection.execute_wrapper(_capture):
            answer = queryset.aggregate(**aggregates)
    except _Compiled as compiled:
        text = (
            f"{FORMAT}\x00{connection.vendor}\x00{series}\x00{compiled.sql}\x00{compiled.params!r}"
        )
        return hashlib.sha256(text.encode()).hexdigest(), None
    return None, answer


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def aggregate(queryset, **aggregates) -> dict:
    """``queryset.aggregate(**aggregates)``, from the stored row while the version it was
    counted at (the node's inside ``counting_for``, else everything's) is unchanged."""
    if not getattr(settings, "TONGXIN_STATS_CACHE", True):
        return queryset.aggregate(**aggregates)
    using = queryset.db
    block = _node.get()
    if block is None:
        series, version, rows, complete = "*", current_version(using), {}, False
    else:
        series = block.path
        version, rows, complete = _block_read(block, using)
    if version is None:
        _counts["unstored"] += 1
        return queryset.aggregate(**aggregates)
    key, answer = _key(queryset, aggregates, series)
    if key is None:
        return answer
    stored = rows.get(key)
    if stored is None and not complete:
        stored = (
            CachedAggregate.objects.using(using)
            .filter(key=key, version=version)
            .values_list("row", flat=True)
            .first()
        )
    if stored is not None:
        _counts["hits"] += 1
        return stored
    _counts["misses"] += 1
    row = {name: _plain(value) for name, value in queryset.aggregate(**aggregates).items()}
    _store(using, key, series, version, row)
    if block is not None:
        rows[key] = row
    return row


def _block_read(block: _Block, using: str) -> tuple[int | None, dict, bool]:
    """The node's version for the whole block, read at its first lookup, and the rows stored
    under it. A row counted inside the block is stored under this version, read before it was
    counted (a write committed meanwhile makes it old once folded), as a lookup did alone."""
    if using not in block.read:
        version, rows, complete = node_version(block.path, using), {}, False
        if version is not None:
            found = list(
                CachedAggregate.objects.using(using)
                .filter(series=block.path, version=version)
                .values_list("key", "row")[: PREFETCH + 1]
            )
            complete = len(found) <= PREFETCH
            rows = dict(found[:PREFETCH])
        block.read[using] = (version, rows, complete)
    return block.read[using]


def _store(using: str, key: str, series: str, version: int, row: dict) -> None:
    # A row that cannot be stored (two requests storing the same key, a read-only database)
    # is counted again next time: nothing is lost.
    try:
        with transaction.atomic(using=using):
            CachedAggregate.objects.using(using).update_or_create(
                key=key, defaults={"series": series, "version": version, "row": row}
            )
    except DatabaseError:
        log.warning("统计结果未能缓存（key %s）", key, exc_info=True)
