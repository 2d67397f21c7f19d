"""The demo's plans: the terms (届) dated from ``today``, what happens to whom, and the random
draws the builder makes them with."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tongxin.core.dates import years_before

from ..models import Person, Post

# ---------------------------------------------------------------------------------------------
# Terms (届): the current and the previous one, dated from ``today``
# ---------------------------------------------------------------------------------------------


def _latest(today: date, month: int, day: int, remainder: int) -> date:
    """The latest ``month``/``day`` on or before ``today`` in a year ≡ ``remainder`` (mod 5)."""
    year = today.year
    while year % 5 != remainder or date(year, month, day) > today:
        year -= 1
    return date(year, month, day)


@dataclass(frozen=True)
class Terms:
    party: date  # 民盟江城市第十四次代表大会
    city: date  # 江城市第十五届人大、政协
    province: date  # 湖北省第十三届政协
    county: date  # 区第十届人大、政协

    @classmethod
    def on(cls, today: date) -> Terms:
        # Terms that began at least half a year ago, so that their posts have some history.
        settled = today - timedelta(days=183)
        return cls(
            party=_latest(settled, 11, 20, 1),
            city=_latest(settled, 1, 8, 2),
            province=_latest(settled, 1, 14, 3),
            county=_latest(settled, 12, 26, 1),
        )


# ---------------------------------------------------------------------------------------------
# Plans: what happens to whom, computed before anything is written
# ---------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    profile: str  # branch code whose templates describe the person
    gender: str
    birth: date
    moves: list[tuple[date, str]]  # (date, org code): admission first, then transfers
    end: tuple[date, str] | None = None
    as_of: date | None = None  # the date the record describes (today or the end)
    person: Person | None = None
    rank: str = ""  # GB/T 12407 rank of the job post, if any
    name: str = ""
    surname: str = ""
    posts: list[Post] = field(default_factory=list)

    @property
    def branch(self) -> str:
        return self.moves[-1][1]

    @property
    def since(self) -> date:
        return self.moves[-1][0]

    @property
    def current(self) -> bool:
        return self.end is None


def _weighted(rng: random.Random, pairs):
    items = list(pairs)
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def _day(rng: random.Random, first: date, last: date) -> date:
    if last < first:
        return first
    return date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


def _born(rng: random.Random, on: date, age: float) -> date:
    """A birth date that makes the person ``int(age)`` years old on ``on``."""
    latest = years_before(on, int(age))
    earliest = years_before(on, int(age) + 1) + timedelta(days=1)
    return _day(rng, earliest, latest)


def _after_years(day: date, years: int) -> date:
    return years_before(day, -years)
