"""The draft of a node's yearly work report: the figures of the year (as of 31 December, flows
from 1 January) and of the year before, worded by the stored templates, with the tables staff
keep (the members' structure, the branch ranking) and the dashboard's charts. The page, the
Word document and the workbook all read one ``Draft``; none counts anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core.figures import Figures
from tongxin.core.numerals import chinese_number
from tongxin.core.scope import Scope
from tongxin.evaluation import selectors as evaluation_selectors
from tongxin.evaluation.calculators import points_text

from .. import charts as stats_charts
from .. import tables as stats_tables
from ..selectors import dashboard as dashboard_selectors
from ..selectors.base import node_scope
from . import keys, templating
from .defaults import CLOSING, PARTS

PENDING = "【待补充】"
MIN_YEAR, MAX_YEAR = 1949, 2100
# The members' structure table: the member section's breakdowns staff lay out in the report.
STRUCTURE = ["age_bands", "education", "title_level"]
# Ranking lines: the places a report names (第一, 第二, 第三).
TOP_PLACES = 3


@dataclass
class Sentence:
    slot: str
    pieces: list[templating.Piece]
    marker: str = ""  # 【待补充：…】 where the figure has no records

    @property
    def text(self) -> str:
        return self.marker or "".join(p.text for p in self.pieces)


@dataclass
class Topic:
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    number: str = ""  # （一）（二） … of the titled sub-points, as written


@dataclass
class RankLine:
    org_name: str
    sentence: str
    url: str
    rank: int
    total: str
    count: int
    round_name: str


@dataclass
class Part:
    key: str
    title: str
    topics: list[Topic] = field(default_factory=list)
    tables: list[stats_tables.Table] = field(default_factory=list)
    ranking: list[RankLine] = field(default_factory=list)
    number: str = ""  # 一、二 … as written
    # The dashboard's charts the document draws, counted only when asked for (the page shows
    # none of them): every chart with at least one figure that is not 0.
    chart_source: Callable[[], list[stats_charts.Chart]] | None = None

    @cached_property
    def charts(self) -> list[stats_charts.Chart]:
        if self.chart_source is None:
            return []
        return [chart for chart in self.chart_source() if _chart_has_records(chart)]

    @property
    def sections(self) -> list[str]:
        """The statistics' sections this part's sentences tell, in order."""
        keys: list[str] = []
        for topic in self.topics:
            for sentence in topic.sentences:
                for piece in sentence.pieces:
                    key = piece.key.split(".")[0]
                    if piece.key and key not in keys:
                        keys.append(key)
        return keys

    @property
    def has_figures(self) -> bool:
        return any(s.pieces for t in self.topics for s in t.sentences) or bool(self.ranking)


@dataclass
class Draft:
    org: object
    year: int
    as_of: date
    period_start: date
    report: stats_tables.Report  # the figures and tables of the year and the year before
    parts: list[Part]
    closing: str = CLOSING

    @property
    def title(self) -> str:
        return f"{self.org.name}{self.year}年度工作总结"

    @property
    def closing_number(self) -> str:
        return chinese_number(len(self.parts) + 1)

    @property
    def annual_tables(self) -> list[stats_tables.Table]:
        """The 年报: the tables of every section the report tells, the year and the year
        before with 增减 — the same figures as the sentences."""
        told = {key for part in self.parts for key in part.sections}
        return [t for t in self.report.tables if t.section.key in told and _has_records(t)]

    @property
    def ranking(self) -> list[RankLine]:
        return [line for part in self.parts for line in part.ranking]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.parts for t in p.topics for s in t.sentences]


def year_dates(year: int) -> tuple[date, date]:
    return date(year, 12, 31), date(year, 1, 1)


def _ranking(scope: Scope, org, as_of: date, start: date) -> list[RankLine]:
    entries = evaluation_selectors.scored_entries(scope=scope, org=org, start=start, end=as_of)
    lines = []
    for entry in entries:
        # The first places of the subtree's branches, and a branch's own place whatever it is.
        if entry.standing.rank > TOP_PLACES and entry.standing.org.pk != org.pk:
            continue
        sentence = evaluation_selectors.ranking_sentence(
            round_=entry.round, standing=entry.standing, count=entry.count
        )
        query = {"org": entry.standing.org.pk, "from": start.isoformat(), "to": as_of.isoformat()}
        url = f"{reverse('evaluation:standings')}?{urlencode(query)}"
        lines.append(
            RankLine(
                entry.standing.org.name,
                sentence,
                url,
                entry.standing.rank,
                points_text(entry.standing.total),
                entry.count,
                str(entry.round),
            )
        )
    return lines


def build(*, scope: Scope, org, year: int) -> Draft:
    """The draft of ``org``'s year, read through ``scope``."""
    as_of, start = year_dates(year)
    report = stats_tables.build_report(scope=scope, org=org, as_of=as_of, period_start=start)
    now = report.figures
    before = report.previous_figures
    party = org.effective_party()
    has_members = any(
        (figure := templating.figure_at(figures, ("members", "total"))) is not None and figure.value
        for figures in (now, before)
    )
    by_part: dict[str, list] = {}
    for template in keys.sentences_for(party):
        by_part.setdefault(template.part, []).append(template)
    parts = []
    for key, title in PARTS:
        part = Part(key, title)
        for template in sorted(by_part.get(key, []), key=lambda t: (t.order, t.slot)):
            rendered = templating.render(template.text, now=now, before=before, year=year)
            if rendered.missing:
                # A marker asks staff for a figure the node should have: a node without
                # members (a united-front department) has none of the members' to give.
                if template.when_missing != "mark" or not has_members:
                    continue
                sentence = Sentence(template.slot, [], f"【待补充：{template.what}】")
            else:
                sentence = Sentence(template.slot, rendered.pieces)
            topic = next((t for t in part.topics if t.title == template.topic), None)
            if topic is None:
                topic = Topic(template.topic)
                part.topics.append(topic)
            topic.sentences.append(sentence)
        if key == "basic":
            part.tables = [
                _without_empty_groups(t)
                for t in report.tables
                if _is_structure(t) and _has_records(t)
            ]
            part.chart_source = _charts_of(scope, org, as_of, now.get("members", {}))
        if key == "evaluation":
            part.ranking = _ranking(node_scope(scope, org), org, as_of, start)
        # A part is written only when the node has records of its kind.
        if part.has_figures:
            parts.append(part)
    for index, part in enumerate(parts, start=1):
        part.number = chinese_number(index)
        titled = [topic for topic in part.topics if topic.title]
        for place, topic in enumerate(titled, start=1):
            topic.number = chinese_number(place)
    return Draft(org, year, as_of, start, report, parts)


