"""The annual tables as staff lay them out, from the sections' figures.

Each section becomes one or more tables: the columns are its figures under a two-level header
(a breakdown such as 年龄结构 spans its categories), the rows are the figure on the date, the
same figure a year earlier, the change (增减) and, for a section with a ``total``, each count's
share of it (占比). The report page, the workbook and nothing else lay tables out; none of them
counts anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tongxin.core.dates import years_before
from tongxin.core.figures import Figure, Figures, StatsSection, leaves, share
from tongxin.core.scope import Scope

from . import sections as stats_sections
from .selectors.base import period

# More columns than this do not fit a 1366-pixel screen or an A4 page across.
MAX_COLUMNS = 12
OVERVIEW = "基本情况"


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]
    group: str  # "" for a figure that is not part of a breakdown
    label: str


@dataclass(frozen=True)
class Cell:
    text: str
    value: int | float | None = None
    url: str = ""
    counts: bool = False  # the list at ``url`` has ``value`` rows


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    kind: str  # "current", "previous", "change", "share"


@dataclass(frozen=True)
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    section: StatsSection
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)

    @property
    def header(self) -> list[list[HeaderCell]]:
        """One header row, or two when the table has a breakdown: a breakdown's label spans
        its categories, a plain figure's label spans both rows."""
        if all(not c.group for c in self.columns):
            return [[HeaderCell(c.label) for c in self.columns]]
        top: list[HeaderCell] = []
        bottom: list[HeaderCell] = []
        for column in self.columns:
            if not column.group:
                top.append(HeaderCell(column.label, rowspan=2))
            elif top and top[-1].rowspan == 1 and top[-1].label == column.group:
                top[-1] = HeaderCell(column.group, colspan=top[-1].colspan + 1)
                bottom.append(HeaderCell(column.label))
            else:
                top.append(HeaderCell(column.group))
                bottom.append(HeaderCell(column.label))
        return [top, bottom]


@dataclass
class Report:
    org: object
    as_of: date
    period_start: date
    previous_as_of: date
    previous_period_start: date
    figures: dict[str, Figures]
    tables: list[Table]
    # The same sections a year earlier (the tables' 上年同期 row), for what words the change.
    previous_figures: dict[str, Figures] = field(default_factory=dict)


def _label(section: StatsSection, key: str) -> str:
    return section.labels.get(key, key)


def _groups(section: StatsSection, figures: Figures) -> list[tuple[str, list[Column]]]:
    """The section's top-level figures as column groups: plain figures run together under no
    group label, a breakdown is one group."""
    groups: list[tuple[str, list[Column]]] = []
    for key, item in figures.items():
        if isinstance(item, dict):
            columns = [
                Column(
                    (key, *path),
                    _label(section, key),
                    " · ".join(_label(section, k) for k in path),
                )
                for path, _figure in leaves(item)
            ]
            groups.append((_label(section, key), columns))
        else:
            column = Column((key,), "", _label(section, key))
            if groups and groups[-1][0] == "":
                groups[-1][1].append(column)
            else:
                groups.append(("", [column]))
    return groups


def _pack(groups: list[tuple[str, list[Column]]]) -> list[list[tuple[str, list[Column]]]]:
    """Groups into as few tables as MAX_COLUMNS allows, as evenly wide as the groups let them
    be (16 arrangements: two tables of 8, not 12 and 4)."""

    def greedy(limit: int):
        tables: list[list[tuple[str, list[Column]]]] = [[]]
        for group in groups:
            width = sum(len(columns) for _label, columns in tables[-1])
            if tables[-1] and width + len(group[1]) > limit:
                tables.append([])
            tables[-1].append(group)
        return [t for t in tables if t]

    fewest = greedy(MAX_COLUMNS)
    total = sum(len(columns) for _label, columns in groups)
    for limit in range(-(-total // len(fewest)), MAX_COLUMNS):
        tables = greedy(limit)
        if len(tables) == len(fewest):
            return tables
    return fewest


def _at(figures: Figures, path: tuple[str, ...]) -> Figure | None:
    item = figures
    for key in path:
        if not isinstance(item, dict) or key not in item:
            return None
        item = item[key]
    return item if isinstance(item, Figure) else None


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _change(now: Figure | None, before: Figure | None) -> Cell:
    if now is None or before is None:
        return Cell("—")
    delta = now.value - before.value
    if isinstance(delta, float):
        delta = round(delta, 1)
        return Cell(f"{delta:+.1f}" if delta else "0.0", delta)
    return Cell(f"{delta:+d}" if delta else "0", delta)


def _figure_cell(figure: Figure | None) -> Cell:
    if figure is None:
        return Cell("—")
    return Cell(_number(figure.value), figure.value, figure.url, figure.is_count)


def section_tables(
    section: StatsSection,
    figures: Figures,
    previous: Figures,
    *,
    as_of: date,
    previous_as_of: date,
) -> list[Table]:
    packed = _pack(_groups(section, figures))
    total = figures.get("total")
    has_total = isinstance(total, Figure) and total.is_count
    tables = []
    for groups in packed:
        columns = [column for _label, group in groups for column in group]
        title = section.label
        if len(packed) > 1:
            names = "、".join(label or OVERVIEW for label, _group in groups)
            title = f"{section.label}（{names}）"
        now = [_at(figures, c.path) for c in columns]
        before = [_at(previous, c.path) for c in columns]
        rows = [
            Row(f"{as_of:%Y-%m-%d}", [_figure_cell(f) for f in now], "current"),
            Row(
                f"上年同期 {previous_as_of:%Y-%m-%d}", [_figure_cell(f) for f in before], "previous"
            ),
            Row("增减", [_change(a, b) for a, b in zip(now, before, strict=True)], "change"),
        ]
        if has_total:
            shares = [
                Cell(f"{share(f.value, total.value):.1f}", share(f.value, total.value))
                if f is not None and f.is_count and c.path != ("total",)
                else Cell("")
                for f, c in zip(now, columns, strict=True)
            ]
            rows.append(Row("占比（%）", shares, "share"))
        tables.append(Table(section, title, columns, rows))
    return tables


def build_report(*, scope: Scope, org, as_of: date, period_start: date | None = None) -> Report:
    """Every section on ``as_of`` and a year earlier, laid out as tables."""
    start = period(as_of, period_start)
    previous_as_of, previous_start = years_before(as_of, 1), years_before(start, 1)
    figures = stats_sections.compute(scope=scope, org=org, as_of=as_of, period_start=start)
    previous = stats_sections.compute(
        scope=scope, org=org, as_of=previous_as_of, period_start=previous_start
    )
    tables = [
        table
        for section in stats_sections.all_sections()
        for table in section_tables(
            section,
            figures[section.key],
            previous[section.key],
            as_of=as_of,
            previous_as_of=previous_as_of,
        )
    ]
    return Report(org, as_of, start, previous_as_of, previous_start, figures, tables, previous)
