"""Inserting many rows at once.

Django's ``bulk_create`` builds a model instance per row and, on SQLite, sends one statement
per 999 bound values (37 rows of a 27-column person); an import of 100,000 people spent most
of its write there. Rows go through ``executemany`` instead, with primary keys taken first:
from the sequence on PostgreSQL, and after the largest key on SQLite, where the caller's
transaction holds the single write lock.
"""

import json

from django.db import connections, router, transaction
from django.db.models import Max

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
    (the rows keep every object alive while the call runs, so an id is never reused).
    """
    internal = field.get_internal_type()
    if internal in _AS_IS:
        return None
    if internal == "JSONField":
        by_id: dict[int, str] = {}

        def to_json(value):
            key = id(value)
            try:
                return by_id[key]
            except KeyError:
                found = by_id[key] = field.get_db_prep_save(value, connection)
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


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert ``rows`` (Python values for the ``columns`` attnames, primary key excluded)
    without building model instances; returns the new primary keys in order.

    For the hundreds of thousands of rows of an import, where creating a model instance per
    row cost more than the database work. Needs a transaction.
    """
    if not rows:
        return []
    using = router.db_for_write(model)
    connection = connections[using]
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("insert_rows needs a transaction")
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    # Columns not given take their field's default, as a new model instance would.
    rest = [f for f in meta.concrete_fields if f.attname not in columns and not f.primary_key]
    defaults = tuple(f.get_default() for f in rest)
    fields += rest
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:
            first = (model.objects.using(using).aggregate(m=Max("pk"))["m"] or 0) + 1
            ids = list(range(first, first + len(rows)))
        if connection.vendor == "postgresql":
            _copy_rows(cursor, connection, meta, fields, ids, rows, defaults)
            return ids
        converting = [
            (i, conv)
            for i, conv in enumerate((_converter(f, connection) for f in fields), 1)
            if conv is not None
        ]
        names = ", ".join(quote(c) for c in (meta.pk.column, *(f.column for f in fields)))
        marks = ", ".join(["%s"] * (len(fields) + 1))
        sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"
        prepared = [[pk, *row, *defaults] for pk, row in zip(ids, rows, strict=True)]
        for i, conv in converting:  # column by column: most columns need nothing
            for values in prepared:
                values[i] = conv(values[i])
        for start in range(0, len(prepared), 5000):
            cursor.executemany(sql, prepared[start : start + 5000])
    return ids


def _copy_rows(cursor, connection, meta, fields, ids, rows, defaults) -> None:
    """PostgreSQL's COPY: an order of magnitude faster than INSERT batches for 100,000 rows."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in (meta.pk.column, *(f.column for f in fields)))
    json_columns = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    as_json: dict[int, str] = {}  # by object identity, as in _converter
    with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
        for pk, row in zip(ids, rows, strict=True):
            values = [pk, *row, *defaults]
            for i in json_columns:
                value = values[i + 1]
                text = as_json.get(id(value))
                if text is None:
                    text = as_json[id(value)] = json.dumps(value, ensure_ascii=False)
                values[i + 1] = text
            copy.write_row(values)
