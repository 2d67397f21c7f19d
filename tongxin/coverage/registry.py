"""The registry workbook (两新组织名册, COVERAGE.md): its columns, the check and the import, undo
(the template and the export are written by ``export``).

The file is read with core's workbook reader (python-calamine) and the roster's column
parsers (tongxin.io.columns). Every row is checked, then written through the registry's own
services inside one transaction — rolled back after a check, kept after a confirmed import — so
the check reports exactly what the import will do: the organizations it adds, deregisters and
changes, with each change spelled out. Any mistake anywhere refuses the whole file, every mistake
listed by row, column, value and reason. A re-import of the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core.scope import Scope
from tongxin.core.xlsx.reader import ReadError, read_workbook
from tongxin.io.columns import (
    GUIDE_SHEET,
    OPTIONS_SHEET,
    CellError,
    Column,
    parse_value,
    parser,
)
from tongxin.io.importer.plan import Progress, _collector_paused, _no_progress
from tongxin.io.report import format_problem
from tongxin.orgs import selectors as org_selectors

from . import selectors, services
from .models import (
    MassKind,
    MassOrganization,
    NewOrganization,
    NewOrgKind,
    PartyForm,
    PartyMemberCount,
    PartyOrgForm,
    RegistryImport,
    clean_credit_code,
)

SHEET = "两新组织"
YES_NO = ("是", "否")

CODE = Column("统一社会信用代码", "credit_code", True, "code", max_length=30, width=22)
NAME = Column("名称", "name", True, "text", max_length=200, width=28)
KIND = Column("类型", "kind", True, "text", choices=tuple(NewOrgKind.labels), width=10)
AREA = Column("所在组织编码", "area", True, "code", max_length=50, width=14)
INDUSTRY = Column("行业", "industry", False, "text", max_length=100, width=14)
EMPLOYEES = Column("从业人员数", "employees", False, "text", max_length=9, width=10)
ABOVE_SIZE = Column("规模以上", "above_size", False, "bool", choices=YES_NO, width=8)
FOUNDED = Column("成立日期", "founded", False, "date", width=12)
DEREGISTERED = Column("注销日期", "deregistered", False, "date", width=12)
MEMBERS = Column("党员人数", "members", False, "text", max_length=9, width=8)
FORM = Column("党组织形式", "form", False, "text", choices=tuple(PartyForm.labels), width=14)
FORM_START = Column("党组织建立日期", "form_start", False, "date", width=14)
PARTY_ORG = Column("党组织编码", "party_org", False, "code", max_length=50, width=14)
UNION = Column("工会建立日期", MassKind.UNION, False, "date", width=14)
YOUTH = Column("团组织建立日期", MassKind.YOUTH_LEAGUE, False, "date", width=14)
WOMEN = Column("妇女组织建立日期", MassKind.WOMEN, False, "date", width=16)
CHAIR = Column("工会主席是否党员", "chair", False, "bool", choices=YES_NO, width=14)
NOTE = Column("备注", "note", False, "text", width=20)
COLUMNS = (
    CODE, NAME, KIND, AREA, INDUSTRY, EMPLOYEES, ABOVE_SIZE, FOUNDED, DEREGISTERED, MEMBERS,
    FORM, FORM_START, PARTY_ORG, UNION, YOUTH, WOMEN, CHAIR, NOTE,
)  # fmt: skip
MASS_COLUMNS = {MassKind.UNION: UNION, MassKind.YOUTH_LEAGUE: YOUTH, MassKind.WOMEN: WOMEN}
# The choices as plain values, read once: an enum's ``values`` and ``choices`` build their lists
# anew at each use, which cost a tenth of a 10,000-row import (bench/README.md, Coverage).
MASS_KINDS = tuple(MassKind.values)
KIND_LABELS = dict(NewOrgKind.choices)
FORM_LABELS = dict(PartyForm.choices)

HELP = {
    CODE: "18位，含校验码（GB 32100）；每个组织一行，按此代码更新",
    KIND: "企业 或 社会组织",
    AREA: "所在社区或街道在组织机构中的编码",
    EMPLOYEES: "整数",
    MEMBERS: "截至变动生效日期的党员人数（整数）",
    FORM: "单独组建、联合组建、党建工作指导员、无；空白表示不变",
    FORM_START: "上列党组织形式的开始日期；空白按变动生效日期",
    PARTY_ORG: "单独组建的，本单位党组织在组织机构中的编码",
    UNION: "空白表示没有（已有的按变动生效日期撤销）",
    YOUTH: "同上",
    WOMEN: "同上",
}


@dataclass
class Result:
    problems: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    total_rows: int = 0
    absent: int = 0  # registered in the scope, not in the file

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for p in self.preview if p["action"] == action)

    def messages(self) -> list[str]:
        return [format_problem(p) for p in self.problems]


def _problem(row, column: Column | None, value, reason: str, sheet=SHEET) -> dict:
    shown = "" if value is None else str(value)
    header = column.header if column is not None else None
    return {"sheet": sheet, "row": row, "column": header, "value": shown, "reason": reason}


# --- snapshots: what a row wrote, compared before and after --------------------------------

_FIELDS = (
    "name", "kind", "area_id", "industry", "employees", "above_size", "founded",
    "deregistered", "union_chair_party_member", "note",
)  # fmt: skip


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def snapshot(new_org: NewOrganization | None) -> dict | None:
    """Everything the registry holds of ``new_org``, as plain JSON values."""
    if new_org is None or new_org.pk is None:
        return None
    return {
        "fields": {name: _iso(getattr(new_org, name)) for name in _FIELDS},
        "forms": [
            [f, _iso(s), _iso(e), p]
            for f, s, e, p in new_org.forms.order_by("start").values_list(
                "form", "start", "end", "party_org_id"
            )
        ],
        "mass": [
            [k, _iso(s), _iso(e)]
            for k, s, e in new_org.mass.order_by("kind", "start").values_list(
                "kind", "start", "end"
            )
        ],
        "members": [
            [_iso(o), c] for o, c in new_org.member_counts.order_by("on").values_list("on", "count")
        ],
    }


def snapshots(ids: list[int]) -> dict[int, dict]:
    """``snapshot`` of each of ``ids``, in a few queries."""
    found: dict[int, dict] = {}
    for new_org in NewOrganization.objects.filter(pk__in=ids):
        found[new_org.pk] = {
            "fields": {name: _iso(getattr(new_org, name)) for name in _FIELDS},
            "forms": [],
            "mass": [],
            "members": [],
        }
    for org_id, f, s, e, p in (
        PartyOrgForm.objects.filter(new_org_id__in=ids)
        .order_by("new_org_id", "start")
        .values_list("new_org_id", "form", "start", "end", "party_org_id")
    ):
        found[org_id]["forms"].append([f, _iso(s), _iso(e), p])
    for org_id, k, s, e in (
        MassOrganization.objects.filter(new_org_id__in=ids)
        .order_by("new_org_id", "kind", "start")
        .values_list("new_org_id", "kind", "start", "end")
    ):
        found[org_id]["mass"].append([k, _iso(s), _iso(e)])
    for org_id, o, c in (
        PartyMemberCount.objects.filter(new_org_id__in=ids)
        .order_by("new_org_id", "on")
        .values_list("new_org_id", "on", "count")
    ):
        found[org_id]["members"].append([_iso(o), c])
    return found


def _unchanged(row: dict, before: dict | None, on: date) -> bool:
    """Whether the services would leave the organization of ``before`` as it is for ``row``:
    the same values, and for each fact the case where its service changes nothing (the same
    latest form from the same start, the same mass organizations in force from the same dates,
    the same latest count). Any doubt answers False, and the row goes through the services."""
    if before is None:
        return False
    new_org = _new_org_of(row)
    if {name: _iso(getattr(new_org, name)) for name in _FIELDS} != before["fields"]:
        return False
    if row.get("form"):
        forms = before["forms"]
        wanted = [row["form"], _iso(row.get("form_start") or on)]
        party_org = getattr(row.get("party_org"), "pk", None)
        if not forms or forms[-1][:2] != wanted or forms[-1][3] != party_org:
            return False
    for kind in MASS_KINDS:
        current = [m for m in before["mass"] if m[0] == kind and m[2] is None]
        start = row.get(kind)
        if start is None and current:
            return False
        if start is not None and (not current or current[-1][1] != _iso(start)):
            return False
    if row.get("members") is not None:
        earlier = [m for m in before["members"] if m[0] <= _iso(on)]
        if not earlier or earlier[-1][1] != row["members"]:
            return False
    return True


_FIELD_LABELS = {
    "name": "名称", "kind": "类型", "area_id": "所在组织", "industry": "行业",
    "employees": "从业人员数", "above_size": "规模以上", "founded": "成立日期",
    "deregistered": "注销日期", "union_chair_party_member": "工会主席是否党员", "note": "备注",
}  # fmt: skip


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def describe_changes(before: dict, after: dict) -> list[str]:
    """What changed between two snapshots, as staff read it."""
    found = []
    for name, label in _FIELD_LABELS.items():
        old, new = before["fields"][name], after["fields"][name]
        if old != new:
            if name == "kind":
                old, new = NewOrgKind(old).label, NewOrgKind(new).label
            found.append(f"{label}：{_shown(old)} → {_shown(new)}")
    labels = dict(PartyForm.choices)
    if before["forms"] != after["forms"]:

        def last(forms):
            return f"{labels[forms[-1][0]]}（{forms[-1][1]}起）" if forms else "（无记录）"

        found.append(f"党组织形式：{last(before['forms'])} → {last(after['forms'])}")
    mass = dict(MassKind.choices)
    for kind, label in mass.items():
        old = [m for m in before["mass"] if m[0] == kind]
        new = [m for m in after["mass"] if m[0] == kind]
        if old != new:
            found.append(f"{label}：{_mass_text(old)} → {_mass_text(new)}")
    if before["members"] != after["members"]:
        old = before["members"][-1][1] if before["members"] else "（无记录）"
        new = after["members"][-1][1] if after["members"] else "（无记录）"
        found.append(f"党员人数：{old} → {new}")
    return found


def _mass_text(records) -> str:
    if not records:
        return "无"
    kind, start, end = records[-1]
    return f"{start}建立" + (f"，{end}撤销" if end else "")


def restore(new_org_id: int, snap: dict) -> None:
    """Put the organization back as ``snap`` had it (undo)."""
    new_org = NewOrganization.objects.get(pk=new_org_id)
    for name, value in snap["fields"].items():
        field_name = name.removesuffix("_id")
        model_field = NewOrganization._meta.get_field(field_name)
        setattr(new_org, model_field.attname, model_field.to_python(value))
    new_org.save()
    new_org.forms.all().delete()
    new_org.mass.all().delete()
    new_org.member_counts.all().delete()
    for form, start, end, party_org_id in snap["forms"]:
        new_org.forms.create(form=form, start=start, end=end, party_org_id=party_org_id)
    for kind, start, end in snap["mass"]:
        new_org.mass.create(kind=kind, start=start, end=end)
    for on, count in snap["members"]:
        new_org.member_counts.create(on=on, count=count)


# --- reading ---------------------------------------------------------------------------------


def _choice(labels: dict[str, str], raw, what: str) -> str:
    text = "".join(str(raw).split())
    for value, label in labels.items():
        if text in (label, value):
            return value
    raise CellError(f"“{raw}”不是可选的{what}，应为：{'、'.join(labels.values())}")


def _count(raw, what: str) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if isinstance(raw, bool) or not (text.isascii() and text.isdigit()):
        raise CellError(f"{what}应为不小于0的整数")
    return int(text)


# Text cells are not cached by ``parse_value``, which builds the column's reader for each:
# these are built once.
def _reader(column: Column):
    read = parser(column)
    return lambda _column, raw: read(raw)


_READERS = {column: _reader(column) for column in COLUMNS if column.kind == "text"}


def _read_row(values, positions) -> tuple[dict, list[tuple[Column, object, str]]]:
    row: dict = {}
    errors = []
    for column in COLUMNS:
        position = positions[column.key]
        raw = values[position] if position is not None else None
        try:
            if column.required and (raw is None or str(raw).strip() == ""):
                raise CellError(f"{column.header}必填")
            if column is CODE:
                try:
                    row["credit_code"] = clean_credit_code(str(raw))
                except ValidationError as exc:
                    raise CellError(exc.messages[0]) from exc
            elif column is KIND:
                row["kind"] = _choice(KIND_LABELS, raw, "类型")
            elif column is FORM:
                blank = raw is None or str(raw).strip() == ""
                row["form"] = "" if blank else _choice(FORM_LABELS, raw, "党组织形式")
            elif column is EMPLOYEES or column is MEMBERS:
                row[column.key] = _count(raw, column.header)
            else:
                row[column.key] = _READERS.get(column, parse_value)(column, raw)
        except CellError as exc:
            errors.append((column, raw, str(exc)))
    return row, errors


def read(*, data: bytes, filename: str, scope: Scope, result: Result) -> list[tuple[int, dict]]:
    """The file's rows, checked cell by cell and against the tree; problems go to ``result``."""
    try:
        sheets, structural = read_workbook(
            data, filename, {SHEET: COLUMNS}, skip_sheets=(GUIDE_SHEET, OPTIONS_SHEET)
        )
    except ReadError as exc:
        result.problems.append(_problem(None, None, None, str(exc), sheet=""))
        return []
    for problem in structural:
        if not problem.warning:
            result.problems.append(
                {
                    "sheet": problem.sheet,
                    "row": problem.row,
                    "column": problem.column,
                    "value": problem.value,
                    "reason": problem.reason,
                }
            )
    sheet = sheets.get(SHEET)
    if sheet is None or not sheet.rows:
        if not result.problems:
            result.problems.append(_problem(None, None, None, f"文件中没有“{SHEET}”工作表的数据"))
        return []
    positions = {column.key: sheet.index(column) for column in COLUMNS}
    rows = []
    seen: dict[str, int] = {}
    for row_number, values in sheet.rows:
        row, errors = _read_row(values, positions)
        for column, raw, reason in errors:
            result.problems.append(_problem(row_number, column, raw, reason))
        code = row.get("credit_code")
        if code:
            if code in seen:
                result.problems.append(
                    _problem(row_number, CODE, code, f"与第{seen[code]}行的统一社会信用代码重复")
                )
            seen.setdefault(code, row_number)
        rows.append((row_number, row))
    result.total_rows = len(rows)
    _resolve_nodes(rows, scope=scope, result=result)
    return rows


