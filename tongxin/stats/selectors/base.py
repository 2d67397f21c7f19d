"""What the statistics' own selectors share: the lists their figures open, the scope and the
period a node's figures are counted in. The counting itself is tongxin.core.tally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core.figures import default_period_start


def _query(params: dict) -> dict:
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in params.items()
        if value not in ("", None, [], ())
    }


def roster_link(org, on: date, base: dict | None = None) -> Callable[[dict], str]:
    """The roster's address for ``org`` on ``on`` with ``base`` and a figure's filters."""
    prefix = reverse("people:roster")
    common = {"org": org.pk, "as_of": on, **(base or {})}
    return lambda params: f"{prefix}?{urlencode(_query({**common, **params}), doseq=True)}"


def org_list_link(org, on: date) -> Callable[[dict], str]:
    prefix = reverse("orgs:list")
    common = {"org": org.pk, "as_of": on}
    return lambda params: f"{prefix}?{urlencode(_query({**common, **params}), doseq=True)}"


def node_scope(scope, org):
    """The scope a node's figures are counted in. Figures of a node count its subtree, so
    every user who may see the whole node is given the same scope — the subtree — and asks
    the same queries (tongxin.stats.cache keeps their results by their SQL, which holds the
    scope); a user who sees only part of it keeps their own."""
    return scope.narrow(org.path) if scope.contains_path(org.path) else scope


def period(as_of: date, period_start: date | None) -> date:
    """The start of the flows' period: ``period_start``, else 1 January of ``as_of``'s year."""
    start = period_start or default_period_start(as_of)
    if start > as_of:
        raise ValueError(f"period_start {start} is after as_of {as_of}")
    return start
