"""我的履职档案: the member's record as sections of rows, shown on the page and written to a
Word document from the same rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from tongxin.branchwork.models import RUNG_ORDER
from tongxin.core.masking import mask_id_number, mask_phone

from .rules import field_label

FONT = "SimSun"


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    empty: str


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


def _hours(value) -> str:
    return f"{value:g}" if value is not None else ""


BASIC_FIELDS = (
    "name", "gender", "birth_date", "ethnicity", "education", "degree", "school_major",
    "work_unit", "job_post", "title", "admitted_on",
)  # fmt: skip


NOT_RECORDED = "（未登记）"


def _basic(person) -> list[tuple[str, str]]:
    """The member's own information; the ID number and phone masked as on every page."""
    rows = []
    for name in BASIC_FIELDS:
        display = getattr(person, f"get_{name}_display", None)
        value = display() if display else getattr(person, name)
        rows.append((field_label(name), _d(value) if isinstance(value, date) else value or ""))
    rows.append(("身份证号", mask_id_number(person.id_number) if person.id_number else ""))
    rows.append(("手机", mask_phone(person.phone) if person.phone else ""))
    # An empty item is said to be empty: the member may then propose it (信息更正).
    return [(label, value or NOT_RECORDED) for label, value in rows]


def sections(record: dict) -> list[Section]:
    contributions = []
    for author in record["contributions"]:
        c = author.contribution
        rungs = sorted(c.adoptions.all(), key=lambda a: RUNG_ORDER.get(a.rung, 99))
        contributions.append(
            (
                _d(c.submitted_on),
                c.get_kind_display(),
                c.title,
                author.get_role_display(),
                "、".join(a.get_rung_display() for a in rungs) or "已报送",
            )
        )
    honors = [
        (_d(h.conferred_on), h.title, h.get_level_display(), h.conferred_by)
        for h in record["honors"]
    ] + [
        (_d(a.decided_on), a.title or a.get_kind_display(), "会内表彰", str(a.round))
        for a in record["awards"]
    ]
    honors.sort(reverse=True)
    return [
        Section("基本信息", ("项目", "内容"), _basic(record["person"]), ""),
        Section(
            "成员关系",
            ("开始", "结束", "所在组织", "原因"),
            [
                (_d(s.start), _d(s.end), s.org.display_name, s.get_start_reason_display())
                for s in record["spells"]
            ],
            "暂无记录",
        ),
        Section(
            "参加活动",
            ("日期", "活动", "组织"),
            [
                (_d(a.activity.date), a.activity.title, a.activity.org.display_name)
                for a in record["activities"]
            ],
            "暂无参加活动的记录",
        ),
        Section(
            "培训与学时",
            ("开班", "培训班", "学时", "结业情况"),
            [
                (
                    _d(e.training_class.start),
                    e.training_class.name,
                    _hours(e.training_class.hours),
                    e.get_status_display(),
                )
                for e in record["enrollments"]
            ]
            + [
                (_d(x.start), f"{x.name}（{x.organizer}）", _hours(x.hours), "外部培训")
                for x in record["external"]
            ],
            "暂无培训记录",
        ),
        Section(
            "参政议政成果及采用",
            ("报送日期", "类别", "标题", "署名", "采用情况"),
            contributions,
            "暂无参政议政成果",
        ),
        Section("表彰荣誉", ("日期", "名称", "级别", "授予"), honors, "暂无表彰荣誉"),
        Section(
            "职务与政治安排",
            ("任职", "离任", "类别", "职务"),
            [
                (
                    _d(p.start),
                    _d(p.end),
                    p.get_kind_display(),
                    " ".join(x for x in (p.get_body_display(), p.term, p.title, p.unit) if x),
                )
                for p in record["posts"]
            ],
            "暂无职务与安排",
        ),
        Section(
            "年度考核",
            ("年度", "等次", "考核单位"),
            [(str(a.year), a.get_grade_display(), a.unit) for a in record["assessments"]],
            "暂无年度考核记录",
        ),
    ]


def _font(run, size=10.5, bold=False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def document(*, record: dict, on: date) -> bytes:
    """The record as a Word document (.docx)."""
    person = record["person"]
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{person.name} 履职档案"), size=16, bold=True)
    line = doc.add_paragraph()
    _font(line.add_run(f"截至 {on.year}年{on.month}月{on.day}日，根据组织记录汇编"), size=9)
    for section in sections(record):
        heading = doc.add_paragraph()
        _font(heading.add_run(section.title), size=12, bold=True)
        if not section.rows:
            _font(doc.add_paragraph().add_run(section.empty))
            continue
        table = doc.add_table(rows=1, cols=len(section.headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, section.headers, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), bold=True)
        for row in section.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(str(text)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
