"""The whole demo is built once per session and shared (tests/demo_data.py): a test that reads
it never sees another test's writes, and a test that does not ask for it never sees it."""

import pytest

from tests.factories import make_member
from tongxin.people import demo
from tongxin.people.models import Person

NAME = "共享演示"


@pytest.mark.parametrize("turn", [1, 2])
def test_what_one_demo_test_writes_is_gone_before_the_next(demo_root, turn):
    # Whichever runs second would find the first one's member.
    assert not Person.objects.filter(name=NAME).exists()
    make_member(demo_root, name=NAME)
    assert Person.objects.filter(name=NAME).count() == 1


@pytest.mark.django_db
def test_a_test_without_the_demo_finds_none():
    assert demo.demo_root() is None
