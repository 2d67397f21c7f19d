"""The selectors of STATS.md's figures, each returning ``tongxin.core.figures.Figure`` (or a
dict of them for a breakdown), each taking ``scope``, ``org``, ``as_of`` and ``period_start``
and needing no request; a single figure of a table is its key in the table. The table
selectors (``organizations``, ``members``, ``flows``, ``new_members``,
``political_arrangements``) count a whole table in one query from the same definitions."""

from .dashboard import headline, members_at_year_ends, members_by_branch, new_members_by_year
from .flows import flow, flows, new_members, new_members_total
from .members import (
    members,
    members_age_pyramid,
    political_arrangement,
    political_arrangements,
)
from .organizations import (
    grassroots_organizations,
    organizations,
    organizations_by_category,
    organizations_by_kind,
    organizations_total,
)

__all__ = [
    "flow",
    "flows",
    "grassroots_organizations",
    "headline",
    "members",
    "members_age_pyramid",
    "members_at_year_ends",
    "members_by_branch",
    "new_members",
    "new_members_by_year",
    "new_members_total",
    "organizations",
    "organizations_by_category",
    "organizations_by_kind",
    "organizations_total",
    "political_arrangement",
    "political_arrangements",
]
