"""Small one-sheet workbooks staff fill in besides the roster (annual assessments, a campaign of
elections): the template with its drop-down lists and guide, and the whole-file read that turns
every structural mistake into a problem the page lists.

A problem is the roster import's dict (``sheet``, ``row``, ``column``, ``value``, ``reason``),
told in Chinese by ``tongxin.io.report.format_problem``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from tongxin.core.xlsx.reader import RawSheet, ReadError, read_workbook

from .columns import GUIDE_SHEET, OPTIONS_SHEET, Column

TEMPLATE_ROWS = 1000  # rows given the drop-down lists and the text format


def problem(row: int | None, column: str | None, value, reason: str, *, sheet: str) -> dict:
    shown = "" if value is None else str(value)
    return {"sheet": sheet, "row": row, "column": column, "value": shown, "reason": reason}


def template(sheet_name: str, columns: Iterable[Column], notes: Iterable[str] = ()) -> bytes:
    """The empty workbook: the header row (required columns shaded), a drop-down list for every
    column with choices, ID-number columns formatted as text, and a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = tuple(columns)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.kind in ("id_number", "code"):
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            listed = ",".join(column.choices)
            check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            check.error = f"请从列表中选择{column.header}"
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last}")
    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append(["列名", "必填", "说明"])
    for column in columns:
        guide.append([column.header, "是" if column.required else "", column.help])
    guide.append([])
    for note in notes:
        guide.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_sheet(
    *, data: bytes, filename: str, sheet_name: str, columns: tuple[Column, ...], empty: str
) -> tuple[RawSheet | None, list[dict]]:
    """The sheet's rows, or None with the problems that stop the file before its rows are
    read: not a workbook, a missing sheet or column, formulas, no rows (``empty`` says so)."""
    try:
        sheets, structural = read_workbook(
            data, filename, {sheet_name: columns}, skip_sheets=(GUIDE_SHEET, OPTIONS_SHEET)
        )
    except ReadError as exc:
        return None, [problem(None, None, None, str(exc), sheet="")]
    problems = [
        problem(p.row, p.column, p.value, p.reason, sheet=p.sheet)
        for p in structural
        if not p.warning
    ]
    sheet = sheets.get(sheet_name)
    if not problems and (sheet is None or not sheet.rows):
        problems.append(problem(None, None, None, empty, sheet=sheet_name))
    return (None if problems else sheet), problems


def cell(sheet: RawSheet, values: list, column: Column):
    """The raw value of ``column`` in a row of ``sheet`` (None where the column is absent)."""
    position = sheet.index(column)
    return values[position] if position is not None and position < len(values) else None
