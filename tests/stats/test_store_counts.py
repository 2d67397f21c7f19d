"""The figure store's counts of what it did: a lookup served from a stored row is a hit, one
counted afresh (after a write in the node's subtree) a miss, and a write elsewhere leaves the
node's lookups hits; the figures served are those counted afresh."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.test import override_settings

from tests.factories import make_member
from tongxin.core import tally
from tongxin.core.scope import Scope
from tongxin.people.models import Person
from tongxin.stats import cache, sections

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 12, 31)
START = date(2024, 1, 1)
EVERYTHING = Scope(everything=True)


@pytest.fixture
def members(world):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2020, 1, 1))
    make_member(world.branch_b, name="王芳", gender="2", start=date(2015, 1, 1))
    make_member(world.other_branch, name="陈静", gender="2", start=date(2016, 9, 1))
    return world


def women_in(org) -> int:
    """One figure of ``org``'s report: its women, as the store looks it up."""
    people = Person.objects.filter(gender="2", spells__org__path__startswith=org.path).distinct()
    with cache.counting_for(org):
        return tally.aggregate(people, n=Count("pk"))["n"]


def report(org) -> dict:
    figures = sections.compute(scope=EVERYTHING, org=org, as_of=AS_OF, period_start=START)
    return sections.as_json(org=org, as_of=AS_OF, period_start=START, figures=figures)


def looked_up(work) -> tuple[object, dict]:
    before = cache.counts()
    result = work()
    after = cache.counts()
    return result, {name: after[name] - before[name] for name in after}


def test_a_second_lookup_is_a_hit_and_one_after_a_write_in_the_subtree_a_miss(members):
    city = members.city
    first, did = looked_up(lambda: women_in(city))
    assert (first, did["hits"], did["misses"]) == (2, 0, 1)
    second, did = looked_up(lambda: women_in(city))
    assert (second, did["hits"], did["misses"], did["folds"]) == (2, 1, 0, 0)
    # A write in another city: folded, and the city's figure still served from the store.
    make_member(members.other_branch, name="李雷", gender="2", start=date(2024, 6, 1))
    third, did = looked_up(lambda: women_in(city))
    assert (third, did["hits"], did["misses"], did["folds"]) == (2, 1, 0, 1)
    # A write in the city's subtree: counted afresh, with the new member.
    make_member(members.branch_a, name="刘洋", gender="2", start=date(2024, 6, 1))
    fourth, did = looked_up(lambda: women_in(city))
    assert (fourth, did["hits"], did["misses"], did["folds"]) == (3, 0, 1, 1)


def test_a_report_read_again_is_all_hits_until_its_subtree_is_written(members):
    city = members.city
    first, did = looked_up(lambda: report(city))
    lookups = did["misses"]
    assert lookups > 0 and did["hits"] == 0
    again, did = looked_up(lambda: report(city))
    assert again == first
    assert (did["hits"], did["misses"]) == (lookups, 0)
    make_member(members.other_branch, name="李雷", start=date(2024, 6, 1))
    again, did = looked_up(lambda: report(city))
    assert again == first
    assert (did["hits"], did["misses"], did["folds"]) == (lookups, 0, 1)
    make_member(members.branch_b, name="刘洋", start=date(2024, 6, 1))
    after, did = looked_up(lambda: report(city))
    assert (did["hits"], did["misses"]) == (0, lookups)
    assert after["members"]["total"] == first["members"]["total"] + 1
    with override_settings(TONGXIN_STATS_CACHE=False):
        assert after == report(city)


def test_the_hit_rate_is_the_share_of_lookups_served_from_the_store():
    before = {"hits": 10, "misses": 5, "unstored": 1, "folds": 2}
    after = {"hits": 13, "misses": 6, "unstored": 1, "folds": 3}
    assert cache.hit_rate(before, after) == 0.75
    assert cache.hit_rate(after, after) is None
    cache.reset_counts()
    assert cache.counts() == {"hits": 0, "misses": 0, "unstored": 0, "folds": 0}


def store_reads(work) -> dict:
    """The statements reading the store's versions and stored rows while ``work`` runs."""
    seen = {"versions": 0, "rows": 0}

    def record(execute, sql, params, many, context):
        if "stats_subtreeversion" in sql and sql.lstrip().upper().startswith("SELECT"):
            seen["versions"] += 1
        elif "stats_cachedaggregate" in sql and sql.lstrip().upper().startswith("SELECT"):
            seen["rows"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        work()
    return seen


def test_a_stored_report_reads_its_version_and_rows_once(members):
    city = members.city
    first = report(city)
    # Every figure of the report from the store, in one read of the version and one of the rows.
    assert store_reads(lambda: report(city)) == {"versions": 1, "rows": 1}
    assert report(city) == first


def test_past_the_prefetch_each_figure_is_read_by_itself(members, monkeypatch):
    city = members.city
    first, did = looked_up(lambda: report(city))
    lookups = did["misses"]
    monkeypatch.setattr(cache, "PREFETCH", 3)
    second, did = looked_up(lambda: report(city))
    assert second == first
    assert (did["hits"], did["misses"]) == (lookups, 0)
    reads = store_reads(lambda: report(city))
    # The first read brings PREFETCH + 1 rows; the others are read one a figure.
    assert reads == {"versions": 1, "rows": 1 + lookups - 3}


def people_in(org, **conditions) -> int:
    """A figure of ``org``'s subtree, looked up in the block around it."""
    people = Person.objects.filter(spells__org__path__startswith=org.path, **conditions)
    return tally.aggregate(people.distinct(), n=Count("pk"))["n"]


def test_a_write_during_a_report_is_counted_by_the_next_one(members):
    """A block reads its node's version once: a figure it counts after a write is stored under
    that version, which the write makes old once folded, so the next report counts again."""
    city = members.city
    with cache.counting_for(city):
        assert people_in(city, gender="2") == 2
        make_member(members.branch_a, name="刘洋", gender="2", start=date(2024, 6, 1))
        assert people_in(city) == 3  # counted now, with 刘洋, under the version read first
    women, did = looked_up(lambda: _in_block(city, gender="2"))
    assert (women, did["misses"], did["hits"]) == (3, 1, 0)
    everyone, did = looked_up(lambda: _in_block(city))
    assert (everyone, did["misses"], did["hits"]) == (3, 1, 0)


def _in_block(org, **conditions) -> int:
    with cache.counting_for(org):
        return people_in(org, **conditions)
