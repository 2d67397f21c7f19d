"""Inserting many rows at once.

Django's ``bulk_create`` builds a model instance per row and, on SQLite, sends one statement
per 999 bound values (37 rows of a 27-column person); an import of 100,000 people spent most
of its write there. Rows go through ``executemany`` instead, with primary keys taken first:
from the sequence on PostgreSQL, and after the largest key on SQLite, where the caller's
transaction holds the single write lock.
"""

import json
from collections.abc import Iterable, Sequence

from django.db import connections, router, transaction
from django.db.models import Max


class JSONText(str):
    """A JSON column's value already written out as JSON text, which ``insert_rows`` passes
    on as it is. For values that differ row by row (each new person's undo record): encoding
    100,000 small documents through the JSON field cost more than inserting them."""


# Field types whose Python value SQLite stores as it is (text, numbers, booleans, keys).
_AS_IS = frozenset({
    "CharField", "TextField", "EmailField", "SlugField", "IntegerField", "BigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "AutoField",
    "BigAutoField", "ForeignKey", "BooleanField", "FloatField",
})  # fmt: skip


def _converter(field, connection):
    """A function from a Python value of ``field`` to what the database driver is given, or
    None where the driver takes the value as it is.

    Within one call the same values come back row after row (the import's timestamp, a
    start date, the undo record's ``{"updated_at": …}`` shared by a thousand rows), so each
    distinct value is converted once: dates and datetimes by value, JSON by object identity
    (the memo holds each object, so that its id cannot be reused by a later one).
    """
    own = getattr(field, "bulk_converter", None)  # encrypted fields
    if own is not None:
        return own(connection)
    internal = field.get_internal_type()
    if internal in _AS_IS:
        return None
    if internal == "JSONField":
        by_id: dict[int, tuple[object, str]] = {}

        def to_json(value):
            if type(value) is JSONText:
                return str(value)
            try:
                return by_id[id(value)][1]
            except KeyError:
                found = field.get_db_prep_save(value, connection)
                by_id[id(value)] = (value, found)
                return found

        return to_json
    if internal == "DateField" and connection.vendor == "sqlite":
        return lambda value: value and value.isoformat()
    by_value: dict = {}

    def convert(value):
        try:
            return by_value[value]
        except KeyError:
            found = by_value[value] = field.get_db_prep_save(value, connection)
            return found
        except TypeError:  # not hashable
            return field.get_db_prep_save(value, connection)

    return convert


def reserve_ids(model, count: int) -> list[int]:
    """``count`` primary keys for rows of ``model`` that ``insert_rows`` will write next: from
    the sequence on PostgreSQL, after the largest key on SQLite (where the caller's transaction
    holds the single write lock, so nobody else takes them meanwhile; reserve right before the
    insert, after any other insert into the same table). Needs a transaction."""
    using = router.db_for_write(model)
    connection = connections[using]
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("reserve_ids needs a transaction")
    if count <= 0:
        return []
    meta = model._meta
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The sequence's name first: pg_get_serial_sequence inside the series would be
            # looked up again for every row.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            return [row[0] for row in cursor.fetchall()]
    first = (model.objects.using(using).aggregate(m=Max("pk"))["m"] or 0) + 1
    return list(range(first, first + count))


def insert_rows(
    model, columns: tuple[str, ...], rows: Iterable[Sequence], *, ids: list[int] | None = None
) -> list[int]:
    """Insert ``rows`` (Python values for the ``columns`` attnames, primary key excluded)
    without building model instances; returns the new primary keys in order.

    For the hundreds of thousands of rows of an import, where creating a model instance per
    row cost more than the database work. Needs a transaction.

    With ``ids`` from ``reserve_ids`` (one per row), ``rows`` may be a generator: it is
    consumed while the rows are sent, so that on PostgreSQL the server stores the first rows
    while Python still builds the next ones.
    """
    using = router.db_for_write(model)
    connection = connections[using]
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("insert_rows needs a transaction")
    if ids is None:
        rows = list(rows)
        ids = reserve_ids(model, len(rows))
    if not ids:
        return []
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    rows = _with_hashes(fields, columns, rows)
    fields += [by_attname[f.hash_field] for f in fields if _needs_hash(f, columns)]
    # Columns not given take their field's default, as a new model instance would.
    given = {f.attname for f in fields}
    rest = [f for f in meta.concrete_fields if f.attname not in given and not f.primary_key]
    defaults = tuple(f.get_default() for f in rest)
    fields += rest
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in (meta.pk.column, *(f.column for f in fields)))
    # strict: a row without an id, or an id without a row, is a mistake of the caller.
    values = ([pk, *row, *defaults] for pk, row in zip(ids, rows, strict=True))

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor, meta, names, fields, values)
        else:
            _execute_rows(cursor, connection, meta, names, fields, values)
    return ids


def _needs_hash(field, columns) -> bool:
    hash_field = getattr(field, "hash_field", None)
    return bool(hash_field) and hash_field not in columns


def _with_hashes(fields, columns, rows):
    """``rows`` with the lookup hash of each encrypted column that has one appended, computed
    from its plain value before the value is encrypted."""
    hashing = [(i, f.bulk_hasher()) for i, f in enumerate(fields) if _needs_hash(f, columns)]
    if not hashing:
        return rows
    return ([*row, *(h(row[i]) for i, h in hashing)] for row in rows)


def _execute_rows(cursor, connection, meta, names, fields, rows) -> None:
    converting = [
        (i, conv)
        for i, conv in enumerate((_converter(f, connection) for f in fields), 1)
        if conv is not None
    ]
    marks = ", ".join(["%s"] * (len(fields) + 1))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) VALUES ({marks})"
    batch = []
    for values in rows:
        for i, conv in converting:
            values[i] = conv(values[i])
        batch.append(values)
        if len(batch) == 5000:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)


def _copy_rows(cursor, meta, names, fields, rows) -> None:
    """PostgreSQL's COPY: one stream of rows, which the server takes without planning or
    acknowledging each one as it does INSERT batches."""
    converting = [
        (i, f.bulk_converter(cursor.db)) for i, f in enumerate(fields, 1) if _is_encrypted(f)
    ]
    json_columns = [
        i
        for i, f in enumerate(fields, 1)
        if f.get_internal_type() == "JSONField" and not _is_encrypted(f)
    ]
    as_json: dict[int, tuple[object, str]] = {}  # by object identity, held, as in _converter
    table = cursor.db.ops.quote_name(meta.db_table)
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for values in rows:
            for i, conv in converting:
                values[i] = conv(values[i])
            for i in json_columns:
                value = values[i]
                if type(value) is JSONText:
                    values[i] = str(value)
                    continue
                known = as_json.get(id(value))
                if known is None:
                    known = as_json[id(value)] = (value, json.dumps(value, ensure_ascii=False))
                values[i] = known[1]
            copy.write_row(values)


def _is_encrypted(field) -> bool:
    return hasattr(field, "bulk_converter")


def analyze(*tables) -> None:
    """PostgreSQL plans with the statistics autovacuum gathers, in its own time (a minute or
    more later), and never for rows its transaction has not committed. Until then tables that
    just grew by an import look nearly empty, and the export or roster that staff open
    straight after an import would choose nested loops fit for a few rows.
    PostgreSQL's advice after a bulk load is to ANALYZE. Nothing to do on SQLite.

    ``tables`` are (model, field names); no names means every column, no tables the whole
    database."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("ANALYZE")
        for model, names in tables:
            columns = [model._meta.get_field(name).column for name in names]
            listed = f" ({', '.join(quote(c) for c in columns)})" if columns else ""
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}{listed}")
