"""Word documents of 组织发展 (python-docx), laid out as staff keep them: the application form
(入会申请表) of one candidate, the approval and filing list (审批备案表) of a batch, and the
公示 list, which carries no ID number, phone or birth date.

Dates are written 2014年11月24日 (UI.md). ID numbers and phones are masked unless the user may
see them (the caller says so); every document is an audited export (the views record it).
"""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tongxin.core.masking import mask_id_number, mask_phone

from .models import Application, StepKind
from .services import committee_of

FONT = "宋体"
TITLE_FONT = "黑体"


def long_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def month(day: date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def _font(run, name: str = FONT, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _document(*, landscape: bool = False) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2 if not landscape else 1.5))
    section.top_margin = section.bottom_margin = Cm(2)
    return doc


def _title(doc, text: str, subtitle: str = "") -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), TITLE_FONT, 18, bold=True)
    if subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(sub.add_run(subtitle), FONT, 11)


def _cell(cell, text: str, *, bold: bool = False, center: bool = False, size: float = 10.5):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), FONT, size, bold)


def _records(application: Application) -> list:
    return list(
        application.records.select_related("step")
        .prefetch_related("introducers__person")
        .order_by("step__order", "on")
    )


def vote_text(record) -> str:
    if record.expected is None:
        return ""
    return (
        f"应到 {record.expected} 人，实到 {record.present} 人；赞成 {record.votes_for} 票，"
        f"反对 {record.votes_against} 票，弃权 {record.votes_abstain} 票"
    )


def step_text(record) -> str:
    """A done step as the form writes it: the opinion, the introducers, the vote, the date."""
    parts = []
    names = "、".join(i.person.name for i in record.introducers.all())
    if names:
        parts.append(f"介绍人：{names}")
    if record.opinion:
        parts.append(record.opinion)
    if vote := vote_text(record):
        parts.append(vote)
    if record.document_no:
        parts.append(f"文号：{record.document_no}")
    if record.notified_person_on:
        parts.append(
            f"已于 {long_date(record.notified_person_on)} 书面通知本人，"
            f"{long_date(record.notified_unit_on)} 书面通知所在单位"
        )
    parts.append(long_date(record.on))
    return "\n".join(parts)


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- 入会申请表 ---------------------------------------------------------------------------------


def application_form(application: Application, *, reveal: bool) -> bytes:
    person = application.person
    committee = committee_of(application.branch)
    doc = _document()
    _title(doc, f"{committee.name}入会申请表", f"申请加入：{application.branch.name}")
    table = doc.add_table(rows=0, cols=6)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row(*pairs):
        cells = table.add_row().cells
        column = 0
        for label, value, span in pairs:
            _cell(cells[column], label, bold=True, center=True)
            target = cells[column + 1]
            if span > 1:
                target = target.merge(cells[column + span])
            _cell(target, value)
            column += 1 + span

    id_number = person.id_number if reveal else mask_id_number(person.id_number)
    phone = person.phone if reveal else mask_phone(person.phone)
    title = person.title + (f"（{person.get_title_level_display()}）" if person.title_level else "")
    row(
        ("姓名", person.name, 1),
        ("性别", person.get_gender_display(), 1),
        ("出生年月", month(person.birth_date), 1),
    )
    row(
        ("民族", person.get_ethnicity_display(), 1),
        ("籍贯", person.native_place, 1),
        ("政治面貌", person.get_political_status_display(), 1),
    )
    row(
        ("学历", person.get_education_display(), 1),
        ("学位", person.get_degree_display(), 1),
        ("专业技术职务", title, 1),
    )
    row(("毕业院校及专业", person.school_major, 5))
    row(("工作单位及职务", f"{person.work_unit} {person.job_post}".strip(), 5))
    row(("身份证号", id_number, 3), ("联系电话", phone, 1))
    row(
        ("界别", person.get_sector_display(), 1),
        ("申请日期", long_date(application.applied_on), 1),
        ("优才工程", application.programme.name if application.programme else "—", 1),
    )
    for record in _records(application):
        if record.step.order == 1:
            continue
        row((record.step.name, step_text(record), 5))
    done = {r.step_id for r in _records(application)}
    for step in application.procedure.steps.exclude(pk__in=done).exclude(order=1):
        row((step.name, "（尚未办理）", 5))
    for cells in table.rows:
        cells.cells[0].width = Cm(2.6)
    note = doc.add_paragraph()
    _font(note.add_run(f"打印日期：{long_date(timezone.localdate())}"), FONT, 9)
    return _save(doc)


