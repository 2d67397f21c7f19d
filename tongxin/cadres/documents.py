"""干部基本情况登记表: the cadre registration form as a Word document (python-docx), in the
layout staff know — a table with a photo cell, the basic facts, education, the resume, rewards,
assessment results, pools, family and social relations, and the opinions of the bodies that
sign it. Empty cells are left for handwriting, as on the paper form."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tongxin.core.codes import PostKind
from tongxin.core.dates import age_on
from tongxin.core.masking import mask_id_number, mask_phone
from tongxin.people.models import Person

FONT = "SimSun"
COLUMNS = 7  # label, value, label, value, label, value, photo


def long_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _month(day: date | None) -> str:
    return f"{day.year}.{day.month:02d}" if day else ""


def _set_font(run, size=10.5, bold=False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _write(cell, text: str, *, bold=False, center=False, size=10.5) -> None:
    cell.text = ""
    lines = str(text).split("\n") if text else [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(paragraph.add_run(line), size=size, bold=bold)


def _resume(person: Person) -> str:
    """Posts, membership and practice, oldest first, one line each: 2014.07—2018.06 …"""
    lines = []
    for post in person.posts.all():
        where = post.org.name if post.org else post.unit
        lines.append((post.start or date.min, post.end, f"{where}{post.title}"))
    for spell in person.spells.select_related("org"):
        lines.append(
            (spell.start, spell.end, f"{spell.org.name}{spell.get_start_reason_display()}")
        )
    for assignment in person.practice_assignments.all():
        detail = assignment.to_post or assignment.task[:30]
        lines.append(
            (
                assignment.start,
                assignment.end,
                f"{assignment.get_kind_display()}：{assignment.place}{detail}",
            )
        )
    lines.sort(key=lambda line: line[0])
    return "\n".join(
        f"{_month(start) if start != date.min else '—'}—{_month(end) or '至今'}　{text}"
        for start, end, text in lines
    )


def _entry_line(entry) -> str:
    level = f"（{entry.level.label}）" if entry.level else ""
    line = f"{entry.start:%Y.%m}　列入「{entry.pool.name}」{level}"
    if entry.end:
        line += f"，{_month(entry.end)} 出库（{entry.get_exit_reason_display()}）"
    return line


def registration_form(*, person: Person, on: date, full_numbers: bool, unit_name: str) -> bytes:
    """The form for ``person`` as of ``on``. ID number and phone are masked unless
    ``full_numbers`` (the user may see them)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run("干部基本情况登记表"), size=18, bold=True)
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_font(note.add_run(f"填报单位：{unit_name}　　填表日期：{long_date(on)}"), size=10)

    age = age_on(person.birth_date, on)
    born = f"{_month(person.birth_date)}（{age}岁）" if person.birth_date else ""
    number = person.id_number if full_numbers else mask_id_number(person.id_number)
    phone = person.phone if full_numbers else mask_phone(person.phone)
    posts_now = [
        p
        for p in person.posts.all()
        if (p.start is None or p.start <= on) and (p.end is None or p.end > on)
    ]
    government = [p for p in posts_now if p.kind == PostKind.GOVERNMENT]
    political = [p for p in posts_now if p.kind == PostKind.POLITICAL]
    rank = government[0].get_rank_display() if government else ""

    table = document.add_table(rows=0, cols=COLUMNS)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row(*cells):
        """A row of (text, span, is_label) cells."""
        new = table.add_row()
        position = 0
        for text, span, label in cells:
            cell = new.cells[position]
            if span > 1:
                cell = cell.merge(new.cells[position + span - 1])
            _write(cell, text, bold=label, center=label)
            position += span
        return new

    first = row(("姓名", 1, True), (person.name, 1, False), ("性别", 1, True),
                (person.get_gender_display(), 1, False), ("出生年月", 1, True), (born, 1, False),
                ("（照片）", 1, False))  # fmt: skip
    row(("民族", 1, True), (person.get_ethnicity_display(), 1, False),
                 ("籍贯", 1, True), (person.native_place, 1, False), ("入会时间", 1, True),
                 (_month(person.admitted_on), 1, False), ("", 1, False))  # fmt: skip
    row(("专业技术职务", 1, True), (person.title, 1, False), ("职务级别", 1, True),
                (rank, 1, False), ("健康状况", 1, True), ("", 1, False),
                ("", 1, False))  # fmt: skip
    fourth = row(("身份证号", 1, True), (number, 3, False), ("联系电话", 1, True),
                 (phone, 1, False), ("", 1, False))  # fmt: skip
    # The photo cell spans the first four rows of the last column, as on the paper form.
    photo = first.cells[6].merge(fourth.cells[6])
    _write(photo, "（照片）", center=True)
    row(("学历学位", 1, True), (person.get_education_display(), 1, False),
        (person.get_degree_display(), 1, False), ("毕业院校及专业", 1, True),
        (person.school_major, 3, False))  # fmt: skip
    row(("工作单位及职务", 1, True), (f"{person.work_unit}{person.job_post}", 6, False))
    row(("政治安排", 1, True),
        ("；".join(f"{p.get_level_display()}{p.get_body_display()}{p.term}" for p in political)
         or "无", 6, False))  # fmt: skip
    row(("简　　历", 1, True), (_resume(person) or "（无记录）", 6, False))

    assessments = list(person.assessments.order_by("-year")[:5])
    row(("年度考核结果", 1, True),
        ("；".join(f"{a.year}年度{a.get_grade_display()}" for a in assessments) or "（无记录）",
         6, False))  # fmt: skip
    entries = list(person.pool_entries.select_related("pool", "level").order_by("-start"))
    row(
        ("后备与人才库", 1, True),
        ("\n".join(_entry_line(e) for e in entries) or "（无记录）", 6, False),
    )
    honors = [
        f"{h.conferred_on:%Y.%m}　{h.conferred_by}授予“{h.title}”" for h in person.honors.all()
    ]
    row(("奖惩情况", 1, True), ("\n".join(honors), 6, False))

    relations = row(("家庭主要成员及重要社会关系", 1, True), ("", 6, False))
    relations.cells[1].text = ""
    inner = relations.cells[1].add_table(rows=5, cols=5)
    inner.style = "Table Grid"
    for index, header in enumerate(("称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务")):
        _write(inner.rows[0].cells[index], header, bold=True, center=True)

    row(("推荐单位意见", 1, True), ("\n\n（盖章）　　年　月　日", 6, False))
    row(("审批机关意见", 1, True), ("\n\n（盖章）　　年　月　日", 6, False))

    for table_row in table.rows:
        table_row.cells[0].width = Cm(2.6)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
