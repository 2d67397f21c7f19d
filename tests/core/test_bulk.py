from datetime import date

import pytest
from django.db import transaction

from tongxin.core.bulk import insert_many
from tongxin.io.models import BatchChange, ImportBatch
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db


def test_inserted_rows_read_back_as_the_orm_would_have_written_them(django_user_model):
    people = [
        Person(
            name="张敏",
            gender="2",
            birth_date=date(1980, 2, 29),
            is_retired=True,
            upper_middle=None,
            admitted_on=None,
        ),
        Person(name="周明", gender="1", birth_date=None, is_retired=False, upper_middle=False),
    ]
    with transaction.atomic():
        first = Person.objects.create(name="先有")
        insert_many(Person, people)
    assert first.pk < people[0].pk < people[1].pk
    zhang = Person.objects.get(pk=people[0].pk)
    assert (zhang.birth_date, zhang.is_retired, zhang.upper_middle, zhang.admitted_on) == (
        date(1980, 2, 29),
        True,
        None,
        None,
    )
    assert zhang.created_at is not None and zhang.updated_at is not None
    zhou = Person.objects.get(pk=people[1].pk)
    assert (zhou.birth_date, zhou.is_retired, zhou.upper_middle) == (None, False, False)
    batch = ImportBatch.objects.create(
        created_by=django_user_model.objects.create_user("u"),
        file_name="f",
        file_hash="h",
        content=b"",
        effective_date=date(2025, 1, 1),
    )
    with transaction.atomic():
        insert_many(
            BatchChange,
            [
                BatchChange(
                    batch=batch,
                    model="people.person",
                    object_id=2,
                    action="created",
                    after={"a": "张"},
                )
            ],
        )
    assert BatchChange.objects.get().after == {"a": "张"}
