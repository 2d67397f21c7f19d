"""Series for the dashboard and the workbench's headline, from the figures' own selectors."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.utils.functional import SimpleLazyObject

from tongxin.core import codes
from tongxin.core.figures import Figure, share
from tongxin.core.scope import Scope
from tongxin.orgs import selectors as org_selectors
from tongxin.people import population

from .base import node_scope, roster_link
from .flows import flow
from .members import count_members, members_spec
from .organizations import grassroots_organizations

ADMITTED = codes.SpellReason.ADMITTED.value


def _label(day: date) -> str:
    return str(day.year) if (day.month, day.day) == (12, 31) else day.isoformat()


def members_at_year_ends(
    *, scope: Scope, org, as_of: date, years: int = 10
) -> list[tuple[str, Figure]]:
    """Members at the end of each of the ``years - 1`` years before ``as_of``'s, then on
    ``as_of`` itself (labelled by its year when it is a year's end)."""
    days = [date(year, 12, 31) for year in range(as_of.year - years + 1, as_of.year)] + [as_of]
    spec = {"total": members_spec(as_of)["total"]}
    return [
        (_label(day), count_members(scope=scope, org=org, as_of=day, spec=spec)["total"])
        for day in days
    ]


def new_members_by_year(
    *, scope: Scope, org, as_of: date, years: int = 10
) -> list[tuple[str, Figure]]:
    """Members admitted in each calendar year of the last ``years``, the last one to ``as_of``."""
    result = []
    for year in range(as_of.year - years + 1, as_of.year + 1):
        end = min(date(year, 12, 31), as_of)
        figure = flow(
            scope=scope, org=org, as_of=end, reason=ADMITTED, period_start=date(year, 1, 1)
        )
        result.append((str(year), figure))
    return result


def members_by_branch(*, scope: Scope, org, as_of: date) -> list[tuple[str, Figure]]:
    """Members of each branch (支部) under ``org`` on ``as_of`` (``org`` itself when it is a
    branch), largest first."""
    if org.kind == codes.OrgKind.BRANCH:
        branches = [org]
    else:
        branches = list(
            org_selectors.organizations_at(
                scope=scope, org=org, on=as_of, kinds=[codes.OrgKind.BRANCH]
            )
        )
    counts = org_selectors.member_counts(scope=scope, nodes=branches, on=as_of)
    # A root has tens of thousands of branches: each one's records are built when first used
    # (as in tally()) and its address from one reversed prefix, not reversed per branch.
    link = roster_link(org, as_of)
    result = [
        (
            branch.display_name,
            Figure(
                counts[branch.pk],
                SimpleLazyObject(
                    partial(population.population, scope=scope, path=branch.path, on=as_of)
                ),
                link({"org": branch.pk}),
            ),
        )
        for branch in branches
    ]
    return sorted(result, key=lambda item: (-item[1].value, item[0]))


def headline(*, scope: Scope, org, as_of: date) -> dict[str, Figure]:
    """The workbench's headline for ``org``'s subtree on ``as_of``."""
    scope = node_scope(scope, org)
    spec = {key: members_spec(as_of)[key] for key in ("total", "women", "retired")}
    figures = count_members(scope=scope, org=org, as_of=as_of, spec=spec)
    total, women = figures["total"], figures["women"]
    return {
        **figures,
        "women_share": Figure(share(women.value, total.value), total.records, women.url),
        "admitted": flow(scope=scope, org=org, as_of=as_of, reason=ADMITTED),
        "grassroots": grassroots_organizations(scope=scope, org=org, as_of=as_of),
    }
