"""The ``non_party_cadres`` section of the statistics (STATS.md): each figure the length of
the list of tongxin.cadres.nonparty it opens."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core.figures import Figures, StatsSection
from tongxin.core.scope import Scope
from tongxin.core.tally import Measure, count, tally

from . import nonparty
from .models import PoolKind

LABELS = {
    "files": "党外干部和人才档案",
    "leaders": "担任实职的党外领导干部",
    "principal": "其中担任实职正职",
    "reserves": "党外后备干部",
    "young": "党外优秀青年干部",
    "talent": "专业人才库",
    "entered": "本期推荐入库",
    "entered_by_unit_kind": "按推荐单位类型",
    "recommending_units": "推荐单位数",
    "appointed": "本期新任实职",
}


def _url(org, filters: dict) -> str:
    query = {"org": org.pk}
    for key, value in filters.items():
        if value not in ("", None, False):
            query[key] = value.isoformat() if isinstance(value, date) else value
            if value is True:
                query[key] = 1
    return f"{reverse('cadres:nonparty')}?{urlencode(query)}"


def _table(population, spec: dict, *, scope, org, common: dict, condition) -> Figures:
    """The figures of ``spec`` (Measures of list filters) over ``population`` in one query;
    each figure's records and link are its list's (nonparty.nonparty_list)."""

    def records(params):
        filters = nonparty.NonPartyFilter(**common, **params)
        return nonparty.nonparty_list(scope=scope, org=org, filters=filters)

    return tally(
        population,
        spec,
        condition=lambda params: condition(nonparty.NonPartyFilter(**common, **params)),
        link=lambda params: _url(org, {**common, **params}),
        records=records,
    )


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    groups = list(nonparty.RANK_GROUPS)
    people_spec = {
        "files": Measure(),
        "leaders": {g: Measure({"rank_group": g}) for g in groups},
        "principal": {g: Measure({"rank_group": g, "principal": True}) for g in groups},
        "reserves": {
            label: Measure({"pool_kind": PoolKind.NON_PARTY_RESERVE.value, "level": value})
            for label, value in nonparty.RESERVE_LEVELS.items()
        },
        "young": Measure({"pool_kind": PoolKind.YOUNG.value}),
        "talent": Measure({"pool_kind": PoolKind.TALENT.value}),
    }
    people = nonparty.files(scope=scope, org=org, on=as_of)
    figures = _table(
        people,
        people_spec,
        scope=scope,
        org=org,
        common={"on": as_of},
        condition=lambda f: nonparty.person_q(scope=scope, org=org, on=as_of, filters=f),
    )
    period = {"on": as_of, "period_start": period_start}
    entered = _table(
        nonparty.period_entries(scope=scope, org=org, start=period_start, end=as_of),
        {
            "entered": Measure(),
            "entered_by_unit_kind": {
                name: Measure({"unit_kind": code}) for code, name in nonparty.unit_kinds()
            },
        },
        scope=scope,
        org=org,
        common={**period, "show": "entries"},
        condition=nonparty.entry_q,
    )
    units = nonparty.nonparty_list(
        scope=scope, org=org, filters=nonparty.NonPartyFilter(show="units", **period)
    )
    appointed = _table(
        nonparty.period_posts(people=people, start=period_start, end=as_of),
        {"appointed": {g: Measure({"rank_group": g}) for g in groups}},
        scope=scope,
        org=org,
        common={**period, "show": "posts"},
        condition=nonparty.post_q,
    )
    return {
        **figures,
        **entered,
        "recommending_units": count(units, _url(org, {**period, "show": "units"})),
        **appointed,
    }


non_party_section = StatsSection(
    key="non_party_cadres", label="党外干部", compute=compute, labels=LABELS
)
