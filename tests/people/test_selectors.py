"""People selectors and the indexes they rely on."""

from datetime import date

import pytest
from django.db import connection

from tests.factories import make_member
from tongxin.core.idnumber import make_id_number
from tongxin.people.models import Person, id_number_q
from tongxin.people.selectors import matching

pytestmark = pytest.mark.django_db


def test_lookups_by_id_number_can_be_answered_from_the_partial_unique_index(world):
    # A lookup goes through the hashes and must say HAS_ID_NUMBER, the partial index's own
    # condition (id_number_q does), or the database reads the whole table.
    person = make_member(world.branch_a, name="张敏")
    # Enough people that reading a whole index costs more than the partial index's lookup.
    Person.objects.bulk_create(
        Person(name=f"成员{i}", id_number=make_id_number("110105", date(1960, 1, 1), i))
        for i in range(1, 400)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
            # Statistics left by earlier tests' tables make every index of a near-empty table
            # cost the same, and the planner then picks any of them.
            cursor.execute("ANALYZE people_person")
    for people in (
        Person.objects.filter(id_number_q([person.id_number, "X"])),
        Person.objects.with_id_number(person.id_number.lower()),
        matching(Person.objects.all(), person.id_number, by_id_number=True),
    ):
        assert list(people) == [person]
        plan = people.explain()
        assert "person_unique_id_number_hash" in plan, plan