NO_NODE = "组织机构中没有这个编码，或不在您的管理范围内"
ONLY_SINGLE = "只有单独组建的才填党组织编码"


def _resolve_nodes(rows, *, scope: Scope, result: Result) -> None:
    """Area and party-organization codes become nodes of the user's scope."""
    codes = {row.get(key) for _n, row in rows for key in ("area", "party_org")} - {None, ""}
    nodes = {
        o.code: o for o in org_selectors.organizations(scope=scope).filter(code__in=list(codes))
    }
    for row_number, row in rows:
        for column in (AREA, PARTY_ORG):
            code = row.get(column.key)
            if not code:
                row[column.key] = None
                continue
            node = nodes.get(code)
            if node is None:
                result.problems.append(
                    _problem(
                        row_number, column, code, "组织机构中没有这个编码，或不在您的管理范围内"
                    )
                )
            row[column.key] = node
        if row.get("party_org") is not None and row.get("form") != PartyForm.SINGLE:
            result.problems.append(
                _problem(
                    row_number, PARTY_ORG, row["party_org"].code, "只有单独组建的才填党组织编码"
                )
            )


# --- checking and writing ------------------------------------------------------------------


def _write_row(row: dict, new_org: NewOrganization | None, on: date) -> NewOrganization:
    """One row through the services (the rules of every way in)."""
    if new_org is None:
        new_org = NewOrganization(credit_code=row["credit_code"])
    new_org.name = row["name"]
    new_org.kind = row["kind"]
    new_org.area = row["area"]
    new_org.industry = row.get("industry") or ""
    new_org.employees = row.get("employees")
    new_org.above_size = bool(row.get("above_size"))
    new_org.founded = row.get("founded")
    new_org.deregistered = row.get("deregistered")
    new_org.union_chair_party_member = row.get("chair")
    new_org.note = row.get("note") or ""
    services.new_org_save(new_org=new_org)
    if row.get("form"):
        services.party_form_set(
            new_org=new_org,
            form=row["form"],
            start=row.get("form_start") or on,
            party_org=row.get("party_org"),
        )
    for kind in MASS_KINDS:
        services.mass_org_set(new_org=new_org, kind=kind, start=row.get(kind), on=on)
    if row.get("members") is not None:
        services.party_members_record(new_org=new_org, on=on, count=row["members"])
    return new_org


