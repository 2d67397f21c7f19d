"""Write roster workbooks: the empty import template, and exports in the same format.

The template is built in openpyxl's normal mode (it is small, and needs comments, drop-down lists
and a hidden sheet). Exports can hold a whole city's roster, so they are written by the streaming
writer in tongxin.core.xlsx.stream (openpyxl's write-only mode still builds an object per cell,
the bulk of an export's time) and take rows from iterables: memory stays flat whatever the number
of rows.

Column formats are set on the column (``<col style>``), not on 10,000 cells: Excel and WPS give a
newly typed cell its column's format, which is what keeps an ID number typed into the template
from becoming 1.10105E+17.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from io import BytesIO
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tongxin.core.xlsx.stream import XlsxWriter

from .columns import (
    GUIDE_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    OPTIONS_SHEET,
    ORG_COLUMNS,
    ORG_SHEET,
    Column,
    format_value,
    header_label,
    offered,
)

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
TEMPLATE_ROWS = 10_000  # rows 2..10001 carry the drop-down lists
# Kinds whose text must stay text: Excel would turn 0101 into 101 and an ID number into 1.1E+17.
TEXT_KINDS = frozenset({"id_number", "phone", "code"})

SHEETS: tuple[tuple[str, tuple[Column, ...]], ...] = (
    (ORG_SHEET, ORG_COLUMNS),
    (MEMBER_SHEET, MEMBER_COLUMNS),
)

_REQUIRED_FONT = Font(bold=True, color="C00000")
_OPTIONAL_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_OPTIONAL_FILL = PatternFill("solid", fgColor="E7E6E6")
_TITLE_FONT = Font(bold=True, size=14)

GENERAL_NOTES = (
    "1. 请勿修改工作表名称和表头（第1行）；列的顺序可以调整，多余的列会被忽略。",
    "2. 红色表头的列必须填写；有下拉箭头的列请从列表中选择。",
    "3. 日期填写如 2014-07-01、2014/7/1、2014年7月1日；只知年月时填 2014-07。",
    "4. 身份证号、手机号、组织编码列已设为“文本”格式，请勿改为数值，否则末几位会丢失。",
    "5. 请粘贴数值，不要使用公式；不要合并单元格，不要在表头上方加标题行。",
    "6. 导入时整份文件一并检查：只要有一处错误，就不写入任何数据，并列出全部错误。",
    "7. 系统中已有的人员按身份证号（没有身份证号时按姓名、出生日期和所在组织）更新，不会重复。",
)


def _column_format(column: Column) -> str | None:
    if column.kind == "date":
        return DATE_FORMAT
    if column.kind in TEXT_KINDS:
        return TEXT_FORMAT
    return None


def _describe(column: Column) -> str:
    text = column.help
    choices = offered(column)
    if choices and len(choices) > 12:
        text += "（下拉选择）"
    elif choices and not all(label in text for label in choices):
        text += "；可选：" + "、".join(choices)
    return text


# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The empty import template: 填写说明, 组织机构, 成员名册, the apps' sheets (入库名单)
    and a hidden 选项 sheet."""
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    _write_guide(guide)
    from tongxin.core import extensions

    # The apps' sheets (入库名单 …: roster_sheets) after the roster's own.
    named = [*SHEETS, *((sheet.name, sheet.columns) for sheet in extensions.get("roster_sheets"))]
    sheets = [(wb.create_sheet(name), columns) for name, columns in named]
    options = wb.create_sheet(OPTIONS_SHEET)
    # An inline list is limited to 255 characters, which the 58 ethnic groups nearly fill (and
    # a grown table would pass), so every list lives on this sheet and validations point at
    # its ranges.
    ranges = _write_options(options, [c for _ws, columns in sheets for c in columns])
    options.sheet_state = "hidden"
    for ws, columns in sheets:
        _write_header(ws, columns, comments=True)
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            number_format = _column_format(column)
            if number_format:
                ws.column_dimensions[letter].number_format = number_format
            choices = offered(column)
            if choices:
                validation = DataValidation(
                    type="list",
                    formula1=ranges[choices],
                    allow_blank=True,
                    showDropDown=False,  # (sic) False shows the arrow
                    showErrorMessage=True,
                    # A warning, not a stop: the importer also reads short forms (本科, 汉) and
                    # codes that the list does not show.
                    errorStyle="warning",
                    errorTitle="不在可选范围内",
                    error=f"“{column.header}”请从下拉列表中选择。",
                )
                validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
                ws.add_data_validation(validation)
    wb.active = 0
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_guide(ws) -> None:
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 70
    ws.column_dimensions["E"].width = 22
    ws.append(["同心 · 组织机构与成员名册导入模板 填写说明"])
    ws["A1"].font = _TITLE_FONT
    ws.append([])
    for note in GENERAL_NOTES:
        ws.append([note])
    ws.append([])
    ws.append(["工作表", "列名", "是否必填", "说明 / 可选值", "示例"])
    for cell in ws[ws.max_row]:
        cell.font = _OPTIONAL_FONT
        cell.fill = _OPTIONAL_FILL
    for sheet_name, columns in SHEETS:
        for column in columns:
            ws.append(
                [
                    sheet_name,
                    header_label(column),
                    "必填" if column.required else "",
                    _describe(column),
                    column.example,
                ]
            )
            row = ws[ws.max_row]
            row[3].alignment = Alignment(wrap_text=True, vertical="top")
            row[4].number_format = TEXT_FORMAT  # 0101 and ID numbers shown as written
            if column.required:
                row[2].font = Font(color="C00000")


