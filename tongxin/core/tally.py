"""How figures are counted: one aggregate query over one population, for every section.

A figure is defined by the filters of the list it opens (tongxin.people.population for people,
tongxin.orgs.selectors.org_q for organizations, each domain app's list selectors for its
records). ``tally`` counts every figure of a table in one query with conditional aggregation
over those very conditions, and gives each figure the records it counts and the address of its
list; the list page applies the same conditions to the same population, so its length is the
figure. ``count`` is the table of one figure.

Every aggregate goes through ``aggregate``: the statistics app keeps each one's row until the
data it counts changes (tongxin.stats.cache, plugged in by ``use_store`` when that app is
ready), so a report counted once is read, not counted, until something is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.functional import SimpleLazyObject

from tongxin.core.figures import Figure, Figures

# Records are built when first used (SimpleLazyObject): a table's hundred record sets cost more
# to build than its one query, and most are never opened.

_store: Callable[..., dict] | None = None


def use_store(aggregate: Callable[..., dict]) -> None:
    """Count through ``aggregate(queryset, **aggregates)`` from now on (the figure store)."""
    global _store
    _store = aggregate


def aggregate(queryset: QuerySet, **aggregates) -> dict:
    """``queryset.aggregate(**aggregates)``, from the figure store where one is plugged in."""
    if _store is None:
        return queryset.aggregate(**aggregates)
    return _store(queryset, **aggregates)


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


@dataclass(frozen=True)
class Total:
    """A sum of ``expression`` (a whole number) over the rows meeting ``params``; 0 over
    nothing. Not a number of records: its list shows the rows it is summed over."""

    expression: Any
    params: dict[str, Any] = field(default_factory=dict)


# A table's definition: nested dicts, keyed as in the JSON of STATS.md, of Measure, Mean and
# Total.
Spec = dict[str, "Measure | Mean | Total | Spec"]


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
    of ``population``'s rows is counted once. ``records(params)`` gives the records a figure
    counts where they are not ``population`` filtered by the condition (the people; or the
    list's own selector)."""
    items = list(flatten(spec))
    conditions = [condition(item.params) for _path, item in items]
    aggregates = {}
    for i, ((_path, item), q) in enumerate(zip(items, conditions, strict=True)):
        if isinstance(item, Mean):
            aggregates[f"f{i}"] = Avg(item.expression, filter=q or None)
        elif isinstance(item, Total):
            aggregates[f"f{i}"] = Sum(item.expression, filter=q or None)
        else:
            aggregates[f"f{i}"] = Count("pk", filter=q or None, distinct=distinct)
    row = aggregate(population, **aggregates) if aggregates else {}
    figures = []
    for i, ((path, item), q) in enumerate(zip(items, conditions, strict=True)):
        value = row[f"f{i}"]
        if isinstance(item, Mean):
            value = round(float(value), 1) if value is not None else 0.0
        elif isinstance(item, Total):
            value = int(value or 0)
        if records is not None:
            rows = SimpleLazyObject(partial(records, item.params))
        else:
            rows = SimpleLazyObject(partial(population.filter, q)) if q else population
        figure = Figure(value, rows, link(item.params), counts_records=not isinstance(item, Total))
        figures.append((path, figure))
    return _nest(figures)


def count(records: QuerySet, url: str) -> Figure:
    """The number of ``records``, whose list is at ``url``: a table of one figure."""
    return tally(records, {"n": Measure()}, condition=lambda params: Q(), link=lambda params: url)[
        "n"
    ]
