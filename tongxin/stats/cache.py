"""The statistics' aggregate queries, kept until the data they count changes.

A report counts every figure of a subtree twice (the date and a year earlier) in about sixteen
aggregate queries; at the root of a large tree each reads every member and costs seconds.
``aggregate`` stores each query's row under a hash of its SQL and parameters — which hold the
node, the dates, the scope and the deployment's rules — together with the *version* it was
counted at, and gives the stored row back while the version is unchanged.

The versions are kept by the database itself, so that no way of writing can forget them: after
``migrate`` (post_migrate), every table of Tongxin's apps that the figures may read gets
triggers that add rows to ``stats_datachange``, one for each organization the write concerns
(``path``; ``""`` when it concerns everything — see "Which organizations a write concerns"
below): on SQLite for each row written, on PostgreSQL for each statement (the organizations
of all its rows, each once). The table is insert-only, so concurrent writers never wait for
each other, and a row becomes visible when its writer commits.

- The version of node N (``node_version``) is the number of change rows at N's path or under
  it, or at ``""``, plus what ``compact`` folded away of those (``SubtreeVersion``): it grows
  exactly when a write that concerns N's subtree commits. A write in one province leaves
  another's version, and its stored figures, as they were.
- The version of everything (``current_version``) is the number of all change rows plus
  ``DataVersion.version``: aggregates counted outside a node's report (the workbench, the
  charts) are kept under it.

The figures of a node's report (``counting_for(org)``, set by ``sections.compute``) are kept
under the node's version; the hash holds which version it is, so that two versions' numbers
never meet. A row counted from data a writer had not yet committed is stored under the version
read before the count, which that writer's commit makes old. Bulk imports, undo,
``QuerySet.update`` and raw SQL all pass through the triggers. Tables no figure reads are not
watched (UNWATCHED_APPS).
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

# Fold the change rows into the version rows once there are this many.
COMPACT_AFTER = 1000

# Changing how rows are stored or keyed: bump, and every stored row is ignored.
FORMAT = "2"

# The node whose report is being counted (its path), or None.
_node: contextvars.ContextVar[str | None] = contextvars.ContextVar("stats_node", default=None)


@contextmanager
def counting_for(org):
    """Keep the aggregates counted inside the block under ``org``'s version: each of them must
    count records of ``org``'s subtree (and the people tied to it) only, as a report's
    sections do."""
    token = _node.set(org.path if org is not None else None)
    try:
        yield
    finally:
        _node.reset(token)


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
# Which organizations a write concerns.
#
# A figure of node N counts records of N's subtree: its organizations, the records tied to
# them, and the people tied to them (their spells, posts and affiliations, and the domain apps'
# records that name a person and reach an organization). A write concerns:
# - a row of the tree (orgs_organization): its old and new path (a move: both places, and each
#   descendant's row with them), and every organization of the people tied to it by a row of
#   the tree's or the roster's tables (a member's flows read where they came from or went to);
# - a row of the tree's or the roster's own tables (apps orgs, people) that names an
#   organization or a person: that organization, and every organization of that person;
# - a person: every organization of that person (a new person, tied to nothing yet, none);
# - anything else — a code table, a rule, a domain app's record: everything ("").
# "Every organization of a person" is each organization reached from a watched row naming the
# person, through at most TREE_HOPS keys (not through another person or an account).

TREE = "orgs_organization"
SCOPED_APPS = {"tongxin.orgs", "tongxin.people"}
TREE_HOPS = 3


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


def concerned(connection, model, rows, routes) -> list[str] | None:
    """The SELECTs (each ``… AS p``) of the paths a write to ``model`` concerns; ``rows(name)``
    is a SELECT of the written rows' values of column ``name`` (as ``v``). None: the write
    concerns everything."""
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    qn = connection.ops.quote_name
    parts, persons = [], []
    if model is Organization:
        parts.append(f"SELECT x.v AS p FROM ({rows('path')}) x")
        for other in _watched_models():
            if other._meta.app_config.name not in SCOPED_APPS:
                continue
            keys = _keys(other)
            for to_tree in (f for f in keys if f.related_model is Organization):
                for to_person in (f for f in keys if f.related_model is Person):
                    persons.append(
                        f"SELECT {qn(to_person.column)} FROM {qn(other._meta.db_table)} "
                        f"WHERE {qn(to_tree.column)} IN ({rows('id')})"
                    )
    elif model is Person:
        persons.append(rows(model._meta.pk.column))
    elif model._meta.app_config.name in SCOPED_APPS:
        keys = _keys(model)
        to_tree = [f for f in keys if f.related_model is Organization]
        to_person = [f for f in keys if f.related_model is Person]
        if not to_tree and not to_person:
            return None
        for field in to_tree:
            parts.append(f"SELECT path AS p FROM {qn(TREE)} WHERE id IN ({rows(field.column)})")
        persons.extend(rows(field.column) for field in to_person)
    else:
        return None
    if persons:
        who = " UNION ".join(persons)
        parts.extend(_route_sql(qn, *route, persons=who) for route in routes)
    return parts


def _insert(parts: list[str] | None, written: str | None = None) -> str:
    """The trigger's statement; ``written``: PostgreSQL's transition table, so that a statement
    that wrote no row (a cascade over nothing) concerns nothing."""
    if parts is None:
        if written:
            return (
                "INSERT INTO stats_datachange (path) SELECT '' "
                f"WHERE EXISTS (SELECT 1 FROM {written})"
            )
        return "INSERT INTO stats_datachange (path) VALUES ('')"
    return (
        "INSERT INTO stats_datachange (path) SELECT DISTINCT p FROM ("
        + " UNION ALL ".join(parts)
        + ") changed WHERE p IS NOT NULL"
    )


def _drop_old_triggers(connection, cursor, table: str) -> None:
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute(f"DROP TRIGGER IF EXISTS tongxin_data_changed ON {qn(table)}")
        for event in ("insert", "update", "delete", "truncate"):
            cursor.execute(f"DROP TRIGGER IF EXISTS tongxin_changed_{event} ON {qn(table)}")
    else:
        for event in ("INSERT", "UPDATE", "DELETE"):
            for prefix in ("tongxin_data_changed", "tongxin_changed"):
                name = f"{prefix}_{table}_{event}"
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(name)}")


def _create_triggers(connection, cursor, model, routes) -> None:
    from tongxin.people.models import Person

    qn = connection.ops.quote_name
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        for event, tables in (
            ("insert", ("new",)),
            ("update", ("new", "old")),
            ("delete", ("old",)),
        ):
            parts = []
            for which in tables:
                found = concerned(
                    connection,
                    model,
                    lambda name, which=which: f"SELECT {qn(name)} AS v FROM {which}_rows",
                    routes,
                )
                parts = None if found is None or parts is None else parts + found
            function = f"tongxin_changed_{table}_{event}"[:63]
            referencing = " ".join(f"{which.upper()} TABLE AS {which}_rows" for which in tables)
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {qn(function)}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN {_insert(parts, f'{tables[0]}_rows')}; RETURN NULL; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER tongxin_changed_{event} AFTER {event.upper()} ON {qn(table)} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {qn(function)}()"
            )
        cursor.execute(
            f"CREATE TRIGGER tongxin_changed_truncate AFTER TRUNCATE ON {qn(table)} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tongxin_data_changed()"
        )
    else:
        for event, tables in (
            ("INSERT", ("NEW",)),
            ("UPDATE", ("NEW", "OLD")),
            ("DELETE", ("OLD",)),
        ):
            if model is Person and event == "INSERT":
                continue  # a new person is tied to no organization yet
            parts = []
            for which in tables:
                found = concerned(
                    connection,
                    model,
                    lambda name, which=which: f"SELECT {which}.{qn(name)} AS v",
                    routes,
                )
                parts = None if found is None or parts is None else parts + found
            name = qn(f"tongxin_changed_{table}_{event}")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {qn(table)} FOR EACH ROW "
                f"BEGIN {_insert(parts)}; END"
            )


def install_triggers(*, using: str = "default") -> None:
    """Give every watched table its triggers (made again each time: what a write concerns
    follows the models) and make every stored row old: a migration may have changed what the
    stored rows were counted from."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # A migration taken backwards leaves models whose tables are gone until it goes forward.
        present = set(connection.introspection.table_names(cursor))
        _, new = DataVersion.objects.using(using).get_or_create(pk=1)
        if new:
            # Counting starts again: a row stored under a number it will reach is not its.
            CachedAggregate.objects.using(using).all().delete()
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION tongxin_data_changed() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO stats_datachange (path) VALUES (''); RETURN NULL; END $$"
            )
        routes = [
            route
            for route in person_routes()
            if route[0] in present
            and all(field.related_model._meta.db_table in present for field in route[2])
        ]
        for model in _watched_models():
            table = model._meta.db_table
            if table not in present:
                continue
            _drop_old_triggers(connection, cursor, table)
            _create_triggers(connection, cursor, model, routes)
        cursor.execute("INSERT INTO stats_datachange (path) VALUES ('')")


