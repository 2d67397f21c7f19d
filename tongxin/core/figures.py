"""Figures and the records behind them (STATS.md: every number drills down).

A selector that produces a figure returns a ``Figure``: the value, the queryset of the records
it counts, and the address of the list page that shows exactly those records. The report page,
the dashboard, the exports and ``manage.py stats --json`` all read the same ``Figure``; none
counts a second time.

A domain app adds its section to the statistics (``manage.py stats --json`` under its own
top-level key, and a part of the report page) by registering ``StatsSection`` objects for the
hook ``stats_sections`` in its ``hooks`` module (tongxin.core.extensions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Figure:
    """One number. For a count, ``records`` are the rows counted and the list at ``url`` shows
    exactly that many; for an average or a share, ``records`` are the rows it is taken over.
    ``url`` is "" where no list page exists for the records."""

    value: int | float
    records: QuerySet | None = None
    url: str = ""
    # False for a whole number that is not a number of records (voters summed over elections):
    # its list shows the records it is taken over, not that many rows.
    counts_records: bool = True

    @property
    def is_count(self) -> bool:
        return self.counts_records and isinstance(self.value, int)


# A section's figures: nested dicts whose leaves are Figures, keyed as in its JSON.
Figures = dict[str, "Figure | Figures"]


@dataclass(frozen=True)
class StatsSection:
    """A top-level section of the statistics.

    ``compute(*, scope, org, as_of, period_start)`` returns the section's figures for the
    subtree at ``org`` (read through ``scope``), at ``as_of`` and for flows in
    ``[period_start, as_of]``. ``labels`` gives the Chinese name of each key that is not
    already Chinese, for the report page and the workbook. Its registration's ``order`` places
    the section among the others (tongxin.core.extensions).
    """

    key: str
    label: str
    compute: Callable[..., Figures]
    labels: dict[str, str] = field(default_factory=dict)


def values(figures: Figures) -> dict[str, Any]:
    """The plain values of ``figures`` (the JSON form), in the same nesting."""
    return {
        key: values(item) if isinstance(item, dict) else item.value for key, item in figures.items()
    }


def leaves(figures: Figures, prefix: tuple[str, ...] = ()):
    """Every (key path, Figure) of ``figures``, depth first, in order."""
    for key, item in figures.items():
        if isinstance(item, dict):
            yield from leaves(item, (*prefix, key))
        else:
            yield (*prefix, key), item


def share(part: int, whole: int) -> float:
    """A percentage with one decimal (UI.md); 0.0 of nothing."""
    return round(part * 100 / whole, 1) if whole else 0.0


def default_period_start(as_of: date) -> date:
    """Flows are counted over the calendar year of ``as_of`` unless a start is given."""
    return as_of.replace(month=1, day=1)