_ERROR_COLUMNS = {
    "credit_code": CODE, "name": NAME, "kind": KIND, "area": AREA, "founded": FOUNDED,
    "deregistered": DEREGISTERED, "employees": EMPLOYEES,
}  # fmt: skip


def _action(before: dict | None, after: dict) -> str:
    if before is None:
        return "new"
    if before == after:
        return "unchanged"
    if after["fields"]["deregistered"] and not before["fields"]["deregistered"]:
        return "deregistered"
    return "changed"


def run(
    *,
    data: bytes,
    filename: str,
    scope: Scope,
    on: date,
    write: bool,
    progress: Progress = _no_progress,
) -> Result:
    """Check the whole file (``write`` False: nothing is kept) or import it (all or nothing).

    ``progress(phase, done, total)`` hears of the rows gone through, as the roster import's
    callers do (phase "check", or "write" when ``write``). The cycle collector is paused as in
    the roster import: run over the rows' objects again and again, it took a third of the
    time of a 10,000-row import (bench/README.md, Coverage)."""
    with _collector_paused():
        return _run(
            data=data, filename=filename, scope=scope, on=on, write=write, progress=progress
        )


# Rows between two reports of progress.
PROGRESS_EVERY = 500


def _run(
    *, data: bytes, filename: str, scope: Scope, on: date, write: bool, progress: Progress
) -> Result:
    phase = "write" if write else "check"
    result = Result()
    rows = read(data=data, filename=filename, scope=scope, result=result)
    if result.problems:
        result.problems.sort(key=lambda p: p["row"] or 0)
        return result
    codes = [row["credit_code"] for _n, row in rows]
    existing = {o.credit_code: o for o in NewOrganization.objects.filter(credit_code__in=codes)}
    in_scope = set(
        selectors.new_orgs(scope=scope).filter(credit_code__in=codes).values_list("pk", flat=True)
    )
    # The batch is the record of what the import wrote (with every value before and after),
    # as the roster import's is: auditlog's entry for each record cost most of the import.
    total = len(rows)
    progress(phase, 0, total)
    with transaction.atomic(), disable_auditlog():
        new_rows = [(n, row) for n, row in rows if row["credit_code"] not in existing]
        _create_new(new_rows, on, result)
        done = len(new_rows)
        progress(phase, done, total)
        befores = snapshots([o.pk for o in existing.values() if o.pk in in_scope])
        for row_number, row in rows:
            if row["credit_code"] not in existing:
                continue
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(phase, done, total)
            new_org = existing.get(row["credit_code"])
            if new_org is not None and new_org.pk not in in_scope:
                result.problems.append(
                    _problem(
                        row_number,
                        CODE,
                        row["credit_code"],
                        f"该代码的组织已登记在“{new_org.area.name}”，不在您的管理范围内",
                    )
                )
                continue
            before = befores.get(new_org.pk)
            if _unchanged(row, before, on):
                try:
                    services.check_new_org(_new_org_of(row))
                except ValidationError as exc:
                    _refused(exc, row_number, row, result)
                    continue
                result.preview.append(
                    {
                        "row": row_number,
                        "code": row["credit_code"],
                        "name": row["name"],
                        "action": "unchanged",
                        "changes": [],
                    }
                )
                continue
            point = transaction.savepoint()
            try:
                new_org = _write_row(row, new_org, on)
            except ValidationError as exc:
                transaction.savepoint_rollback(point)
                _refused(exc, row_number, row, result)
                continue
            transaction.savepoint_commit(point)
            after = snapshot(new_org)
            action = _action(before, after)
            result.preview.append(
                {
                    "row": row_number,
                    "code": row["credit_code"],
                    "name": row["name"],
                    "action": action,
                    "changes": describe_changes(before, after) if before else [],
                }
            )
            if action != "unchanged":
                result.changes.append({"id": new_org.pk, "before": before, "after": after})
        if result.problems or not write:
            transaction.set_rollback(True)
    progress(phase, total, total)
    result.absent = (
        selectors.new_orgs(scope=scope)
        .filter(selectors.registered_q(on))
        .exclude(credit_code__in=codes)
        .count()
    )
    if result.problems:
        result.preview, result.changes = [], []
    result.problems.sort(key=lambda p: p["row"] or 0)
    result.preview.sort(key=lambda p: p["row"])
    return result