def drop_triggers(*, using: str = "default") -> None:
    """Take every trigger of the store away. A migration runs without them: a trigger names
    the tables a person is reached through, and a migration taken backwards drops some of
    them while its later steps still write (SQLite then refuses every such write). What the
    migration changes is counted as a change of everything when the triggers are made again
    (``install_triggers``, on post_migrate)."""
    connection = connections[using]
    qn = connection.ops.quote_name
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


def current_version(using: str = "default") -> int | None:
    """The version of everything now; None where it is not kept (no triggers installed)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.version + (SELECT count(*) FROM stats_datachange) "
            "FROM stats_dataversion v WHERE v.id = 1"
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def node_version(path: str, using: str = "default") -> int | None:
    """The version of the subtree at ``path``: it grows when a write that concerns an
    organization of the subtree, or everything, commits. None as for ``current_version``."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT coalesce(sum(s.version), 0) FROM stats_subtreeversion s "
            "WHERE s.path IN ('', %s)) + (SELECT count(*) FROM stats_datachange c "
            "WHERE c.path = '' OR substr(c.path, 1, %s) = %s) "
            "FROM stats_dataversion v WHERE v.id = 1",
            [path, len(path), path],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def series_version(series: str, using: str = "default") -> int | None:
    """The version a stored row of ``series`` ("*" or a node's path) is read under."""
    return current_version(using) if series == "*" else node_version(series, using)


