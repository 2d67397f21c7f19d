"""The draft as a Word document in the official layout (GB/T 9704-2012 as offices use it):
A4, margins 37/35/28/26 mm, the title in 小标宋 二号, the body in 仿宋 三号 with 28-point lines
and a two-character indent, parts as 一、 in 黑体, sub-points as （一） in 楷体, page numbers
"— 1 —" at the foot; the tables staff keep and the dashboard's charts as pictures."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from tongxin.core.numerals import chinese_number

from ..tables import Table
from . import pictures
from .draft import PENDING, Draft

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TOPIC_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(10.5)  # 五号


def _font(run, name: str, size, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _paragraph(document, text: str, font: str, size, *, indent=True, align=None, bold=False):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _page_numbers(section) -> None:
    """ "— 1 —" centred in the footer: a PAGE field between dashes (宋体 四号)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), TABLE_FONT, SIZE_4)
    run = paragraph.add_run()
    _font(run, TABLE_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
        if kind == "separate":
            number = OxmlElement("w:t")
            number.text = "1"
            run._element.append(number)
    _font(paragraph.add_run(" —"), TABLE_FONT, SIZE_4)


def _table(document, caption: str, header: list[str], rows: list[list[str]]) -> None:
    _paragraph(
        document, caption, HEADING_FONT, SIZE_4, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), TABLE_FONT, SIZE_TABLE, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        for index, (cell, text) in enumerate(zip(grid.add_row().cells, row, strict=True)):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), TABLE_FONT, SIZE_TABLE)
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            )
    document.add_paragraph()


def _stats_table(document, table: Table) -> None:
    header = ["项目"] + [f"{c.group}·{c.label}" if c.group else c.label for c in table.columns]
    rows = [[row.label] + [cell.text for cell in row.cells] for row in table.rows]
    # A4 portrait holds about eight columns at 五号: a wider table is turned on its side.
    if len(header) > 9:
        header_rows = list(zip(header, *rows, strict=True))
        _table(document, table.title, list(header_rows[0]), [list(r) for r in header_rows[1:]])
    else:
        _table(document, table.title, header, rows)


def build(draft: Draft) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    _page_numbers(section)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(
        document, draft.title, TITLE_FONT, SIZE_2, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph(
        document,
        f"（统计截至{draft.as_of.year}年{draft.as_of.month}月{draft.as_of.day}日）",
        TOPIC_FONT,
        SIZE_3,
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    document.add_paragraph()
    for part in draft.parts:
        _paragraph(document, f"{part.number}、{part.title}", HEADING_FONT, SIZE_3)
        for topic in part.topics:
            text = "".join(s.text for s in topic.sentences)
            if topic.title:
                paragraph = _paragraph(
                    document, f"（{topic.number}）{topic.title}。", TOPIC_FONT, SIZE_3
                )
                _font(paragraph.add_run(text), BODY_FONT, SIZE_3)
            else:
                _paragraph(document, text, BODY_FONT, SIZE_3)
        for line in part.ranking:
            _paragraph(document, f"{line.org_name}{line.sentence}。", BODY_FONT, SIZE_3)
        for table in part.tables:
            _stats_table(document, table)
        if part.ranking:
            _table(
                document,
                "支部考评排名",
                ["考评", "支部", "总分", "名次", "参评支部数"],
                [
                    [r.round_name, r.org_name, r.total, f"第{chinese_number(r.rank)}", str(r.count)]
                    for r in part.ranking
                ],
            )
        for chart in part.charts:
            document.add_picture(BytesIO(pictures.png(chart)), width=Cm(15))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, f"{draft.closing_number}、{draft.closing}", HEADING_FONT, SIZE_3)
    _paragraph(document, PENDING, BODY_FONT, SIZE_3)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
