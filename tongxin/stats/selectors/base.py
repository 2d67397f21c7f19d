"""How a table of figures is counted: one aggregate query over one population.

A figure is defined by the filters of the list it opens (tongxin.people.filters for people,
tongxin.orgs.selectors.org_q for organizations). ``tally`` counts every figure of a table in one
query with conditional aggregation over those very conditions, and gives each figure the
records it counts and the address of its list; the list page applies the same conditions to the
same population, so its length is the figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q, QuerySet
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from tongxin.core.figures import Figure, Figures, default_period_start

from .. import cache

# Records are built when first used (SimpleLazyObject): a table's hundred record sets cost more
# to build than its one query, and most are never opened.


@dataclass(frozen=True)
class Measure:
    """A count: the rows of the population that meet the list filters ``params``."""

    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Mean:
    """An average of ``expression`` (a database expression) over the rows meeting ``params``,
    with one decimal; 0.0 over nothing."""

    expression: Any
    params: dict[str, Any] = field(default_factory=dict)


# A table's definition: nested dicts, keyed as in the JSON of STATS.md, of Measure and Mean.
Spec = dict[str, "Measure | Mean | Spec"]


def flatten(spec: Spec, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for key, item in spec.items():
        if isinstance(item, dict):
            yield from flatten(item, (*prefix, key))
        else:
            yield (*prefix, key), item


def _nest(pairs) -> Figures:
    result: dict = {}
    for path, figure in pairs:
        node = result
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = figure
    return result


def tally(
    population: QuerySet,
    spec: Spec,
    *,
    condition: Callable[[dict], Q],
    link: Callable[[dict], str],
    distinct: bool = False,
    records: Callable[[dict], QuerySet] | None = None,
) -> Figures:
    """Every figure of ``spec`` over ``population`` in one query. ``condition(params)`` is the
    list's filter for a figure's parameters, ``link(params)`` the list's address.

    With ``distinct`` the conditions reach through a relation (the people's posts) and each
    of ``population``'s rows is counted once; ``records(params)`` then gives the records a
    figure counts (the people)."""
    items = list(flatten(spec))
    conditions = [condition(item.params) for _path, item in items]
    aggregates = {}
    for i, ((_path, item), q) in enumerate(zip(items, conditions, strict=True)):
        if isinstance(item, Mean):
            aggregates[f"f{i}"] = Avg(item.expression, filter=q or None)
        else:
            aggregates[f"f{i}"] = Count("pk", filter=q or None, distinct=distinct)
    row = cache.aggregate(population, **aggregates) if aggregates else {}
    figures = []
    for i, ((path, item), q) in enumerate(zip(items, conditions, strict=True)):
        value = row[f"f{i}"]
        if isinstance(item, Mean):
            value = round(float(value), 1) if value is not None else 0.0
        if records is not None:
            rows = SimpleLazyObject(partial(records, item.params))
        else:
            rows = SimpleLazyObject(partial(population.filter, q)) if q else population
        figures.append((path, Figure(value, rows, link(item.params))))
    return _nest(figures)


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