def _refused(exc: ValidationError, row_number: int, row: dict, result: Result) -> None:
    """A service's refusal as problems of the row, on the column it names."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for name, texts in items:
        column = _ERROR_COLUMNS.get(name)
        value = row.get(name) if name else ""
        for text in texts:
            result.problems.append(_problem(row_number, column, value, text))


def _new_org_of(row: dict) -> NewOrganization:
    return NewOrganization(
        credit_code=row["credit_code"],
        name=row["name"],
        kind=row["kind"],
        area=row["area"],
        industry=row.get("industry") or "",
        employees=row.get("employees"),
        above_size=bool(row.get("above_size")),
        founded=row.get("founded"),
        deregistered=row.get("deregistered"),
        union_chair_party_member=row.get("chair"),
        note=row.get("note") or "",
    )


def _create_new(rows, on: date, result: Result) -> None:
    """The rows of organizations the registry does not have yet, written in batches.

    A new organization has no facts to end or correct, so each service's rule reduces to its
    check (services.check_*, the very rules the services apply) and a plain insert: the first
    import of an area's list (thousands of rows) takes a few queries, not a few per row."""
    planned = []
    for row_number, row in rows:
        new_org = _new_org_of(row)
        try:
            services.check_new_org(new_org)
            if row.get("form"):
                services.check_form(
                    new_org=new_org,
                    form=row["form"],
                    start=row.get("form_start") or on,
                    party_org=row.get("party_org"),
                )
            for kind in MASS_KINDS:
                services.check_mass(new_org=new_org, kind=kind, start=row.get(kind))
            if row.get("members") is not None:
                services.check_members(row["members"])
        except ValidationError as exc:
            _refused(exc, row_number, row, result)
            continue
        planned.append((row_number, row, new_org))
    if result.problems or not planned:
        return
    NewOrganization.objects.bulk_create([p[2] for p in planned], batch_size=500)
    # The facts name their organization by its id: setting the object goes through the
    # relation's descriptor and cache, a third of the cost of building 30,000 records.
    forms, mass, counts = [], [], []
    for _n, row, new_org in planned:
        if row.get("form"):
            forms.append(
                PartyOrgForm(
                    new_org_id=new_org.pk,
                    form=row["form"],
                    start=row.get("form_start") or on,
                    party_org_id=getattr(row.get("party_org"), "pk", None),
                )
            )
        for kind in MASS_KINDS:
            if row.get(kind):
                mass.append(MassOrganization(new_org_id=new_org.pk, kind=kind, start=row[kind]))
        if row.get("members") is not None:
            counts.append(PartyMemberCount(new_org_id=new_org.pk, on=on, count=row["members"]))
    PartyOrgForm.objects.bulk_create(forms, batch_size=1000)
    MassOrganization.objects.bulk_create(mass, batch_size=1000)
    PartyMemberCount.objects.bulk_create(counts, batch_size=1000)
    for row_number, row, new_org in planned:
        form = row.get("form")
        after = {
            "fields": {name: _iso(getattr(new_org, name)) for name in _FIELDS},
            "forms": [[form, _iso(row.get("form_start") or on), None,
                       getattr(row.get("party_org"), "pk", None)]] if form else [],
            "mass": [[kind, _iso(row[kind]), None] for kind in sorted(MASS_KINDS)
                     if row.get(kind)],
            "members": [[_iso(on), row["members"]]] if row.get("members") is not None else [],
        }  # fmt: skip
        result.preview.append(
            {
                "row": row_number,
                "code": row["credit_code"],
                "name": row["name"],
                "action": "new",
                "changes": [],
            }
        )
        result.changes.append({"id": new_org.pk, "before": None, "after": after})


