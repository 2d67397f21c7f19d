"""One selector per figure of STATS.md, each returning ``tongxin.core.figures.Figure`` (or a
dict of them for a breakdown), each taking ``scope``, ``org``, ``as_of`` and ``period_start``
and needing no request. The table selectors (``organizations``, ``members``, ``flows``,
``new_members``, ``political_arrangements``) count a whole table in one query from the same
definitions."""

from .dashboard import headline, members_at_year_ends, members_by_branch, new_members_by_year
from .flows import flow, flows, new_members, new_members_total
from .members import (
    members,
    members_age_bands,
    members_age_pyramid,
    members_average_age,
    members_cross_members,
    members_degree,
    members_education,
    members_minorities,
    members_rank_group,
    members_retired,
    members_sector,
    members_title_level,
    members_total,
    members_upper_middle,
    members_women,
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
    "members_age_bands",
    "members_age_pyramid",
    "members_at_year_ends",
    "members_average_age",
    "members_by_branch",
    "members_cross_members",
    "members_degree",
    "members_education",
    "members_minorities",
    "members_rank_group",
    "members_retired",
    "members_sector",
    "members_title_level",
    "members_total",
    "members_upper_middle",
    "members_women",
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