def _is_structure(table: stats_tables.Table) -> bool:
    return table.section.key == "members" and any(
        column.path[0] in STRUCTURE for column in table.columns
    )


# The tables' rows that hold figures (the others are worked from them: 增减, 占比).
FIGURE_ROWS = ("current", "previous")


def _has_records(table: stats_tables.Table) -> bool:
    """A table is written when one of its figures, the year or the year before, is not 0."""
    return any(cell.value for row in table.rows if row.kind in FIGURE_ROWS for cell in row.cells)


def _without_empty_groups(table: stats_tables.Table) -> stats_tables.Table:
    """The table without the breakdowns that are 0 in every category both years (no member
    has an education recorded: no 学历 columns of zeros beside the titles that are)."""
    empty = set()
    for group in {column.group for column in table.columns if column.group}:
        indexes = [i for i, column in enumerate(table.columns) if column.group == group]
        if not any(
            row.cells[i].value for row in table.rows if row.kind in FIGURE_ROWS for i in indexes
        ):
            empty |= set(indexes)
    if not empty:
        return table
    keep = [i for i in range(len(table.columns)) if i not in empty]
    names = list(dict.fromkeys(table.columns[i].group or stats_tables.OVERVIEW for i in keep))
    return replace(
        table,
        title=f"{table.section.label}（{'、'.join(names)}）",
        columns=[table.columns[i] for i in keep],
        rows=[replace(row, cells=[row.cells[i] for i in keep]) for row in table.rows],
    )


def _chart_has_records(chart: stats_charts.Chart) -> bool:
    return any(figure.value for _name, figures in chart.series for figure in figures)


def _charts_of(
    scope: Scope, org, as_of: date, members: Figures
) -> Callable[[], list[stats_charts.Chart]]:
    """The dashboard's charts of the members (the 统计分析 page's, same keys and titles): the
    year-end trend, the education of the report's own members figures (not counted again),
    and the new members a year."""

    def charts() -> list[stats_charts.Chart]:
        narrowed = node_scope(scope, org)
        education = members.get("education", {})
        new = dashboard_selectors.new_members_by_year(scope=narrowed, org=org, as_of=as_of)
        return [
            stats_charts.members_trend(scope=narrowed, org=org, as_of=as_of),
            stats_charts.Chart(
                "education",
                "学历",
                "bar",
                as_of,
                list(education),
                [("人数", list(education.values()))],
            ),  # fmt: skip
            stats_charts.Chart(
                "new-members",
                "近十年每年新成员",
                "bar",
                as_of,
                [year for year, _f in new],
                [("新成员", [figure for _year, figure in new])],
            ),  # fmt: skip
        ]

    return charts
