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

