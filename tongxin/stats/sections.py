"""Every section of the statistics: the core ones and those other apps register
(``stats_sections`` in their hooks), computed together for one node, date and period."""

from __future__ import annotations

from datetime import date

from tongxin.core import extensions
from tongxin.core.figures import Figures, StatsSection, values
from tongxin.core.scope import Scope

from . import cache
from .selectors.base import node_scope, period


def all_sections() -> list[StatsSection]:
    """The registered sections in their order."""
    return extensions.get("stats_sections")


def compute(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> dict[str, Figures]:
    """Each section's figures, keyed by the section's key, in order."""
    start = period(as_of, period_start)
    scope = node_scope(scope, org)
    # Each section counts the node's subtree: its figures are kept under the node's version,
    # which a write elsewhere leaves as it is (tongxin.stats.cache).
    with cache.counting_for(org):
        return {
            section.key: section.compute(scope=scope, org=org, as_of=as_of, period_start=start)
            for section in all_sections()
        }


def as_json(*, org, as_of: date, period_start: date, figures: dict[str, Figures]) -> dict:
    """The object of STATS.md: the node, the dates, then each section's values."""
    return {
        "org": org.code,
        "as_of": as_of.isoformat(),
        "period_start": period_start.isoformat(),
        **{key: values(section) for key, section in figures.items()},
    }