# --- 审批备案表 ---------------------------------------------------------------------------------

APPROVAL_COLUMNS = (
    "序号", "姓名", "性别", "出生年月", "民族", "学历", "学位", "专业技术职务", "工作单位及职务",
    "申请加入组织", "介绍人", "支部通过日期", "上级批准日期", "表决情况",
)  # fmt: skip


def _by_kind(records) -> dict:
    return {r.step.kind: r for r in records}


def approval_list(applications, *, org, as_of: date) -> bytes:
    committee = committee_of(org)
    doc = _document(landscape=True)
    _title(
        doc,
        f"{committee.name}新成员审批备案表",
        f"截至{long_date(as_of)} · 共 {len(applications)} 人",
    )
    table = doc.add_table(rows=1, cols=len(APPROVAL_COLUMNS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, APPROVAL_COLUMNS, strict=True):
        _cell(cell, label, bold=True, center=True, size=9)
    for number, application in enumerate(applications, start=1):
        person = application.person
        records = _records(application)
        kinds = _by_kind(records)
        branch_vote = kinds.get(StepKind.BRANCH_APPROVAL)
        approval = kinds.get(StepKind.COMMITTEE_APPROVAL)
        sponsors = kinds.get(StepKind.INTRODUCERS)
        values = (
            str(number),
            person.name,
            person.get_gender_display(),
            month(person.birth_date),
            person.get_ethnicity_display(),
            person.get_education_display(),
            person.get_degree_display(),
            person.title,
            f"{person.work_unit} {person.job_post}".strip(),
            application.branch.name,
            "、".join(i.person.name for i in sponsors.introducers.all()) if sponsors else "",
            long_date(branch_vote.on) if branch_vote else "",
            long_date(approval.on) if approval else "",
            "；".join(
                f"{r.step.name}：赞成{r.votes_for}/实到{r.present}"
                for r in (branch_vote, approval)
                if r is not None and r.expected is not None
            ),
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, value, size=9)
    footer = doc.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(footer.add_run(f"{committee.name}（盖章）\n{long_date(as_of)}"), FONT, 11)
    return _save(doc)


# --- 公示 ---------------------------------------------------------------------------------------

PUBLICITY_COLUMNS = ("序号", "姓名", "性别", "学历", "专业技术职务", "工作单位及职务", "拟加入组织")


def publicity_list(applications, *, org, as_of: date) -> bytes:
    """Public: no ID number, phone or birth date — nothing but what the notice needs."""
    committee = committee_of(org)
    doc = _document()
    _title(doc, f"{committee.name}拟发展成员公示")
    intro = doc.add_paragraph()
    _font(
        intro.add_run(
            f"经组织考察和支部讨论，拟发展以下 {len(applications)} 名同志入会，现予公示。"
            "公示期间如有意见，请以书面形式向组织部门反映。"
        ),
        FONT,
        12,
    )
    table = doc.add_table(rows=1, cols=len(PUBLICITY_COLUMNS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, PUBLICITY_COLUMNS, strict=True):
        _cell(cell, label, bold=True, center=True)
    for number, application in enumerate(applications, start=1):
        person = application.person
        values = (
            str(number),
            person.name,
            person.get_gender_display(),
            person.get_education_display(),
            person.title,
            f"{person.work_unit} {person.job_post}".strip(),
            application.branch.name,
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, value)
    footer = doc.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(footer.add_run(f"{committee.name}\n{long_date(as_of)}"), FONT, 12)
    return _save(doc)