def _ancestors(path: str) -> list[str]:
    from tongxin.orgs.models import Organization

    step = Organization.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)] or [path]


def compact(using: str = "default") -> None:
    """Fold the committed change rows into the version rows, in one transaction (every
    version stays the same for every reader): each row adds one to its path's and each
    ancestor's SubtreeVersion (``""``'s for a row that concerns everything) and one to
    DataVersion."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("DELETE FROM stats_datachange RETURNING path")
        paths = Counter(row[0] for row in cursor.fetchall())
        if not paths:
            return
        added: Counter = Counter()
        for path, n in paths.items():
            for each in _ancestors(path) if path else [""]:
                added[each] += n
        # In one order, so that two compactions never wait for each other in a circle.
        cursor.executemany(
            "INSERT INTO stats_subtreeversion (path, version) VALUES (%s, %s) "
            "ON CONFLICT (path) DO UPDATE SET version = stats_subtreeversion.version "
            "+ excluded.version",
            sorted(added.items()),
        )
        cursor.execute(
            "UPDATE stats_dataversion SET version = version + %s WHERE id = 1",
            [sum(paths.values())],
        )


def forget_old(using: str = "default") -> int:
    """Delete the rows counted at an older version than their version's now: they are never
    read again. Returns how many."""
    if current_version(using) is None:
        return 0
    compact(using)
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
    node = _node.get()
    series = "*" if node is None else node
    version = current_version(using) if node is None else node_version(node, using)
    if version is None:
        return queryset.aggregate(**aggregates)
    key, answer = _key(queryset, aggregates, series)
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
    _store(using, key, series, version, row)
    return row


def _store(using: str, key: str, series: str, version: int, row: dict) -> None:
    # A row that cannot be stored (two requests storing the same key, a read-only database)
    # is counted again next time: nothing is lost.
    try:
        with transaction.atomic(using=using):
            CachedAggregate.objects.using(using).update_or_create(
                key=key, defaults={"series": series, "version": version, "row": row}
            )
            with connections[using].cursor() as changes:
                changes.execute("SELECT count(*) > %s FROM stats_datachange", [COMPACT_AFTER])
                if changes.fetchone()[0]:
                    compact(using)
    except DatabaseError:
        log.warning("统计结果未能缓存（key %s）", key, exc_info=True)
