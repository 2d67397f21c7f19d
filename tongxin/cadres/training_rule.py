"""What the cadres pipeline asks of the training app (``tongxin.training``): the rule
不培训不上岗 before a recommendation step or an appointment, and who was not trained in a year
(the year-end review). The training app keeps the rules and the records; this module only asks.
"""

from __future__ import annotations

from datetime import date


def breaches(*, person, post_kind: str, title: str, on: date) -> list:
    """The rules ``person`` breaks for the post (``RuleBreach``: ``rule``, ``reason``,
    ``blocking``, ``message``), refusals first."""
    from tongxin.training.selectors import training_requirement_check

    return training_requirement_check(person=person, post_kind=post_kind, title=title, on=on)


def untrained(*, people, year: int, on: date) -> dict[int, str]:
    """Of ``people``, those without any training hours in ``year`` (up to ``on``), each with
    the note the review list shows."""
    from tongxin.training.selectors import hours_by_person

    start = date(year, 1, 1)
    end = min(date(year, 12, 31), on)
    trained = hours_by_person(people=[p.pk for p in people], start=start, end=end)
    return {p.pk: f"{year}年度未参加培训" for p in people if p.pk not in trained}
