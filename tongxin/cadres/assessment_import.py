"""Annual assessments from a workbook: the template, the check of a whole file, the write.

The file is read with core's workbook reader (python-calamine, tongxin.core.xlsx.reader) and
every row is checked against the database before anything is written: one mistake anywhere
rejects the file, and every mistake is listed with its row, column and value. A person is found
by ID number among the people the uploader's scope holds; the name must match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import codes
from tongxin.core.scope import Scope
from tongxin.io import onesheet
from tongxin.io.columns import CellError, Column, parse_value
from tongxin.io.report import format_problem
from tongxin.people import selectors as people_selectors
from tongxin.people.models import id_number_q

from . import services
from .models import AnnualAssessment, GradeSet

SHEET = "年度考核"

NAME = Column("姓名", "name", True, "text", max_length=50, width=10, example="张敏")
ID_NUMBER = Column("身份证号", "id_number", True, "id_number", width=22)
YEAR = Column("年度", "year", True, "text", width=8, help="四位年份，如 2025", example="2025")
GRADE = Column(
    "考核等次",
    "grade",
    True,
    "text",
    choices=tuple(codes.AssessmentGrade.labels),
    width=12,
    help="优秀、称职、基本称职、不称职，或 优秀、合格、基本合格、不合格，或 不定等次、不进行考核",
)
GRADE_SET = Column(
    "等次类别",
    "grade_set",
    False,
    "text",
    choices=tuple(GradeSet.labels),
    width=14,
    help="公务员（参公）或 事业单位；可不填，由等次推定",
)
REASON = Column(
    "原因", "reason", False, "text", max_length=300, width=24, help="不定等次、不进行考核时必填"
)
UNIT = Column("考核单位", "unit", False, "text", max_length=200, width=24)
COLUMNS = (NAME, ID_NUMBER, YEAR, GRADE, GRADE_SET, REASON, UNIT)

_GRADE_SET_ALIASES = {"公务员": GradeSet.CIVIL_SERVICE, "参公": GradeSet.CIVIL_SERVICE}


@dataclass
class ImportResult:
    problems: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[AnnualAssessment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def messages(self) -> list[str]:
        return [format_problem(p) for p in self.problems]


def template_workbook() -> bytes:
    """The empty workbook: the header row, drop-down lists for the grade columns, a guide."""
    return onesheet.template(
        SHEET,
        COLUMNS,
        (
            "整个文件检查无误才会导入；有任何错误时不导入任何一行，并列出每个错误。",
            "同一人同一年度已有考核结果的，按文件中的结果更新。",
        ),
    )


def _problem(row: int | None, column: str | None, value, reason: str) -> dict:
    return onesheet.problem(row, column, value, reason, sheet=SHEET)


def _year(raw) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip() if raw is not None else ""
    text = text.removesuffix("年度").removesuffix("年")
    if not text.isdecimal() or len(text) != 4 or not 1950 <= int(text) <= 2100:
        raise CellError("年度应为四位数的年份，如 2025")
    return int(text)


def _choice(choices, raw, what: str, aliases=None) -> str:
    found = codes.parse_choice(choices, raw, aliases)
    if found is None:
        raise CellError(f"“{raw}”不是可选的{what}，应为：{'、'.join(choices.labels)}")
    return found


def check_file(*, data: bytes, filename: str, scope: Scope) -> ImportResult:
    """Read and check the whole file; nothing is written."""
    result = ImportResult()
    sheet, result.problems = onesheet.read_sheet(
        data=data, filename=filename, sheet_name=SHEET, columns=COLUMNS, empty="文件中没有考核数据"
    )
    if sheet is None:
        return result

    positions = {column.key: sheet.index(column) for column in COLUMNS}
    parsed = []
    for row_number, values in sheet.rows:
        row: dict = {}
        for column in COLUMNS:
            position = positions[column.key]
            raw = values[position] if position is not None else None
            try:
                if column.required and (raw is None or str(raw).strip() == ""):
                    raise CellError(f"{column.header}必填")
                if column.key == "year":
                    row["year"] = _year(raw)
                elif column.key == "grade":
                    row["grade"] = _choice(codes.AssessmentGrade, raw, "考核等次")
                elif column.key == "grade_set":
                    row["grade_set"] = (
                        _choice(GradeSet, raw, "等次类别", _GRADE_SET_ALIASES) if raw else ""
                    )
                else:
                    row[column.key] = parse_value(column, raw)
            except CellError as exc:
                result.problems.append(_problem(row_number, column.header, raw, str(exc)))
        parsed.append((row_number, row))

    numbers = [row["id_number"] for _n, row in parsed if row.get("id_number")]
    people = {
        p.id_number: p
        for p in people_selectors.people_in_scope(scope=scope).filter(id_number_q(numbers))
    }
    # Years from the one a person left the scope in are the new organization's to record.
    left = people_selectors.left_scope_dates(
        scope=scope, people=[p.pk for p in people.values()], on=timezone.localdate()
    )
    existing = {
        (a.person_id, a.year): a
        for a in AnnualAssessment.objects.filter(person__in=people.values())
    }
    seen: dict[tuple[int, int], int] = {}
    for row_number, row in parsed:
        number = row.get("id_number")
        if not number:
            continue
        person = people.get(number)
        if person is None:
            result.problems.append(
                _problem(
                    row_number,
                    ID_NUMBER.header,
                    number,
                    "找不到该身份证号的人员，或不在您的管理范围内",
                )
            )
            continue
        if row.get("name") and row["name"] != person.name:
            result.problems.append(
                _problem(
                    row_number,
                    NAME.header,
                    row["name"],
                    f"姓名与身份证号不符（系统中为“{person.name}”）",
                )
            )
            continue
        if "year" not in row or "grade" not in row or "grade_set" not in row:
            continue
        if person.pk in left and date(row["year"], 12, 31) >= left[person.pk]:
            what = f"{row['year']}年度考核"
            result.problems.append(
                _problem(
                    row_number,
                    YEAR.header,
                    row["year"],
                    people_selectors.after_leaving_message(
                        person=person, left=left[person.pk], what=what
                    ),
                )
            )
            continue
        key = (person.pk, row["year"])
        if key in seen:
            result.problems.append(
                _problem(
                    row_number,
                    YEAR.header,
                    row["year"],
                    f"与第{seen[key]}行重复：同一人同一年度只能有一个考核结果",
                )
            )
            continue
        seen[key] = row_number
        record = existing.get(key) or AnnualAssessment(person=person, year=row["year"])
        before = (record.grade, record.grade_set, record.reason, record.unit)
        record.grade = row["grade"]
        record.grade_set = row["grade_set"]
        record.reason = row.get("reason", "")
        record.unit = row.get("unit", "")
        try:
            services.prepare_assessment(record)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = {
                    "grade": GRADE.header,
                    "grade_set": GRADE_SET.header,
                    "reason": REASON.header,
                    "year": YEAR.header,
                }.get(name)
                value = {
                    GRADE.header: record.get_grade_display(),
                    REASON.header: record.reason,
                    YEAR.header: record.year,
                }.get(column, "")
                for message in messages:
                    result.problems.append(_problem(row_number, column, value, message))
            continue
        if record.pk is None:
            result.created += 1
        elif before == (record.grade, record.grade_set, record.reason, record.unit):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        result.rows.append(record)
    order = {column.header: index for index, column in enumerate(COLUMNS)}
    result.problems.sort(key=lambda p: (p["row"] or 0, order.get(p["column"], len(order))))
    if result.problems:
        result.rows = []
        result.created = result.updated = result.unchanged = 0
    return result


@transaction.atomic
def import_file(*, data: bytes, filename: str, scope: Scope, by) -> ImportResult:
    """Check the whole file, then write all of it or, on any problem, nothing."""
    result = check_file(data=data, filename=filename, scope=scope)
    if result.ok:
        for record in result.rows:
            services.assessment_save(assessment=record, by=by)
    return result
