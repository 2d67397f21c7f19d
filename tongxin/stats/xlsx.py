"""The annual tables as a workbook staff can print: one sheet a table, with its title, the node
and the dates, the header cells merged as on paper, and the figures as numbers."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .tables import Report, Table

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="E9EEF5")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _sheet_title(table: Table, used: set[str]) -> str:
    base = _SHEET_NAME.sub("", table.title)[:28] or "统计表"
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}-{n}"
        n += 1
    used.add(name)
    return name


def _write_table(sheet, table: Table, report: Report) -> None:
    width = len(table.columns) + 1
    sheet.cell(row=1, column=1, value=table.title).font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = _CENTER
    org = report.org
    note = (
        f"组织：{org.name}（{org.code}）　统计截止日期：{_chinese_date(report.as_of)}　"
        f"变动期间：{report.period_start:%Y-%m-%d} 至 {report.as_of:%Y-%m-%d}"
    )
    sheet.cell(row=2, column=1, value=note)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    header = table.header
    top = 3
    depth = len(header)
    corner = sheet.cell(row=top, column=1, value="项目")
    if depth > 1:
        sheet.merge_cells(start_row=top, start_column=1, end_row=top + depth - 1, end_column=1)
    cells = [corner]
    # Header cells are placed left to right; a cell spanning both rows takes its column in
    # the second row too.
    taken: set[tuple[int, int]] = set()
    for level, header_row in enumerate(header):
        row = top + level
        column = 2
        for cell in header_row:
            while (row, column) in taken:
                column += 1
            written = sheet.cell(row=row, column=column, value=cell.label)
            cells.append(written)
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + cell.rowspan - 1,
                    end_column=column + cell.colspan - 1,
                )
            for r in range(row, row + cell.rowspan):
                for c in range(column, column + cell.colspan):
                    taken.add((r, c))
            column += cell.colspan
    for cell in cells:
        cell.font = Font(bold=True)
        cell.alignment = _CENTER
        cell.fill = _HEADER_FILL
    for r in range(top, top + depth):
        for c in range(1, width + 1):
            sheet.cell(row=r, column=c).border = _BORDER

    first = top + depth
    for offset, table_row in enumerate(table.rows):
        r = first + offset
        label = sheet.cell(row=r, column=1, value=table_row.label)
        label.font = Font(bold=True)
        label.border = _BORDER
        for c, cell in enumerate(table_row.cells, start=2):
            written = sheet.cell(row=r, column=c, value=cell.value)
            written.border = _BORDER
            if isinstance(cell.value, float) or table_row.kind == "share":
                written.number_format = "0.0"
            elif table_row.kind == "change":
                written.number_format = "+0;-0;0"
    sheet.column_dimensions["A"].width = 24
    for c in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 11
    sheet.freeze_panes = sheet.cell(row=first, column=2)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1


def report_workbook(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in report.tables:
        _write_table(book.create_sheet(_sheet_title(table, used)), table, report)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
