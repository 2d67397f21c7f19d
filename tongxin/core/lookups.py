"""``field__any_of=[...]``: a field equal to one of many values, sent as one parameter.

Django's ``__in`` prepares and binds every value of its list on its own: looking up all the
ID-number hashes of an import that way is Python work per value before any query runs.
``any_of`` sends the list as one value (an array on PostgreSQL, a JSON array on SQLite), and the
databases still answer from the field's index: PostgreSQL plans ``= ANY(array)`` as it
plans an ``IN`` list, and SQLite loops over ``json_each`` with an index lookup per value.

Registered on the field instances that need it (``Field.register_lookup`` on an instance).
"""

import json

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        values = list(self.rhs)
        if not all(isinstance(v, str) for v in values):
            raise TypeError("any_of takes a list of strings")  # the only kind it is used for
        return values

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::text[])", [*params, self.rhs]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]
        raise NotImplementedError(connection.vendor)
