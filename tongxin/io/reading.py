"""Read a roster file: core's workbook reader, told which sheets are the roster's."""

from __future__ import annotations

from tongxin.core.xlsx.reader import RawSheet, SheetProblem, read_workbook

from .columns import GUIDE_SHEET, MEMBER_SHEET, OPTIONS_SHEET, Column

# Never taken for a renamed data sheet: the template's guide and its hidden drop-down lists.
NOT_DATA_SHEETS = (GUIDE_SHEET, OPTIONS_SHEET)


def read_roster(
    data: bytes, filename: str, expected: dict[str, tuple[Column, ...]]
) -> tuple[dict[str, RawSheet], list[SheetProblem]]:
    """read_workbook with the roster's sheets: a CSV is the member roster unless the caller
    expects something else."""
    return read_workbook(
        data, filename, expected, csv_sheet=MEMBER_SHEET, skip_sheets=NOT_DATA_SHEETS
    )
