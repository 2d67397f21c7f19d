"""A round's ranking and award list as .xlsx (openpyxl) and Word (python-docx) documents."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from .calculators import points_text
from .models import EvaluationRound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Table:
    """A document's one table: a title, a note under it, the header and the rows."""

    title: str
    note: str
    header: list[str]
    rows: list[list]
    widths: list[int]


def _points(value) -> float | str:
    return "" if value is None else float(value)


def ranking_table(round_: EvaluationRound, rows, categories: list[str]) -> Table:
    """``rows`` and ``categories`` as the ranking page has them (views.rounds.ranking_rows)."""
    status = "已定稿" if not round_.is_open else "评分中，人工评分项目未评完的按已评分数计"
    body = []
    for row in rows:
        standing = row["standing"]
        body.append(
            [
                standing.rank,
                standing.org.name,
                *[_points(v) for v in row["subtotals"]],
                _points(standing.total),
                _points(standing.self_total),
            ]
        )
    return Table(
        title=f"{round_.title}排名",
        note=f"{len(rows)} 个支部参加考评（{status}）",
        header=["名次", "支部", *categories, "总分", "自评总分"],
        rows=body,
        widths=[6, 30, *[10] * len(categories), 8, 10],
    )


def awards_table(round_: EvaluationRound, awards) -> Table:
    body = []
    for award in awards:
        if award.org is not None:
            recipient, kind = award.org.name, "集体"
        else:
            recipient, kind = award.person.name, "个人"
        body.append([award.display_title, kind, recipient, award.decided_on, award.document_no])
    member_word = settings.TONGXIN_MEMBER_WORD
    return Table(
        title=f"{round_.title}表彰名单",
        note=f"共 {len(body)} 项（先进集体和优秀{member_word}等）",
        header=["表彰名称", "类别", "受表彰组织或人员", "决定日期", "文号"],
        rows=body,
        widths=[20, 6, 30, 12, 20],
    )


def detail_rows(standings) -> list[list]:
    """Every branch's points on every item, for the workbook's second sheet."""
    rows = []
    for standing in standings:
        for line in standing.items.values():
            rows.append(
                [
                    standing.org.name,
                    line.item.category,
                    line.item.title,
                    _points(line.points),
                    _points(line.score.self_points),
                    line.note,
                ]
            )
    return rows


def xlsx(table: Table, detail: list[list] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([table.note])
    sheet.append(table.header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    for index, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A4"
    if detail is not None:
        more = book.create_sheet("得分明细")
        more.append(["支部", "类别", "考评项目", "得分", "自评分", "说明"])
        for cell in more[1]:
            cell.font = Font(bold=True)
        for row in detail:
            more.append(row)
        for letter, width in zip("ABCDEF", (30, 10, 24, 8, 8, 50), strict=True):
            more.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        return points_text(value)
    return str(value)


def docx(table: Table, *, on: date) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = document.add_heading(table.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(table.note)
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _cell_text(value)
    closing = document.add_paragraph(f"{on.year}年{on.month}月{on.day}日")
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
