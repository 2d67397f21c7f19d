"""Database expressions the ORM does not have, written once for SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from django.db.models import Func, IntegerField, Value
from django.db.models.expressions import Expression


class AgeOn(Func):
    """Whole years completed from ``birth`` to ``on`` (tongxin.core.dates.age_on, in SQL).

    ``on`` is a date or a date expression (a spell's start: the age at admission). Django's
    ``ExtractYear`` is a Python function on SQLite, called per row: a province's members would
    pay seconds for an average age. SQLite stores dates as ISO text, so the year and the
    month-day are compared as substrings; PostgreSQL has ``AGE``.
    """

    output_field = IntegerField()
    arity = 2

    def __init__(self, birth, on: date | Expression, **extra):
        if isinstance(on, date):
            on = Value(on)
        super().__init__(birth, on, **extra)

    def _operands(self, compiler, connection):
        birth, on = self.get_source_expressions()
        return compiler.compile(birth), compiler.compile(on)

    def as_sqlite(self, compiler, connection, **extra_context):
        (birth, birth_params), (on, on_params) = self._operands(compiler, connection)
        # A birthday later in the year than ``on`` (as "MM-DD" text) is not reached yet:
        # 29 February against 28 February in a common year is one year short, as age_on says.
        sql = (
            f"(CAST(substr({on}, 1, 4) AS INTEGER) - CAST(substr({birth}, 1, 4) AS INTEGER)"
            f" - (substr({birth}, 6, 5) > substr({on}, 6, 5)))"
        )
        return sql, (*on_params, *birth_params, *birth_params, *on_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        (birth, birth_params), (on, on_params) = self._operands(compiler, connection)
        sql = f"CAST(EXTRACT(YEAR FROM AGE(CAST({on} AS date), CAST({birth} AS date))) AS integer)"
        return sql, (*on_params, *birth_params)
