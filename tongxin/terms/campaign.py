"""A campaign of elections (集中换届) recorded from one workbook: one row per seat.

A district renews dozens of party organizations in a few weeks and keeps them in one sheet.
Rows of one organization and one election day make one election; each election goes through
``services.election_record``, the election form's own rules, in the order of its day. The whole
file is one transaction: a mistake in any row — a cell that cannot be read, an organization or
person outside the uploader's scope, an election the form would refuse — writes nothing, and
every mistake is listed with its row, column and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core.scope import Scope
from tongxin.io import onesheet
from tongxin.io.columns import CellError, Column, parse_value
from tongxin.io.report import format_problem
from tongxin.orgs import selectors as org_selectors
from tongxin.people import selectors as people_selectors
from tongxin.people.models import id_number_q

from . import services
from .models import SeatTitle, Term

SHEET = "换届选举"

ORG = Column(
    "组织编码", "org", True, "code", max_length=50, width=14, help="选举的党组织在系统中的编码"
)
HELD_ON = Column("选举日期", "held_on", True, "date", width=12, help="如 2026-05-20")
NUMBER = Column(
    "届次", "number", False, "text", width=8, help="数字，如 3；不填则为该组织上一届之后的一届"
)
ENTITLED = Column("应参加选举人数", "entitled", True, "text", width=14, help="正整数")
VOTED = Column("参加投票人数", "voted", True, "text", width=14, help="不多于应参加选举人数")
TITLE = Column("职务", "title", True, "text", choices=tuple(SeatTitle.labels), width=12)
NAME = Column("姓名", "name", True, "text", max_length=50, width=10)
ID_NUMBER = Column("身份证号", "id_number", True, "id_number", width=22)
DUE_END = Column("应届满日期", "due_end", False, "date", width=12, help="不填则为选举日期后五年")
DOCUMENT_NO = Column("批复文号", "document_no", False, "text", max_length=100, width=18)
COLUMNS = (ORG, HELD_ON, NUMBER, ENTITLED, VOTED, TITLE, NAME, ID_NUMBER, DUE_END, DOCUMENT_NO)
# The election's own figures: every row of one election must give the same.
ELECTION_COLUMNS = (NUMBER, ENTITLED, VOTED, DUE_END, DOCUMENT_NO)
# Which column a refusal of election_record is about.
FIELD_COLUMNS = {
    "held_on": HELD_ON,
    "number": NUMBER,
    "entitled": ENTITLED,
    "voted": VOTED,
    "due_end": DUE_END,
    "seats": TITLE,
}

NOTES = (
    "每个班子成员一行；同一组织、同一选举日期的各行是一次换届选举，选举的数字（届次、人数、"
    "届满日期、文号）各行应相同。",
    "整个文件检查无误才会导入；有任何错误时不登记任何一次选举，并列出每个错误。",
    "规则与“换届选举”表单相同：届次按顺序，班子成员须是该组织及其下级组织的在册成员，"
    "只能有一名主要负责人（主委、支部主委或书记）。",
)


@dataclass
class Election:
    """The rows of one election, as read."""

    org: object
    held_on: date
    rows: list[int] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    seats: list[services.Seat] = field(default_factory=list)


@dataclass
class CampaignResult:
    problems: list[dict] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seats: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def messages(self) -> list[str]:
        return [format_problem(p) for p in self.problems]


class _Refused(Exception):
    """Raised inside the transaction to take back what the elections before wrote."""


def template_workbook() -> bytes:
    return onesheet.template(SHEET, COLUMNS, NOTES)


def _problem(row, column: Column | None, value, reason: str) -> dict:
    return onesheet.problem(row, column.header if column else None, value, reason, sheet=SHEET)


def _count(raw, column: Column) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip() if raw is not None else ""
    if not text.isdecimal() or int(text) < (0 if column is VOTED else 1):
        raise CellError(f"{column.header}应为正整数")
    return int(text)


def _read_row(values: list, sheet, row_number: int, problems: list[dict]) -> dict:
    row: dict = {}
    for column in COLUMNS:
        raw = onesheet.cell(sheet, values, column)
        try:
            if raw is None or str(raw).strip() == "":
                if column.required:
                    raise CellError(f"{column.header}必填")
                row[column.key] = None
            elif column in (ENTITLED, VOTED):
                row[column.key] = _count(raw, column)
            elif column is NUMBER:
                row["number"] = _count(raw, NUMBER)
            elif column is TITLE:
                title = str(raw).strip()
                if title not in SeatTitle.values:
                    raise CellError(f"“{title}”不是可选的职务，应为：{'、'.join(SeatTitle.labels)}")
                row["title"] = title
            else:
                row[column.key] = parse_value(column, raw)
        except CellError as exc:
            problems.append(_problem(row_number, column, raw, str(exc)))
    return row


def check_file(*, data: bytes, filename: str, scope: Scope) -> tuple[list[Election], list[dict]]:
    """Read the file and gather its elections; nothing is written. Problems of the cells, the
    scope and the rows' agreement are found here; the election rules when they are written."""
    sheet, problems = onesheet.read_sheet(
        data=data, filename=filename, sheet_name=SHEET, columns=COLUMNS, empty="文件中没有换届数据"
    )
    if sheet is None:
        return [], problems
    parsed = [(n, _read_row(values, sheet, n, problems)) for n, values in sheet.rows]

    codes = {row["org"] for _n, row in parsed if row.get("org")}
    orgs = {o.code: o for o in org_selectors.organizations(scope=scope).filter(code__in=codes)}
    numbers = [row["id_number"] for _n, row in parsed if row.get("id_number")]
    people = {
        p.id_number: p
        for p in people_selectors.people_in_scope(scope=scope).filter(id_number_q(numbers))
    }
    elections: dict[tuple, Election] = {}
    for row_number, row in parsed:
        org = orgs.get(row.get("org"))
        if row.get("org") and org is None:
            reason = "找不到该编码的组织，或不在您的管理范围内"
            problems.append(_problem(row_number, ORG, row["org"], reason))
        person = people.get(row.get("id_number"))
        if row.get("id_number") and person is None:
            reason = "找不到该身份证号的人员，或不在您的管理范围内"
            problems.append(_problem(row_number, ID_NUMBER, row["id_number"], reason))
        elif person is not None and row.get("name") and row["name"] != person.name:
            reason = f"姓名与身份证号不符（系统中为“{person.name}”）"
            problems.append(_problem(row_number, NAME, row["name"], reason))
            person = None
        if org is None or person is None or not row.get("held_on") or not row.get("title"):
            continue
        election = elections.setdefault(
            (org.pk, row["held_on"]), Election(org=org, held_on=row["held_on"])
        )
        figures = {c.key: row.get(c.key) for c in ELECTION_COLUMNS}
        if not election.rows:
            election.figures = figures
        else:
            for column in ELECTION_COLUMNS:
                if figures[column.key] != election.figures[column.key]:
                    reason = (
                        f"与第{election.rows[0]}行是同一次选举（{org} {row['held_on']:%Y-%m-%d}），"
                        f"{column.header}应相同"
                    )
                    problems.append(_problem(row_number, column, figures[column.key], reason))
        election.rows.append(row_number)
        election.seats.append(services.Seat(person=person, title=row["title"]))
    return sorted(elections.values(), key=lambda e: (e.held_on, e.org.path)), problems


