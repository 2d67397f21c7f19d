"""Dated records: what is in force on a day.

A dated record (a membership spell, a post, a pool entry, a liaison assignment…) holds from its
start to the day before its end: in force on D when start <= D and (no end or end > D). The end
is exclusive, so a transfer that ends one spell and starts the next on the same day leaves the
person in exactly one organization on that day.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def not_ended_q(prefix: str, on, *, end: str = "end") -> Q:
    """Records not ended by ``on`` (no end, or an end after it), reached through ``prefix``
    (``spells__`` from an organization, "" on the model itself). ``on`` may be an expression
    (``OuterRef("conferred_on")``)."""
    return Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": on})


def in_force_q(
    prefix: str, on, *, start: str = "start", end: str = "end", open_start: bool = False
) -> Q:
    """Records in force on ``on``: start <= on < end, a missing end meaning open-ended.
    With ``open_start`` a missing start means in force since ever (a post whose appointment
    date is unknown); otherwise the start is required."""
    started = Q(**{f"{prefix}{start}__lte": on})
    if open_start:
        started = Q(**{f"{prefix}{start}__isnull": True}) | started
    return not_ended_q(prefix, on, end=end) & started


def overlapping_q(
    prefix: str, start, end, *, start_field: str = "start", end_field: str = "end"
) -> Q:
    """Records sharing a day with the period [``start``, ``end``) (``end`` None: open-ended)."""
    q = not_ended_q(prefix, start, end=end_field)
    if end is not None:
        q &= Q(**{f"{prefix}{start_field}__lt": end})
    return q


class DatedQuerySet(models.QuerySet):
    """The manager of a dated model. A model whose dates are named otherwise says so in a
    subclass (``start_field = "applied_on"``), and one whose start may be unknown sets
    ``open_start``."""

    start_field = "start"
    end_field = "end"
    open_start = False

    @classmethod
    def in_force_q(cls, prefix: str, on) -> Q:
        """``in_force_q`` with this model's dates, for a query that reaches it through
        ``prefix`` (``posts__`` from a person)."""
        return in_force_q(
            prefix, on, start=cls.start_field, end=cls.end_field, open_start=cls.open_start
        )

    def active_on(self, on):
        """Records in force on ``on`` (a date or an expression)."""
        return self.filter(self.in_force_q("", on))
