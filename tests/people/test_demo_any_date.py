"""The demo is a generator dated from the day it runs: every day is a new input, so it must
build on any day, at the smallest size and at the default one, through the same call as
``manage.py seed_demo`` (the roster, then every app's records)."""

import os
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tongxin.core.scope import Scope
from tongxin.people import demo
from tongxin.people.selectors import members_on


def _last(month: int, day: int, *, before: date, years_back: int = 0) -> date:
    """The latest ``month``/``day`` on or before ``before``, ``years_back`` years further back
    (29 February: the latest leap year's)."""
    year = before.year
    found = 0
    while True:
        try:
            candidate = date(year, month, day)
        except ValueError:
            year -= 1
            continue
        if candidate <= before:
            if found == years_back:
                return candidate
            found += 1
        year -= 1


# The services refuse records dated after the real today, so the demo is built for days up to
# it: year ends and beginnings, 29 February and the days beside it, mid-year, and today.
REAL_TODAY = timezone.localdate()
SMALL_DAYS = sorted(
    {
        REAL_TODAY,
        REAL_TODAY - timedelta(days=1),
        _last(12, 31, before=REAL_TODAY),
        _last(1, 1, before=REAL_TODAY),
        _last(12, 31, before=REAL_TODAY, years_back=1),
        _last(1, 1, before=REAL_TODAY, years_back=1),
        _last(2, 29, before=REAL_TODAY),
        _last(2, 28, before=REAL_TODAY),
        _last(3, 1, before=REAL_TODAY),
        _last(2, 29, before=REAL_TODAY, years_back=1),
        _last(6, 30, before=REAL_TODAY),
        _last(7, 1, before=REAL_TODAY, years_back=1),
        _last(12, 7, before=REAL_TODAY),
        _last(9, 10, before=REAL_TODAY, years_back=2),
    }
)
DEFAULT_DAYS = sorted(
    {REAL_TODAY, _last(2, 29, before=REAL_TODAY), _last(12, 31, before=REAL_TODAY)}
)

# The generator's dates do not depend on the database: the second pass of the suite, on
# PostgreSQL, builds the demo on today and the last 29 February only, which keeps CI short.
if os.environ.get("TONGXIN_DATABASE_URL", "").startswith("postgres"):
    SMALL_DAYS = sorted({REAL_TODAY, _last(2, 29, before=REAL_TODAY)})
    DEFAULT_DAYS = [REAL_TODAY]


def _build(today: date, members: int) -> None:
    with transaction.atomic():
        summary, lines = demo.seed_all(today=today, members=members)
        root = demo.demo_root()
        current = members_on(scope=Scope(everything=True), org=root, on=today).count()
        # The roster has the members asked for; the apps' admissions may add a few more.
        assert summary.current_members == members
        assert current >= members
        assert lines, "every app adds its records to the demo"
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("today", SMALL_DAYS, ids=str)
def test_the_smallest_demo_builds_on_any_day(today):
    _build(today, demo.MIN_MEMBERS)


@pytest.mark.django_db
@pytest.mark.parametrize("today", DEFAULT_DAYS, ids=str)
def test_the_default_demo_builds_on_any_day(today):
    _build(today, demo.DEFAULT_MEMBERS)
