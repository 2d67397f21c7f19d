"""A search by characters starts from the people who have each two-character piece of the
text (people_searchgram, kept by the database's triggers): whatever way a name or work unit
is written, the search finds exactly whom a plain LIKE over every person finds."""

import pytest
from django.db.models import Q

from tests.factories import make_member
from tongxin.people import selectors
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db


def found(text):
    return sorted(p.name for p in selectors.matching(Person.objects.all(), text))


def scanned(text):
    """The answer without the pieces: a LIKE asked of every person."""
    people = Person.objects.filter(Q(name__contains=text) | Q(work_unit__contains=text))
    return sorted(p.name for p in people)


TEXTS = ("赵晨", "晨", "赵晨光", "晨光", "江城", "江城大学", "城大学院", "IBM中国", "ibm中国")
TEXTS += ("光赵",)


def test_the_pieces_find_what_a_scan_finds(world):
    make_member(world.branch_a, name="赵晨", work_unit="江城大学")
    make_member(world.branch_a, name="赵晨光", work_unit="IBM中国研究院")
    make_member(world.branch_b, name="李晨光", work_unit="江城大学医学院")
    make_member(world.branch_b, name="周赵", work_unit="")
    for text in TEXTS:
        assert found(text) == scanned(text), text
    assert found("赵晨") == ["赵晨", "赵晨光"]
    assert found("城大学院") == []
    assert found("大学医") == ["李晨光"]


def test_the_pieces_follow_every_way_of_writing(world):
    person = make_member(world.branch_a, name="赵晨", work_unit="江城大学")
    # A form's save, an update of the queryset (as an import's), a bulk insert, a delete.
    person.name = "钱晨"
    person.save()
    assert found("赵晨") == [] and found("钱晨") == ["钱晨"]
    Person.objects.filter(pk=person.pk).update(work_unit="河城医院")
    assert found("江城") == [] and found("河城医") == ["钱晨"]
    Person.objects.bulk_create([Person(name="孙晨光", gender="1", work_unit="河城医院")])
    assert found("河城医") == ["孙晨光", "钱晨"]
    Person.objects.filter(name="孙晨光").delete()
    assert found("河城医") == ["钱晨"]
    for text in (*TEXTS, "河城", "钱晨"):
        assert found(text) == scanned(text), text
