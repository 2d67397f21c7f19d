"""Inserting many rows at once, fast on SQLite too.

Django's ``bulk_create`` on SQLite sends one statement per 999 bound values (37 rows of a
27-column person), compiling each; an import of 100,000 people spends most of its write there.
On SQLite the rows go through one ``executemany`` instead, with primary keys given by the
caller's transaction (which holds SQLite's single write lock). Elsewhere ``bulk_create`` is
already a few large statements.
"""

from django.db import connections, router, transaction
from django.db.models import Max


def insert_many(model, objs: list, *, batch_size: int = 5000) -> list:
    """Insert unsaved ``objs`` of ``model`` and give each its primary key."""
    if not objs:
        return objs
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "sqlite":
        return model.objects.using(using).bulk_create(objs, batch_size=batch_size)
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("insert_many needs a transaction on SQLite (it assigns the keys)")
    meta = model._meta
    fields = [f for f in meta.concrete_fields]
    next_id = (model.objects.using(using).aggregate(m=Max("pk"))["m"] or 0) + 1
    for offset, obj in enumerate(objs):
        obj.pk = next_id + offset
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
    readers = [_reader(f, connection) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start : start + batch_size]
            cursor.executemany(sql, [tuple(read(obj) for read in readers) for obj in chunk])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs


# Field types whose Python value SQLite stores as it is (text, numbers, booleans, keys).
_AS_IS = frozenset({
    "CharField", "TextField", "EmailField", "SlugField", "IntegerField", "BigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "AutoField",
    "BigAutoField", "ForeignKey", "BooleanField", "FloatField",
})  # fmt: skip


def _reader(field, connection):
    """A function from an object to the value stored for ``field``: the generic path
    (``pre_save`` and ``get_db_prep_save``) only where a field needs it."""
    attname = field.attname
    internal = field.get_internal_type()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    if internal in _AS_IS:
        return lambda obj: getattr(obj, attname)
    if internal == "DateField":
        return lambda obj: (value := getattr(obj, attname)) and value.isoformat()
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)