def _write_options(ws, columns: list[Column]) -> dict[tuple[str, ...], str]:
    """One column per distinct list; returns list → absolute range for a validation."""
    ranges: dict[tuple[str, ...], str] = {}
    for column in columns:
        choices = offered(column)
        if not choices or choices in ranges:
            continue
        index = len(ranges) + 1
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=column.header)
        for row, label in enumerate(choices, start=2):
            ws.cell(row=row, column=index, value=label)
        last = len(choices) + 1
        ranges[choices] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _write_header(ws, columns: tuple[Column, ...], *, comments: bool) -> None:
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        cell = ws.cell(row=1, column=index, value=header_label(column))
        cell.font = _REQUIRED_FONT if column.required else _OPTIONAL_FONT
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        cell.alignment = Alignment(horizontal="center")
        if comments:
            prefix = "必填。" if column.required else ""
            cell.comment = Comment(prefix + _describe(column), "同心")
    ws.freeze_panes = "A2"


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


EXCHANGE_NOTE = "本文件与导入模板格式相同，修改后可以重新导入；未改动的行导入时不会产生变化。"


def write_workbook(
    fp: BinaryIO,
    org_rows: Iterable[dict],
    member_rows: Iterable[dict],
    *,
    omit: Iterable[str] = (),
    note: str = EXCHANGE_NOTE,
    extra: Iterable[tuple[str, tuple[Column, ...], Iterable[dict]]] = (),
) -> int:
    """Write organizations and members in the template's format to ``fp``; returns the number
    of member rows. Rows are dicts keyed by Column.key holding model values (codes, dates,
    booleans, lists); they are consumed one at a time. ``omit`` names member columns left out
    (a public-notice export); ``note`` tells the reader what the file is for."""
    omit = set(omit)
    with XlsxWriter(fp) as book:
        styles = _ExportStyles(book)
        with book.sheet(GUIDE_SHEET, widths=[100]) as guide:
            guide.append(["同心 · 组织机构与成员名册"])
            guide.append([note])
            for note_line in GENERAL_NOTES[:5]:
                guide.append([note_line])
        counts = {}
        for (name, columns), rows in zip(SHEETS, (org_rows, member_rows), strict=True):
            if name == MEMBER_SHEET:
                columns = tuple(c for c in columns if c.key not in omit)
            counts[name] = _write_sheet(book, styles, name, columns, rows)
        # The apps' sheets (入库名单 …: tongxin.core.extensions, roster_sheets).
        for name, columns, rows in extra:
            columns = tuple(c for c in columns if c.key not in omit)
            _write_sheet(book, styles, name, columns, rows)
    return counts[MEMBER_SHEET]


class _ExportStyles:
    """The export's cell styles: the template's header look (bold; required columns red on
    yellow, others on grey) and the date and text formats."""

    def __init__(self, book: XlsxWriter):
        self.required = book.style(bold=True, color="C00000", fill="FFF2CC")
        self.optional = book.style(bold=True, fill="E7E6E6")
        self.formats = {
            DATE_FORMAT: book.style(num_fmt=DATE_FORMAT),
            TEXT_FORMAT: book.style(num_fmt=TEXT_FORMAT),
        }

    def of(self, column: Column) -> int:
        number_format = _column_format(column)
        return self.formats[number_format] if number_format else 0


def _write_sheet(
    book: XlsxWriter,
    styles: _ExportStyles,
    name: str,
    columns: tuple[Column, ...],
    rows: Iterable[dict],
) -> int:
    formats = [styles.of(c) for c in columns]
    # The column format too, so that a cell typed in later gets it (as in the template).
    with book.sheet(
        name,
        widths=[c.width for c in columns],
        column_styles=formats,
        cell_styles=formats,
        freeze_header=True,
    ) as ws:
        ws.append(
            [header_label(c) for c in columns],
            styles=[styles.required if c.required else styles.optional for c in columns],
        )
        # format_value gives str, date or None; the writer escapes text, drops characters XML
        # forbids, never writes a formula (a leading "=" stays text) and dates as dates.
        plan = [_Formatter(column) for column in columns]
        count = 0
        append = ws.append
        for row in rows:
            get = row.get
            try:
                values = [
                    f.cache[v] if v in f.cache else f(v)
                    for f in plan
                    for v in (get(f.key),)  # noqa: B020 — one value per column
                ]
            except TypeError:  # an unhashable value (a list) in a column that caches
                values = [format_value(f.column, get(f.key)) for f in plan]
            append(values)
            count += 1
            if count % _CACHE_TRIAL == 0:
                for f in plan:
                    f.review(first=count == _CACHE_TRIAL)
    return count


_CACHE_TRIAL = 2000  # rows after which a column whose values hardly repeat stops caching
_CACHE_LIMIT = 10_000  # answers a column may remember, so that memory stays flat
_CACHED_TYPES = frozenset({str, datetime.date, type(None)})


class _Formatter:
    """format_value for one column, remembering its answers: most columns repeat a few values
    (性别, 学历, 所在组织编码 …), and a dict lookup is several times cheaper than the call.

    Only str, date and None are remembered: they never compare equal to a value of another type
    (True == 1 would otherwise share an answer). A column of lists, or one whose values hardly
    repeat (姓名, 身份证号), gets an empty tuple as cache: ``v in ()`` needs no hash."""

    __slots__ = ("column", "key", "cache")

    def __init__(self, column: Column):
        self.column = column
        self.key = column.key
        self.cache: dict | tuple = () if column.kind == "list" else {}

    def __call__(self, value):
        result = format_value(self.column, value)
        if value.__class__ in _CACHED_TYPES and self.cache != ():
            self.cache[value] = result
        return result

    def review(self, *, first: bool) -> None:
        if len(self.cache) > (_CACHE_TRIAL // 4 if first else _CACHE_LIMIT):
            self.cache = ()