@transaction.atomic
def import_file(
    *,
    data: bytes,
    filename: str,
    scope: Scope,
    on: date,
    by,
    batch: RegistryImport | None = None,
    progress: Progress = _no_progress,
) -> RegistryImport:
    """Import the file as one undoable batch: written whole, or refused whole with its report."""
    return _into_batch(
        data=data, filename=filename, scope=scope, on=on, by=by, batch=batch, progress=progress,
        write=True,
    )  # fmt: skip


def check_file(
    *,
    data: bytes,
    filename: str,
    scope: Scope,
    on: date,
    by,
    batch: RegistryImport | None = None,
    progress: Progress = _no_progress,
) -> RegistryImport:
    """Check the file and keep it with its report, for staff to confirm."""
    return _into_batch(
        data=data, filename=filename, scope=scope, on=on, by=by, batch=batch, progress=progress,
        write=False,
    )  # fmt: skip


def _into_batch(*, data, filename, scope, on, by, batch, progress, write: bool) -> RegistryImport:
    """Run the file (``write``: for real) and keep it with its report in ``batch`` (a new one
    when None): done or checked when it passes, rejected when not."""
    result = run(data=data, filename=filename, scope=scope, on=on, write=write, progress=progress)
    if batch is None:
        batch = RegistryImport(created_by=by, file_name=filename, content=data, effective_date=on)
    _fill(batch, result)
    passed = RegistryImport.Status.DONE if write else RegistryImport.Status.CHECKED
    if not write:
        batch.changes = []
    batch.status = passed if result.ok else RegistryImport.Status.REJECTED
    batch.save()
    return batch


