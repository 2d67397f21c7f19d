"""年报: the work report's tables as the fixed-layout workbook a committee sends to its parent —
one sheet a table (the year, the year before, 增减, 占比), laid out by tongxin.stats.xlsx like
the statistics' export, and a sheet for the branch ranking the report names."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ..xlsx import report_workbook
from .draft import Draft

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
RANKING_HEADER = ["考评", "支部", "总分", "名次", "参评支部数"]


def workbook(draft: Draft) -> bytes:
    tables = draft.annual_tables
    if tables:
        book = load_workbook(BytesIO(report_workbook(replace(draft.report, tables=tables))))
    else:
        book = Workbook()
        book.remove(book.active)
    if draft.ranking:
        sheet = book.create_sheet("支部考评排名")
        sheet.cell(
            row=1, column=1, value=f"{draft.org.name}{draft.year}年度支部考评排名"
        ).font = Font(size=14, bold=True)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RANKING_HEADER))
        for column, label in enumerate(RANKING_HEADER, start=1):
            cell = sheet.cell(row=2, column=column, value=label)
            cell.font = Font(bold=True)
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center")
        for row, line in enumerate(draft.ranking, start=3):
            values = [line.round_name, line.org_name, float(line.total), line.rank, line.count]
            for column, value in enumerate(values, start=1):
                sheet.cell(row=row, column=column, value=value).border = _BORDER
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 28
    if not book.sheetnames:
        book.create_sheet("说明").cell(row=1, column=1, value="本年度没有可报送的统计表")
    out = BytesIO()
    book.save(out)
    return out.getvalue()