def _where(election: Election) -> str:
    first, last = election.rows[0], election.rows[-1]
    rows = f"第{first}行" if first == last else f"第{first}至{last}行"
    return f"{rows}（{election.org} {election.held_on:%Y-%m-%d} 换届）"


def _record(election: Election, today: date) -> Term:
    figures = election.figures
    number = figures["number"]
    if number is None:
        latest = election.org.terms.order_by("-start").first()
        number = latest.number + 1 if latest else 1
    return services.election_record(
        org=election.org,
        number=number,
        held_on=election.held_on,
        entitled=figures["entitled"],
        voted=figures["voted"],
        seats=election.seats,
        due_end=figures["due_end"],
        document_no=figures["document_no"] or "",
        today=today,
    )


def import_file(
    *, data: bytes, filename: str, scope: Scope, dry_run: bool = False, today: date | None = None
) -> CampaignResult:
    """Check the file and record its elections, all or none. ``dry_run`` checks every election
    against the rules (writing and taking back) and keeps nothing."""
    today = today or timezone.localdate()
    result = CampaignResult()
    elections, result.problems = check_file(data=data, filename=filename, scope=scope)
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for election in elections:
                try:
                    term = _record(election, today)
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        column = FIELD_COLUMNS.get(key)
                        for message in messages:
                            result.problems.append(
                                _problem(
                                    election.rows[0], column, "", f"{_where(election)}：{message}"
                                )
                            )
                    continue
                result.terms.append(term)
                result.seats += len(election.seats)
                name = f"{election.org} {term.label}"
                result.warnings += [f"{name}：{w}（仅提醒）" for w in term.rule_warnings]
            if result.problems or dry_run:
                raise _Refused
    except _Refused:
        if result.problems:
            result.terms, result.seats, result.warnings = [], 0, []
    return result


def summary(result: CampaignResult) -> str:
    orgs = len({term.org_id for term in result.terms})
    return f"{orgs} 个组织换届 {len(result.terms)} 次，登记班子成员 {result.seats} 人"