def counts(preview: list[dict], *, unchanged: int | None = None) -> str:
    """What a check or an import does, in one line."""
    found = {a: sum(1 for p in preview if p["action"] == a) for a in ACTIONS}
    if unchanged is not None:
        found["unchanged"] = unchanged
    return "，".join(f"{label} {found[a]} 个" for a, label in ACTIONS.items())


ACTIONS = {"new": "新增", "deregistered": "注销", "changed": "变更", "unchanged": "未变化"}


def _fill(batch: RegistryImport, result: Result) -> None:
    batch.total_rows = result.total_rows
    batch.errors = result.problems
    batch.preview = [p for p in result.preview if p["action"] != "unchanged"]
    batch.changes = result.changes
    batch.created = result.count("new")
    batch.changed = result.count("changed")
    batch.deregistered = result.count("deregistered")
    batch.unchanged = result.count("unchanged")


def undo_blockers(batch: RegistryImport) -> list[str]:
    if batch.status != RegistryImport.Status.DONE:
        return [f"只有已完成的导入可以撤销（当前状态：{batch.get_status_display()}）"]
    reasons = []
    found = NewOrganization.objects.in_bulk([c["id"] for c in batch.changes])
    for change in batch.changes:
        new_org = found.get(change["id"])
        name = change["after"]["fields"]["name"]
        if new_org is None:
            reasons.append(f"“{name}”已被删除")
        elif snapshot(new_org) != change["after"]:
            reasons.append(f"“{name}”在导入后又被修改过")
        if len(reasons) >= 10:
            break
    return reasons


@transaction.atomic
def undo(*, batch: RegistryImport, by) -> None:
    """Put back what the batch found: remove what it added, restore what it changed."""
    batch = RegistryImport.objects.select_for_update().get(pk=batch.pk)
    reasons = undo_blockers(batch)
    if reasons:
        raise ValidationError("不能撤销：" + "；".join(reasons))
    for change in reversed(batch.changes):
        if change["before"] is None:
            NewOrganization.objects.filter(pk=change["id"]).delete()
        else:
            restore(change["id"], change["before"])
    batch.status = RegistryImport.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = by
    batch.save(update_fields=["status", "undone_at", "undone_by"])
