from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from tongxin.core.bulk import JSONText, insert_rows, reserve_ids
from tongxin.io.models import BatchChange, ImportBatch
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db
COLUMNS = ("batch_id", "model", "object_id", "action", "before", "after")


def _batch(user_model) -> ImportBatch:
    return ImportBatch.objects.create(
        created_by=user_model.objects.create_user("u"),
        file_name="f",
        file_hash="h",
        content=b"",
        effective_date=date(2025, 1, 1),
    )


def test_inserted_rows_read_back_as_the_orm_would_have_written_them(django_user_model):
    now = timezone.now()
    columns = (
        "name",
        "name_pinyin",
        "name_initials",
        "gender",
        "birth_date",
        "is_retired",
        "upper_middle",
        "created_at",
        "updated_at",
    )
    with transaction.atomic():
        first = Person.objects.create(name="先有")
        ids = insert_rows(
            Person,
            columns,
            [
                ("张敏", "zhangmin", "zm", "2", date(1980, 2, 29), True, None, now, now),
                ("周明", "zhouming", "zm", "1", None, False, False, now, now),
            ],
        )
        later = Person.objects.create(name="后来")
    assert first.pk < ids[0] < ids[1] < later.pk
    zhang = Person.objects.get(pk=ids[0])
    assert (zhang.birth_date, zhang.is_retired, zhang.upper_middle) == (
        date(1980, 2, 29),
        True,
        None,
    )
    assert zhang.updated_at == now and zhang.admitted_on is None
    zhou = Person.objects.get(pk=ids[1])
    assert (zhou.birth_date, zhou.is_retired, zhou.upper_middle) == (None, False, False)
    batch = _batch(django_user_model)
    with transaction.atomic():
        insert_rows(
            BatchChange,
            COLUMNS,
            [(batch.pk, "people.person", ids[0], "created", {}, {"a": "张"})],
        )
    assert BatchChange.objects.get().after == {"a": "张"}


@pytest.mark.django_db(transaction=True)
def test_inserting_needs_a_transaction():
    with pytest.raises(RuntimeError):
        insert_rows(Person, ("name",), [("张敏",)])


def test_rows_from_a_generator_with_reserved_ids_each_keep_their_own_values(django_user_model):
    # Each row's JSON is a new object, dropped once sent: a memo by object identity that did
    # not hold the objects would hand a later row an earlier row's text.
    batch = _batch(django_user_model)
    with transaction.atomic():
        ids = reserve_ids(BatchChange, 12_000)
        rows = (
            (batch.pk, "people.person", n, "created", {}, {"n": n, "名": "张" * (n % 3)})
            for n in range(12_000)
        )
        assert insert_rows(BatchChange, COLUMNS, rows, ids=ids) == ids
    stored = dict(BatchChange.objects.filter(batch=batch).values_list("object_id", "after"))
    assert len(stored) == 12_000
    assert all(after == {"n": n, "名": "张" * (n % 3)} for n, after in stored.items())


def test_json_written_out_beforehand_is_stored_as_it_is_beside_ordinary_values(
    django_user_model,
):
    batch = _batch(django_user_model)
    shared = {"updated_at": "2025-01-01"}
    rows = [
        (
            batch.pk,
            "people.person",
            1,
            "created",
            {},
            JSONText('{"with": {"a": [[1, "x", null]]}}'),
        ),
        (batch.pk, "people.person", 2, "created", {}, shared),
        (batch.pk, "people.person", 3, "created", {}, JSONText('"名"')),
    ]
    with transaction.atomic():
        insert_rows(BatchChange, COLUMNS, rows)
    stored = dict(BatchChange.objects.filter(batch=batch).values_list("object_id", "after"))
    assert stored == {1: {"with": {"a": [[1, "x", None]]}}, 2: shared, 3: "名"}


def test_reserved_ids_must_match_the_rows(django_user_model):
    # The error aborts the insert (and, on PostgreSQL, the transaction): the atomic block
    # rolls back.
    with pytest.raises(ValueError, match="shorter"), transaction.atomic():
        insert_rows(Person, ("name",), [("张敏",)], ids=reserve_ids(Person, 2))
    assert not Person.objects.exists()
