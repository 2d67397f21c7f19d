"""The shape of a table read from a workbook or a CSV file: its header row found and
matched to the expected columns, its rows streamed, and what is wrong with them as SheetProblems.
Shared by the xlsx and CSV readers (tongxin.core.xlsx.reader)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol


class Column(Protocol):
    """What the reader needs of an expected column (tongxin.io.columns.Column is one)."""

    header: str  # exact header, without any "*"
    required: bool


MAX_ROWS = 200_000
MAX_BLANK_RUN = 10_000
HEADER_SEARCH_ROWS = 20


class ReadError(Exception):
    """The file cannot be read at all; str(e) is the Chinese message."""


@dataclass
class RawSheet:
    name: str  # as in the file (staff find it under this name)
    header_row: int  # Excel row number of the header
    headers: list[str]  # normalised: no spaces, no "*" — equal to Column.header when known
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row, values by header)

    def index(self, column: Column) -> int | None:
        """Position of ``column`` in ``headers`` (its first occurrence), None if absent."""
        try:
            return self.headers.index(column.header)
        except ValueError:
            return None


@dataclass
class SheetProblem:
    sheet: str
    row: int | None
    column: str | None
    value: str
    reason: str
    warning: bool = False  # True: reported, but the file can still be imported


# ---------------------------------------------------------------------------------------------
# Rows (shared by CSV and xlsx)
# ---------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_DISTINCT = 2000  # values a column may share before it counts as mostly distinct


def header_name(value: object) -> str:
    """A header cell as matched against Column.header: NFKC (full-width ＊ → *), no whitespace
    (also inside: "姓  名"), no leading or trailing "*" (the usual mark of a required column)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))
    return text.strip("*")


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return str(value)


def _cell(value: object) -> object:
    if value == "" or value is None:
        return None
    if isinstance(value, str | bool | int | float | datetime.date | datetime.time):
        return value
    if isinstance(value, datetime.timedelta):
        return value
    return str(value)  # anything else a library may hand over (error values …)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_header(head: list[list], columns: tuple[Column, ...]) -> int | None:
    """Index (0-based) of the header row among the first rows: row 1 if it holds any known
    header; otherwise the first row that holds all required headers, or at least three known
    ones (a title row above the header is the usual reason)."""
    known = {c.header for c in columns}
    required = {c.header for c in columns if c.required}
    for index, row in enumerate(head):
        names = {header_name(v) for v in row}
        if index == 0 and names & known:
            return 0
        if index > 0 and (required <= names or len(names & known) >= 3):
            return index
    return None


