"""The dashboard's charts: each a series of figures from the selectors, with their lists.

A chart is drawn by static/js/stats-charts.js from its ``data`` (an attribute of its element:
the content security policy forbids inline scripts); the same figures fill its 数据 table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from tongxin.core.figures import Figure, Figures
from tongxin.core.scope import Scope

from . import selectors
from .selectors.base import node_scope

# A bar a branch: more than this many do not read.
MAX_BRANCHES = 30


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str  # "line", "bar", "hbar" (horizontal bars), "pyramid"
    as_of: date
    categories: list[str]
    series: list[tuple[str, list[Figure]]]
    unit: str = "人"

    @property
    def data(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "title": self.title,
                "unit": self.unit,
                "categories": self.categories,
                "series": [
                    {
                        "name": name,
                        "values": [f.value for f in figures],
                        "urls": [f.url for f in figures],
                    }
                    for name, figures in self.series
                ],
            },
            ensure_ascii=False,
        )

    @property
    def rows(self) -> list[tuple[str, list[Figure]]]:
        """The 数据 table: a row per category, a column per series."""
        return [
            (category, [figures[i] for _name, figures in self.series])
            for i, category in enumerate(self.categories)
        ]


def _breakdown(key: str, title: str, figures: Figures, as_of: date, kind="bar") -> Chart:
    return Chart(key, title, kind, as_of, list(figures), [("人数", list(figures.values()))])


def _series(key: str, title: str, pairs, as_of: date, name: str, kind: str) -> Chart:
    return Chart(key, title, kind, as_of, [p[0] for p in pairs], [(name, [p[1] for p in pairs])])


def members_trend(*, scope: Scope, org, as_of: date) -> Chart:
    pairs = selectors.members_at_year_ends(scope=scope, org=org, as_of=as_of)
    return _series("members-trend", "近十年年末成员数", pairs, as_of, "成员数", "line")


def age_pyramid(*, scope: Scope, org, as_of: date) -> Chart:
    pyramid = selectors.members_age_pyramid(scope=scope, org=org, as_of=as_of)
    bands = list(pyramid)
    series = [(gender, [pyramid[band][gender] for band in bands]) for gender in ("男", "女")]
    return Chart("age-pyramid", "年龄结构（按性别）", "pyramid", as_of, bands, series)


def dashboard(*, scope: Scope, org, as_of: date) -> list[Chart]:
    """Every chart of the 统计分析 page for ``org``'s subtree on ``as_of``."""
    scope = node_scope(scope, org)
    members = selectors.members(scope=scope, org=org, as_of=as_of)
    branches = selectors.members_by_branch(scope=scope, org=org, as_of=as_of)
    new = selectors.new_members_by_year(scope=scope, org=org, as_of=as_of)
    branches_title = "各支部成员数"
    if len(branches) > MAX_BRANCHES:
        branches_title += f"（成员最多的 {MAX_BRANCHES} 个，共 {len(branches)} 个支部）"
    charts = [
        members_trend(scope=scope, org=org, as_of=as_of),
        age_pyramid(scope=scope, org=org, as_of=as_of),
        _breakdown("education", "学历", members["education"], as_of),
        _breakdown("title-level", "职称", members["title_level"], as_of),
        _breakdown("sector", "界别", members["sector"], as_of),
        _series("branches", branches_title, branches[:MAX_BRANCHES], as_of, "成员数", "hbar"),
        _series("new-members", "近十年每年新成员", new, as_of, "新成员", "bar"),
    ]
    return charts + non_party_charts(scope=scope, org=org, as_of=as_of)


def non_party_charts(*, scope: Scope, org, as_of: date) -> list[Chart]:
    """A united-front department's non-party cadres (section ``non_party_cadres``), where the
    subtree keeps any: leaders by rank group with the 正职 among them, and the pools."""
    from tongxin.cadres.nonparty_stats import compute
    from tongxin.core.figures import default_period_start

    figures = compute(scope=scope, org=org, as_of=as_of, period_start=default_period_start(as_of))
    if not figures["files"].value:
        return []
    groups = list(figures["leaders"])
    leaders = Chart(
        "non-party-leaders",
        "党外实职领导干部（按职级）",
        "bar",
        as_of,
        groups,
        [
            ("实职领导干部", [figures["leaders"][g] for g in groups]),
            ("其中正职", [figures["principal"][g] for g in groups]),
        ],
    )
    pools = {
        **{f"{level}后备": figure for level, figure in figures["reserves"].items()},
        "优秀青年干部": figures["young"],
        "专业人才": figures["talent"],
    }
    return [leaders, _breakdown("non-party-pools", "党外干部人才队伍", pools, as_of)]


def workbench(*, scope: Scope, org, as_of: date) -> list[Chart]:
    """The two charts the workbench shows beside the headline."""
    scope = node_scope(scope, org)
    return [
        members_trend(scope=scope, org=org, as_of=as_of),
        age_pyramid(scope=scope, org=org, as_of=as_of),
    ]
