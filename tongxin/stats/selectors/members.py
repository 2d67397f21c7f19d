"""Members and their structure at a date (STATS.md: ``members``, ``political_arrangements``)."""

from __future__ import annotations

from datetime import date

from django.db import connections
from django.db.models import Q

from tongxin.core import codes
from tongxin.core.dates import AGE_BANDS
from tongxin.core.expressions import AgeOn
from tongxin.core.figures import Figure, Figures
from tongxin.core.scope import Scope
from tongxin.core.tally import Mean, Measure, Spec, flatten, tally
from tongxin.people import population

from .base import roster_link


def members_spec(on: date) -> Spec:
    """The figures of ``members``, each defined by the roster filters of its list."""

    def groups(name: str, labels) -> dict[str, Measure]:
        return {label: Measure({name: label}) for label in labels}

    return {
        "total": Measure(),
        "women": Measure({"gender": codes.Gender.FEMALE.value}),
        "minorities": Measure({"minority": "1"}),
        "average_age": Mean(AgeOn("birth_date", on)),
        "age_bands": groups("age_band", [band[0] for band in AGE_BANDS]),
        "education": groups("education", codes.EDUCATION_GROUPS),
        "degree": groups("degree", codes.DEGREE_GROUPS),
        "title_level": groups("title_level", codes.TITLE_LEVEL_GROUPS),
        "rank_group": groups("rank_group", codes.RANK_GROUPS),
        "rank": groups("rank", population.RANK_BY_NAME),
        "sector": {label: Measure({"sector": value}) for value, label in codes.Sector.choices},
        "retired": Measure({"retired": "1"}),
        "cross_members": Measure({"cross_member": "1"}),
        "upper_middle": Measure({"upper_middle": "1"}),
    }


def arrangements_spec() -> Spec:
    """``political_arrangements``: members holding a seat on the date, by level and body."""
    bodies = [codes.PoliticalBody(b) for b in population.ARRANGEMENT_BODIES]
    return {
        level.label: {
            body.label: Measure({"political_body": body.value, "political_level": level.value})
            for body in bodies
        }
        for level in codes.PoliticalLevel
    }


def pyramid_spec() -> Spec:
    """The age pyramid: each age band by gender."""
    return {
        band: {
            "男": Measure({"age_band": band, "gender": codes.Gender.MALE.value}),
            "女": Measure({"age_band": band, "gender": codes.Gender.FEMALE.value}),
        }
        for band, _youngest, _oldest in AGE_BANDS
    }


def count_members(*, scope: Scope, org, as_of: date, spec: Spec) -> Figures:
    """The figures of ``spec`` over the members of ``org``'s subtree on ``as_of``."""
    return tally(
        population.population(scope=scope, path=org.path, on=as_of),
        spec,
        condition=lambda params: population.person_q(on=as_of, **params),
        link=roster_link(org, as_of),
    )


def count_holders(*, scope: Scope, org, as_of: date, spec: Spec) -> Figures:
    """The figures of ``spec`` (rank groups or political arrangements, all of one kind of
    post) over the members of ``org``'s subtree holding such posts on ``as_of``: counted in
    one query over the members joined to their posts rather than a subquery a figure. The
    join starts from the members, so that a city's figures read its members' posts, not
    every post of that kind in the country."""
    members = population.population(scope=scope, path=org.path, on=as_of)
    first = next(item for _path, item in flatten(spec))
    held = population.held_q(as_of, population.post_kind(first.params))
    counted = members
    if connections[members.db].vendor != "sqlite":
        # The two planners want opposite joins (bench/README.md, Statistics, step 4). Over
        # the outer join PostgreSQL reads every member's row at the root into every distinct
        # count; with the kind and dates in WHERE it starts from the posts of that kind there
        # and probes each holder's spells, and from the members at a city. SQLite, so joined,
        # starts from the posts' kind index even in a city, where the outer join makes it
        # start from the few members.
        counted, held = members.filter(held), Q()
    return tally(
        counted,
        spec,
        condition=lambda params: held & population.post_q(prefix="posts__", **params),
        link=roster_link(org, as_of),
        distinct=True,
        records=lambda params: members.filter(population.person_q(on=as_of, **params)),
    )


def members(*, scope: Scope, org, as_of: date, period_start: date | None = None) -> Figures:
    """The whole ``members`` table of STATS.md: one query over the people, one over the
    government posts for the rank groups."""
    spec = members_spec(as_of)
    ranks = {"rank_group": spec.pop("rank_group"), "rank": spec.pop("rank")}
    figures = count_members(scope=scope, org=org, as_of=as_of, spec=spec)
    figures.update(count_holders(scope=scope, org=org, as_of=as_of, spec=ranks))
    return {key: figures[key] for key in members_spec(as_of)}


def political_arrangements(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figures:
    return count_holders(scope=scope, org=org, as_of=as_of, spec=arrangements_spec())


def members_age_pyramid(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figures:
    return count_members(scope=scope, org=org, as_of=as_of, spec=pyramid_spec())


def political_arrangement(
    *, scope: Scope, org, as_of: date, body: str, level: str, period_start: date | None = None
) -> Figure:
    """Members holding on the date a seat of ``body`` at ``level``."""
    spec = {"seat": Measure({"political_body": body, "political_level": level})}
    return count_holders(scope=scope, org=org, as_of=as_of, spec=spec)["seat"]
