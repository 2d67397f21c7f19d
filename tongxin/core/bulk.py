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
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start : start + batch_size]
            rows = [
                tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
                for obj in chunk
            ]
            cursor.executemany(sql, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs
