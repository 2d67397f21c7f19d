"""Flows of a period and the new members (STATS.md: ``flows``, ``new_members``)."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db.models import Avg, Count, F, Q
from django.utils.functional import SimpleLazyObject

from tongxin.core import codes
from tongxin.core.expressions import AgeOn
from tongxin.core.figures import Figure, Figures
from tongxin.core.scope import Scope
from tongxin.core.tally import Measure, aggregate, count, tally
from tongxin.people import population

from .base import period, roster_link

ADMITTED = codes.SpellReason.ADMITTED.value


def _flow_population(scope, org, as_of, start, reason):
    return population.population(
        scope=scope, path=org.path, on=as_of, flow=reason, period_start=start
    )


def flows(*, scope: Scope, org, as_of: date, period_start: date | None = None) -> Figures:
    """People of each flow of ``[period_start, as_of]``, each person once a reason: one query
    over the subtree's spells that start or end in the period."""
    start = period(as_of, period_start)
    inside = population.subtree_spells(scope=scope, path=org.path)
    in_period = Q(start__gte=start, start__lte=as_of) | Q(end__gte=start, end__lte=as_of)
    row = aggregate(
        inside.filter(in_period),
        **{
            reason: Count(
                "person_id",
                distinct=True,
                filter=population.flow_q(inside=inside, reason=reason, start=start, end=as_of),
            )
            for reason in population.FLOW_REASONS
        },
    )
    link = roster_link(org, as_of, {"period_start": start})
    return {
        reason: Figure(
            row[reason],
            # Built when first used, as in tally().
            SimpleLazyObject(partial(_flow_population, scope, org, as_of, start, reason)),
            link({"flow": reason}),
        )
        for reason in population.FLOW_REASONS
    }


def flow(
    *, scope: Scope, org, as_of: date, reason: str, period_start: date | None = None
) -> Figure:
    """The people of one flow of the period (one selector for each reason of ``flows``)."""
    start = period(as_of, period_start)
    people = _flow_population(scope, org, as_of, start, reason)
    link = roster_link(org, as_of, {"period_start": start, "flow": reason})
    # Through the figure store, as every tally: the dashboard's new members a year at the root
    # of the 1M bench tree took 9 s counted afresh on every reading (bench/README.md).
    return count(people, link({}))


def new_members_spec() -> dict:
    return {
        "total": Measure(),
        "degree": {g: Measure({"degree": g}) for g in codes.DEGREE_GROUPS},
        "title_level": {g: Measure({"title_level": g}) for g in codes.TITLE_LEVEL_GROUPS},
    }


def new_members(*, scope: Scope, org, as_of: date, period_start: date | None = None) -> Figures:
    """Members admitted in the period (each person once) and their quality; their average age
    is taken at admission, over the admissions of the period."""
    start = period(as_of, period_start)
    people = _flow_population(scope, org, as_of, start, ADMITTED)
    link = roster_link(org, as_of, {"period_start": start, "flow": ADMITTED})
    figures = tally(
        people,
        new_members_spec(),
        condition=lambda params: population.person_q(on=as_of, **params),
        link=link,
    )
    admissions = population.flow_spells(
        scope=scope, path=org.path, reason=ADMITTED, start=start, end=as_of
    )
    average = aggregate(admissions, age=Avg(AgeOn("person__birth_date", F("start"))))["age"]
    age = Figure(round(float(average), 1) if average is not None else 0.0, people, link({}))
    return {"total": figures["total"], "average_age": age, **figures}


def new_members_total(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figure:
    return flow(scope=scope, org=org, as_of=as_of, reason=ADMITTED, period_start=period_start)