def _read_rows(
    name: str,
    rows: Iterable[list],
    columns: tuple[Column, ...],
    problems: list[SheetProblem],
    *,
    start_col: int = 0,
    last_row: int = 0,
    empty_is_problem: bool = False,
) -> RawSheet | None:
    """Header checks and data rows of one sheet. ``rows`` yields rows from Excel row 1;
    ``start_col`` is the 0-based column of their first cell (for messages)."""
    iterator = iter(rows)
    head: list[list] = []
    for row in iterator:
        head.append(list(row))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header_index = _find_header(head, columns)
    if header_index is None:
        if not any(not _is_blank(_cell(v)) for row in head for v in row) and not last_row:
            if empty_is_problem:
                # An untouched sheet imports nothing; the other sheet may still hold data.
                problems.append(SheetProblem(name, None, None, "", "工作表为空", warning=True))
            return None
        wanted = "、".join(f"“{c.header}”" for c in columns if c.required)
        problems.append(
            SheetProblem(
                name, 1, None, "",
                f"找不到表头：第1行应为列名，且包含{wanted}等列；请使用导入模板的表头",
            )
        )  # fmt: skip
        return None
    header_row = header_index + 1
    if header_index > 0:
        problems.append(
            SheetProblem(
                name, header_row, None, "",
                f"表头应在第1行，却在第{header_row}行；请删除表头上方的标题行",
            )
        )  # fmt: skip

    raw_headers = [header_name(v) for v in head[header_index]]
    while raw_headers and not raw_headers[-1]:
        raw_headers.pop()
    headers = _check_headers(name, header_row, raw_headers, columns, start_col, problems)

    known = {c.header for c in columns}
    seen: set[str] = set()
    indexes = []
    for i, h in enumerate(headers):
        if h in known and h not in seen:
            seen.add(h)
            indexes.append(i)
    width = len(headers)
    # A row is blank when all its known cells are: most rows are told by their first one.
    first_known = indexes[0] if indexes else None

    sheet = RawSheet(name=name, header_row=header_row, headers=headers)
    blank_run = 0
    row_number = header_row
    stray_column: int | None = None

    def data_rows() -> Iterator[list]:
        yield from head[header_index + 1 :]
        yield from iterator

    # Each cell arrives as a new Python object, and a large roster's cells would fill the
    # memory. Most columns repeat a few values (性别, 学历, 所在组织编码 …), so each column
    # shares equal values through a cache — until it proves to hold mostly distinct values
    # (姓名, 身份证号), where a cache would only add memory.
    caches: list[dict | None] = [{} for _ in range(width)]

    for row in data_rows():
        row_number += 1
        # calamine and csv hand over only the types _cell passes through, except "" for an
        # empty cell: this is the one conversion every cell needs, done inline for speed.
        values = [
            None if v == "" else v if c is None else c.setdefault(v, v)
            for v, c in zip(row, caches, strict=False)  # cells past the header are dropped
        ]
        if row_number % 1000 == 0:
            caches = [None if c is None or len(c) > _DISTINCT else c for c in caches]
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        if (first_known is None or _is_blank(values[first_known])) and all(
            _is_blank(values[i]) for i in indexes
        ):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                if last_row > row_number:
                    problems.append(
                        SheetProblem(
                            name, row_number + 1, None, "",
                            f"第{row_number - blank_run + 1}行起连续{blank_run}行为空，"
                            "其后的内容未读取",
                            warning=True,
                        )
                    )  # fmt: skip
                break
            continue
        blank_run = 0
        if len(sheet.rows) >= MAX_ROWS:
            problems.append(
                SheetProblem(name, row_number, None, "", f"超过 {MAX_ROWS} 行，请分批导入")
            )
            break
        if stray_column is None and len(row) > width:
            for i in range(width, len(row)):
                if not _is_blank(_cell(row[i])):
                    stray_column = start_col + i + 1
                    problems.append(
                        SheetProblem(
                            name, row_number, _column_letter(stray_column), _shown(row[i]),
                            f"第{_column_letter(stray_column)}列有内容但没有列名，已忽略",
                            warning=True,
                        )
                    )  # fmt: skip
                    break
        sheet.rows.append((row_number, values))
    return sheet


def _check_headers(
    name: str,
    header_row: int,
    headers: list[str],
    columns: tuple[Column, ...],
    start_col: int,
    problems: list[SheetProblem],
) -> list[str]:
    known = {c.header for c in columns}
    first_at: dict[str, int] = {}
    for i, header in enumerate(headers):
        number = start_col + i + 1
        place = f"第{number}列（{_column_letter(number)}列）"
        if not header:
            problems.append(
                SheetProblem(
                    name, header_row, None, "",
                    f"表头{place}为空（可能是合并单元格），请取消合并并填写列名",
                )
            )  # fmt: skip
            continue
        if header in first_at:
            if header in known:
                earlier = _column_letter(start_col + first_at[header] + 1)
                problems.append(
                    SheetProblem(
                        name, header_row, header, header,
                        f"列“{header}”出现了两次（{earlier}列和{_column_letter(number)}列），"
                        "请删除其中一列",
                    )
                )  # fmt: skip
            continue
        first_at[header] = i
        if header not in known:
            problems.append(
                SheetProblem(
                    name, header_row, header, header,
                    f"未知的列，已忽略（{place}）", warning=True,
                )
            )  # fmt: skip
    for column in columns:
        if column.required and column.header not in first_at:
            problems.append(
                SheetProblem(name, header_row, column.header, "", f"缺少必填列“{column.header}”")
            )
    return headers
