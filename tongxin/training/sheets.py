"""A class's attendance as a workbook: staff download it with the students and one column per
meeting (a drop-down of 出席/请假/缺席 in each cell), fill it in Excel or WPS, and upload it.

A class has tens of students, not a city's roster: the file is read in the request, checked
whole, and written in one transaction, or refused with every mistake named by row and column.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tongxin.core.xlsx.reader import ReadError, check_expansion

from .models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    EnrollmentStatus,
    TrainingClass,
)

SHEET = "考勤"
GUIDE = "填写说明"
ID_HEADER = "学员编号"
NAME_HEADER = "姓名"
MARK_BY_LABEL = {label: value for value, label in AttendanceStatus.choices}
LABEL_BY_MARK = dict(AttendanceStatus.choices)
MAX_ROWS = 2000

NOTES = (
    "1. 每一列是一次课，每一行是一名学员；请在单元格中选择“出席”“请假”或“缺席”。",
    "2. 请勿修改表头和“学员编号”“姓名”两列；可以删除不需要导入的课次列。",
    "3. 整列留空的课次不导入；某次课只要填写了一人，就须填写该课次全部学员（中途退出的除外）。",
    "4. 导入时先检查整个文件，有任何错误都不写入，并列出每处错误的行、列和原因。",
    "5. 已记录的课次再次导入时，以本次导入的为准。",
)


def session_labels(sessions: list[ClassSession]) -> dict[int, str]:
    """Each meeting's column header: its date, numbered when a day has two meetings."""
    labels: dict[int, str] = {}
    seen: dict[date, int] = {}
    for session in sessions:
        n = seen[session.date] = seen.get(session.date, 0) + 1
        label = f"{session.date:%Y-%m-%d}"
        labels[session.pk] = label if n == 1 else f"{label}（{n}）"
    return labels


def attendance_workbook(training_class: TrainingClass) -> bytes:
    sessions = list(training_class.sessions.all())
    labels = session_labels(sessions)
    enrollments = list(
        training_class.enrollments.select_related("person").order_by("person__name_pinyin", "pk")
    )
    marks = {
        (a.session_id, a.enrollment_id): a.status
        for a in Attendance.objects.filter(session__training_class=training_class)
    }
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([ID_HEADER, NAME_HEADER, *(labels[s.pk] for s in sessions)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
    for e in enrollments:
        ws.append(
            [e.pk, e.person.name]
            + [LABEL_BY_MARK.get(marks.get((s.pk, e.pk)), "") for s in sessions]
        )
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 12
    for i in range(len(sessions)):
        ws.column_dimensions[get_column_letter(i + 3)].width = 13
    if sessions and enrollments:
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(MARK_BY_LABEL) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="出勤情况",
            error="请选择 出席、请假 或 缺席",
        )
        ws.add_data_validation(choices)
        last = get_column_letter(len(sessions) + 2)
        choices.add(f"C2:{last}{len(enrollments) + 1}")
    guide = wb.create_sheet(GUIDE)
    guide.append([f"{training_class.name} 考勤表"])
    guide["A1"].font = Font(bold=True, size=14)
    for note in NOTES:
        guide.append([note])
    guide.column_dimensions["A"].width = 100
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(data: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        if zipfile.is_zipfile(BytesIO(data)):
            check_expansion(data)
    except ReadError as exc:
        raise ValidationError(str(exc)) from exc
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
    except Exception as exc:
        raise ValidationError("文件已损坏或不是 Excel 工作簿（.xlsx），无法读取") from exc
    names = [n for n in workbook.sheet_names if n.strip() != GUIDE]
    if not names:
        raise ValidationError("工作簿中没有考勤表")
    name = next((n for n in names if n.strip() == SHEET), names[0])
    rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"考勤表超过 {MAX_ROWS} 行，请删除多余的内容")
    return rows


def read_attendance(
    data: bytes, *, training_class: TrainingClass, on: date
) -> dict[ClassSession, dict[int, str]]:
    """The marks of each meeting filled in the workbook (meetings left blank are left out), or
    a ValidationError listing every mistake by row and column."""
    rows = _rows(data)
    if not rows:
        raise ValidationError("考勤表是空的")
    header = [_text(v) for v in rows[0]]
    if ID_HEADER not in header or NAME_HEADER not in header:
        raise ValidationError(f"第1行须有“{ID_HEADER}”和“{NAME_HEADER}”两列，请使用下载的考勤表")
    sessions = list(training_class.sessions.all())
    labels = session_labels(sessions)
    by_label = {labels[s.pk]: s for s in sessions}
    enrollments = {e.pk: e for e in training_class.enrollments.select_related("person")}
    errors: list[str] = []
    columns: dict[int, ClassSession] = {}
    for index, label in enumerate(header):
        if not label or label in (ID_HEADER, NAME_HEADER):
            continue
        if label not in by_label:
            errors.append(
                f"第1行第{get_column_letter(index + 1)}列：“{label}”不是本培训班的课次日期"
            )
        elif by_label[label] in columns.values():
            errors.append(f"第1行：课次“{label}”出现了两次")
        else:
            columns[index] = by_label[label]
    id_col, name_col = header.index(ID_HEADER), header.index(NAME_HEADER)

    marks: dict[ClassSession, dict[int, str]] = {s: {} for s in columns.values()}
    seen: dict[int, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [_text(v) for v in row]
        if not any(cells):
            continue
        key = cells[id_col] if id_col < len(cells) else ""
        name = cells[name_col] if name_col < len(cells) else ""
        enrollment = enrollments.get(int(key)) if key.isdecimal() else None
        if enrollment is None:
            errors.append(f"第{number}行：学员编号“{key}”不是本培训班的学员")
            continue
        if name != enrollment.person.name:
            errors.append(
                f"第{number}行：学员编号 {key} 是 {enrollment.person.name}，与表中姓名“{name}”不符"
            )
            continue
        if enrollment.pk in seen:
            errors.append(f"第{number}行：{name} 与第{seen[enrollment.pk]}行重复")
            continue
        seen[enrollment.pk] = number
        for index, session in columns.items():
            value = cells[index] if index < len(cells) else ""
            if not value:
                continue
            if value not in MARK_BY_LABEL:
                errors.append(
                    f"第{number}行“{header[index]}”列：“{value}”不是出勤情况"
                    "（应为 出席、请假 或 缺席）"
                )
                continue
            marks[session][enrollment.pk] = MARK_BY_LABEL[value]

    filled = {session: found for session, found in marks.items() if found}
    label_of = {s.pk: header[i] for i, s in columns.items()}
    for session, found in filled.items():
        label = label_of[session.pk]
        if session.date > on:
            errors.append(f"“{label}”列：课次还未到，不能记录考勤")
        missing = [
            e.person.name
            for pk, e in enrollments.items()
            if pk not in found and e.status != EnrollmentStatus.WITHDREW
        ]
        if missing:
            errors.append(f"“{label}”列：以下学员未填写出勤情况：{'、'.join(missing)}")
    if errors:
        raise ValidationError(errors)
    return dict(sorted(filled.items(), key=lambda item: (item[0].date, item[0].pk)))
