"""The ``non_party_cadres`` section of the statistics (STATS.md): each figure the length of
the list of tongxin.cadres.nonparty it opens."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core.figures import Figure, Figures, StatsSection
from tongxin.core.scope import Scope
from tongxin.core.tally import count

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


def _figure(scope, org, **filters) -> Figure:
    found = nonparty.nonparty_list(scope=scope, org=org, filters=nonparty.NonPartyFilter(**filters))
    query = {"org": org.pk}
    for key, value in filters.items():
        if value not in ("", None, False):
            query[key] = value.isoformat() if isinstance(value, date) else value
            if value is True:
                query[key] = 1
    return count(found, f"{reverse('cadres:nonparty')}?{urlencode(query)}")


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    on = {"on": as_of}
    period = {"on": as_of, "period_start": period_start}
    groups = list(nonparty.RANK_GROUPS)
    return {
        "files": _figure(scope, org, **on),
        "leaders": {g: _figure(scope, org, rank_group=g, **on) for g in groups},
        "principal": {g: _figure(scope, org, rank_group=g, principal=True, **on) for g in groups},
        "reserves": {
            label: _figure(scope, org, pool_kind=PoolKind.NON_PARTY_RESERVE, level=value, **on)
            for label, value in nonparty.RESERVE_LEVELS.items()
        },
        "young": _figure(scope, org, pool_kind=PoolKind.YOUNG, **on),
        "talent": _figure(scope, org, pool_kind=PoolKind.TALENT, **on),
        "entered": _figure(scope, org, show="entries", **period),
        "entered_by_unit_kind": {
            name: _figure(scope, org, show="entries", unit_kind=code, **period)
            for code, name in nonparty.unit_kinds()
        },
        "recommending_units": _figure(scope, org, show="units", **period),
        "appointed": {g: _figure(scope, org, show="posts", rank_group=g, **period) for g in groups},
    }


non_party_section = StatsSection(
    key="non_party_cadres", label="党外干部", compute=compute, labels=LABELS
)
