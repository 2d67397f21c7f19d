"""Roster import: check a whole workbook, then write it in one transaction, or undo it.

The check reads every row and resolves every organization and person before anything is
written; any error rejects the whole file. The write repeats the check against the database as
it is then, and records each record it creates or changes (``BatchChange``) so that the batch
can be undone while nothing later has touched those records.
"""

from __future__ import annotations

import datetime
import functools
import gc
import json
import operator
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import zip_longest

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tongxin.core import codes
from tongxin.core.bulk import JSONText, analyze, insert_rows, reserve_ids
from tongxin.core.fieldcrypt import lookup_hashes
from tongxin.core.pinyin import name_pinyin
from tongxin.core.scope import Scope
from tongxin.core.xlsx.reader import ReadError
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.people import services as people_services
from tongxin.people.models import (
    PERSON_FIELDS,
    MembershipSpell,
    Person,
    Post,
    id_number_hash_q,
)
from tongxin.people.rules import id_number_facts, member_status

from .columns import MEMBER_COLUMNS, MEMBER_SHEET, ORG_COLUMNS, ORG_SHEET, CellError, parser
from .models import BatchChange, ImportBatch
from .reading import read_roster

# A person's last change: an import's own record of it tells whether anything came later.
TOUCHED = ("updated_at",)
# What the undo of an updated person restores: the row's fields, and the political status a
# new spell sets.
UPDATED_PERSON_FIELDS = (*PERSON_FIELDS, "political_status")
# Cells that, left blank, keep what Tongxin already holds instead of clearing it.
KEEP_WHEN_BLANK = ("is_retired", "is_cross_member", "upper_middle", "title_level")
PROGRESS_EVERY = 1000
OUTSIDE_SCOPE_PERSON = "此人已在系统中登记，但不在您的管理范围内；请由其所在组织办理转出"
# The "before" of a created record: one object for all of them (the writer converts each
# distinct object once). Never mutated.
NOTHING: dict = {}
GOVERNMENT_POST_TITLE = "（名册登记的行政级别）"
# The organization fields a row sets (and an import's undo restores).
ORG_FIELDS = ("name", "kind", "established", "party")
# In the undo record of a person the import created: the spells and posts created with them,
# {model label: [[id, start, end], …]}, each to be compared and removed as if it had its own.
WITH = "with"


@dataclass
class OrgRow:
    row: int
    values: dict
    existing: Organization | None = None
    changes: dict = field(default_factory=dict)


@dataclass
class MemberRow:
    row: int
    values: dict
    # The person already in Tongxin: primary key and PERSON_FIELDS as stored (no model
    # instance: a re-import compares every row).
    existing: dict | None = None
    changes: dict = field(default_factory=dict)
    move_to: str | None = None  # org code of a new spell
    rank: str | None = None  # government rank to hold after the import ("" = none)
    party_titles: list[str] | None = None
    org: Organization | None = None  # None for an organization the same file creates
    person_id: int | None = None  # of a person the write created


@dataclass
class Plan:
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    orgs: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    total_rows: int = 0
    # ID number → its lookup hash under the current key, computed once for the check's lookups
    # and the write's new rows.
    hashes: dict[str, str] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(1 for m in self.members if m.existing is None)

    @property
    def updated(self) -> int:
        return sum(1 for m in self.members if m.existing is not None and _member_changes(m))

    @property
    def unchanged(self) -> int:
        return sum(1 for m in self.members if m.existing is not None and not _member_changes(m))

    @property
    def transferred(self) -> int:
        return sum(1 for m in self.members if m.existing is not None and m.move_to)

    @property
    def orgs_created(self) -> int:
        return sum(1 for o in self.orgs if o.existing is None)

    @property
    def orgs_updated(self) -> int:
        return sum(1 for o in self.orgs if o.existing is not None and o.changes)

    def error(self, sheet, row, column, value, reason) -> None:
        self.errors.append(
            {"sheet": sheet, "row": row, "column": column, "value": _shown(value), "reason": reason}
        )


def _member_changes(m: MemberRow) -> bool:
    return bool(m.changes or m.move_to or m.rank is not None or m.party_titles is not None)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:100]


Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


@contextmanager
def _collector_paused():
    """Python's cycle collector, run again and again over the objects an import holds, makes a
    write's time grow faster than its rows; the import creates no cycles worth collecting
    meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- check ------------------------------------------------------------------------------------


def check(
    *,
    data: bytes,
    filename: str,
    scope: Scope,
    effective_date: datetime.date,
    progress: Progress = _no_progress,
) -> Plan:
    """Check a whole workbook against the database; nothing is written."""
    with _collector_paused():
        return _check(
            data=data,
            filename=filename,
            scope=scope,
            effective_date=effective_date,
            progress=progress,
        )


def _check(
    *,
    data: bytes,
    filename: str,
    scope: Scope,
    effective_date: datetime.date,
    progress: Progress = _no_progress,
) -> Plan:
    plan = Plan()
    try:
        sheets, problems = read_roster(
            data, filename, {ORG_SHEET: ORG_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS}
        )
    except ReadError as exc:
        plan.error("", None, None, filename, str(exc))
        return plan
    for p in problems:
        target = plan.warnings if getattr(p, "warning", False) else plan.errors
        target.append(
            {
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "reason": p.reason,
            }
        )
    org_sheet, member_sheet = sheets.get(ORG_SHEET), sheets.get(MEMBER_SHEET)
    plan.total_rows = len(member_sheet.rows) if member_sheet else 0
    if member_sheet is None and org_sheet is None:
        if not plan.errors:
            empty = [w["sheet"] for w in plan.warnings if w["reason"] == "工作表为空"]
            reason = (
                f"工作表“{'”“'.join(empty)}”为空：没有表头，也没有数据"
                if empty
                else "找不到“成员名册”或“组织机构”工作表"
            )
            plan.error(MEMBER_SHEET, None, None, "", reason)
        return plan
    if plan.errors:
        return plan  # a structural problem makes every row suspect
    known_orgs = _check_orgs(plan, org_sheet, scope) if org_sheet else set()
    if member_sheet:
        _check_members(plan, member_sheet, scope, known_orgs, effective_date, progress)
    return plan


# Columns whose few distinct values repeat down a roster: each is parsed once per value.
REPEATING_KINDS = frozenset(
    {"choice", "bool", "retired", "title_level", "code", "date", "list", "text"}
)
_BLANK_VALUES = (None, "", [])
# Raw cells of these types can be equal across types (1 == 1.0 == True) and parse differently.
_NUMERIC_TYPES = frozenset({int, float, bool})


def _parse_column(column, cells: list) -> tuple[list, dict[int, str]]:
    """The parsed values of one column's raw ``cells``, and the reasons of the cells that
    could not be read, by position. A roster repeats 女, 大学本科, 在职 … down its columns:
    those are parsed once per distinct value and looked up for the rest."""
    failed: dict[int, str] = {}
    parse = parser(column)
    if column.kind not in REPEATING_KINDS:
        values = []
        append = values.append
        for i, raw in enumerate(cells):
            try:
                append(parse(raw))
            except CellError as exc:
                failed[i] = str(exc)
                append(None)
        return values, failed
    if len(_NUMERIC_TYPES.intersection(map(type, cells))) > 1:
        keys = [(type(raw), raw) for raw in cells]
        distinct = {key: key[1] for key in keys}
    else:
        keys = cells
        distinct = dict(zip(cells, cells, strict=True))
    parsed, reasons = {}, {}
    for key, raw in distinct.items():
        try:
            parsed[key] = parse(raw)
        except CellError as exc:
            parsed[key], reasons[key] = None, str(exc)
    values = list(map(parsed.__getitem__, keys))
    if reasons:
        failed = {i: reasons[key] for i, key in enumerate(keys) if key in reasons}
    return values, failed


def _parse_rows(plan: Plan, sheet, columns) -> list[tuple[int, dict, bool]]:
    """Every cell of ``sheet`` read column by column; (Excel row, values by key, no cell failed)
    per row. Every unreadable or missing required cell is an error on ``plan``."""
    by_header = {c.header: c for c in columns}
    index = {h: i for i, h in enumerate(sheet.headers) if h in by_header}
    row_numbers = [row_number for row_number, _cells in sheet.rows]
    raw_columns = list(zip_longest(*(cells for _r, cells in sheet.rows)))
    missing = [None] * len(row_numbers)
    parsed_columns = []
    problems: list[tuple[int, int, str, object, str]] = []  # row position, column, …
    for c, column in enumerate(columns):
        i = index.get(column.header)
        cells = raw_columns[i] if i is not None and i < len(raw_columns) else missing
        values, failed = _parse_column(column, cells)
        for r, reason in failed.items():
            problems.append((r, c, column.header, cells[r], reason))
        if column.required:
            for r, value in enumerate(values):
                if value in _BLANK_VALUES and r not in failed:
                    problems.append((r, c, column.header, "", f"“{column.header}”必须填写"))
        parsed_columns.append(values)
    problems.sort(key=lambda p: p[:2])  # the order of the sheet: row by row, left to right
    bad_rows = set()
    for r, _c, header, raw, reason in problems:
        plan.error(sheet.name, row_numbers[r], header, raw, reason)
        bad_rows.add(r)
    keys = [column.key for column in columns]
    # Rows with a bad cell still go through the other checks, so that every mistake of the
    # file is listed at once; they are never planned.
    return [
        (row_number, dict(zip(keys, values, strict=True)), r not in bad_rows)
        for r, (row_number, values) in enumerate(
            zip(row_numbers, zip(*parsed_columns, strict=True), strict=True)
        )
    ]


NEW_ROOT_REFUSED = (
    "新组织必须填写上级组织编码：只有管理范围为整个组织树的用户（如新安装系统的超级管理员）"
    "才能导入新的顶层组织；请填写已在系统中的上级组织编码，或请这样的用户导入"
)


def _check_orgs(plan: Plan, sheet, scope: Scope) -> set[str]:
    """Checks the organization sheet; returns the codes it defines, for the member sheet."""
    may_add_root = functools.cache(functools.partial(org_selectors.covers_whole_tree, scope=scope))
    rows = _parse_rows(plan, sheet, ORG_COLUMNS)
    codes_in_file: dict[str, int] = {}
    for row_number, values, _ok in rows:
        code = values["code"]
        if not code:
            continue
        if code in codes_in_file:
            plan.error(
                sheet.name, row_number, "组织编码", code, f"组织编码与第{codes_in_file[code]}行重复"
            )
            continue
        codes_in_file[code] = row_number
    existing = {
        o.code: o
        for o in Organization.objects.filter(
            code__in=set(codes_in_file)
            | {v["parent_code"] for _r, v, _ok in rows if v["parent_code"]}
        ).prefetch_related("categories")
    }
    # The codes of their parents, in one query (the sheet may list thousands).
    parent_paths = {o.path[: -o.steplen] for o in existing.values() if o.depth > 1}
    code_at = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "code"))
    known: set[str] = set()
    for row_number, values, ok in rows:
        code, parent_code = values["code"], values["parent_code"]
        if code:
            known.add(code)  # members may name it even if this row has a mistake
        if not ok:
            continue
        org = existing.get(code)
        if org is not None and not scope.contains_path(org.path):
            plan.error(sheet.name, row_number, "组织编码", code, "该组织不在您的管理范围内")
            continue
        parent = existing.get(parent_code)
        if not parent_code:
            if org is None and not may_add_root():
                plan.error(sheet.name, row_number, "上级组织编码", "", NEW_ROOT_REFUSED)
                continue
        elif parent is None and parent_code not in codes_in_file:
            plan.error(
                sheet.name,
                row_number,
                "上级组织编码",
                parent_code,
                "上级组织编码在本文件和系统中都不存在",
            )
            continue
        elif parent is not None and not scope.contains_path(parent.path):
            plan.error(
                sheet.name, row_number, "上级组织编码", parent_code, "上级组织不在您的管理范围内"
            )
            continue
        elif parent is not None and parent.dissolved:
            plan.error(
                sheet.name,
                row_number,
                "上级组织编码",
                parent_code,
                f"上级组织已于 {parent.dissolved:%Y-%m-%d} 撤销",
            )
            continue
        item = OrgRow(row=row_number, values=values, existing=org)
        if org is not None:
            item.changes = _org_changes(org, values, code_at.get(org.path[: -org.steplen]))
        plan.orgs.append(item)
    _check_org_cycles(plan, sheet.name, existing)
    return known


def _org_changes(org: Organization, values: dict, parent_code: str | None) -> dict:
    changes = {}
    for key in ORG_FIELDS:
        if values[key] not in (None, "") and getattr(org, key) != values[key]:
            changes[key] = values[key]
    current_categories = sorted(c.name for c in org.categories.all())  # prefetched
    if values["categories"] and sorted(values["categories"]) != current_categories:
        changes["categories"] = values["categories"]
    if values["parent_code"] and org.depth > 1 and parent_code != values["parent_code"]:
        changes["parent_code"] = values["parent_code"]
    return changes


def _check_org_cycles(plan: Plan, sheet_name: str, existing: dict) -> None:
    parent_of = {o.values["code"]: o.values["parent_code"] for o in plan.orgs}
    for item in plan.orgs:
        seen, code = set(), item.values["code"]
        while code in parent_of and code not in seen:
            seen.add(code)
            code = parent_of[code]
        if code in seen:
            plan.error(
                sheet_name,
                item.row,
                "上级组织编码",
                item.values["parent_code"],
                "上级组织关系构成循环",
            )


def _check_members(plan, sheet, scope, known_orgs, effective_date, progress) -> None:
    rows = _parse_rows(plan, sheet, MEMBER_COLUMNS)
    progress("check", 0, plan.total_rows)
    org_codes = {v["org_code"] for _r, v, _ok in rows if v["org_code"]}
    orgs = {
        o.code: o
        for o in Organization.objects.filter(code__in=org_codes).only(
            "pk", "code", "path", "dissolved", "established", "depth", "name"
        )
    }
    numbers = [v["id_number"] for _r, v, ok in rows if ok and v["id_number"]]
    by_number = _people_by_id_number(numbers, plan.hashes)
    seen_numbers: dict[str, int] = {}
    for done, (row_number, values, ok) in enumerate(rows, 1):
        if done % PROGRESS_EVERY == 0:
            progress("check", done, plan.total_rows)
        code = values["org_code"]
        org = orgs.get(code)
        if not code:
            continue  # reported as a required cell
        if org is None and code not in known_orgs:
            plan.error(
                sheet.name, row_number, "所在组织编码", code, "组织编码在本文件和系统中都不存在"
            )
            continue
        if org is not None and not scope.contains_path(org.path):
            plan.error(sheet.name, row_number, "所在组织编码", code, "该组织不在您的管理范围内")
            continue
        if org is not None and org.dissolved:
            plan.error(
                sheet.name,
                row_number,
                "所在组织编码",
                code,
                f"该组织已于 {org.dissolved:%Y-%m-%d} 撤销",
            )
            continue
        if not ok or not _derive_from_id(plan, sheet.name, row_number, values):
            continue
        number = values["id_number"]
        if number:
            if number in seen_numbers:
                plan.error(
                    sheet.name,
                    row_number,
                    "身份证号",
                    number,
                    f"与第{seen_numbers[number]}行的身份证号重复",
                )
                continue
            seen_numbers[number] = row_number
        existing = by_number.get(number) if number else _match_by_name(values, org)
        plan.members.append(MemberRow(row=row_number, values=values, existing=existing, org=org))
    _plan_existing_people(plan, sheet.name, scope, effective_date)
    progress("check", plan.total_rows, plan.total_rows)


def _derive_from_id(plan, sheet_name, row_number, values) -> bool:
    number = values["id_number"]
    if values["title_level"] is None:
        values["title_level"] = codes.title_level_for(values["title"])
    if not number:
        return True
    facts = id_number_facts(number, gender=values["gender"], birth_date=values["birth_date"])
    for key, reason in facts.errors.items():
        column = next(c for c in MEMBER_COLUMNS if c.key == key)
        shown = values[key]
        shown = codes.Gender(shown).label if key == "gender" else shown.isoformat()
        plan.error(sheet_name, row_number, column.header, shown, reason)
    values["gender"], values["birth_date"] = facts.gender, facts.birth_date
    return not facts.errors


# Keys per IN list: few enough for SQLite's limit of bound values (32,766), many enough that a
# 100,000-row import asks a few dozen queries, not hundreds.
LOOKUP_CHUNK = 5000


def _chunks(items, size=LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


_STORED = ("pk", *PERSON_FIELDS)


def _people_by_id_number(numbers: list[str], hashes: dict[str, str]) -> dict[str, dict]:
    """The people already in Tongxin with one of ``numbers``, found by their lookup hashes and
    keyed by their (decrypted) numbers. Fills ``hashes`` with each number's current hash."""
    found: dict[str, dict] = {}
    for chunk in _chunks(numbers):
        current, previous = lookup_hashes(chunk)
        hashes.update(zip(chunk, current, strict=True))
        people = Person.objects.filter(id_number_hash_q(current + previous)).order_by()
        for row in people.values_list(*_STORED):
            stored = dict(zip(_STORED, row, strict=True))
            found[stored["id_number"]] = stored
    return found


def _match_by_name(values: dict, org: Organization | None) -> dict | None:
    if org is None:
        return None
    row = (
        Person.objects.filter(
            name=values["name"],
            birth_date=values["birth_date"],
            id_number="",
            spells__org=org,
            spells__end__isnull=True,
        )
        .distinct()
        .order_by("pk")
        .values_list(*_STORED)
        .first()
    )
    return None if row is None else dict(zip(_STORED, row, strict=True))


def _plan_existing_people(plan: Plan, sheet_name: str, scope: Scope, on) -> None:
    """Works out what changes for the people already in Tongxin, a few queries per chunk.
    Unordered: the models' default orderings join the person for its pinyin."""
    matched = [m for m in plan.members if m.existing is not None]
    ids = [m.existing["pk"] for m in matched]
    paths: dict[int, list[str]] = {}
    current: dict[int, tuple[int, datetime.date]] = {}  # person → (org id, start) in force
    government: dict[int, list[str]] = {}
    party: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        spells = MembershipSpell.objects.filter(person_id__in=chunk).order_by()
        for person_id, path in spells.values_list("person_id", "org__path"):
            paths.setdefault(person_id, []).append(path)
        for person_id, org_id, start in spells.active_on(on).values_list(
            "person_id", "org_id", "start"
        ):
            current[person_id] = (org_id, start)
        for person_id, kind, title, rank in (
            Post.objects.active_on(on)
            .filter(person_id__in=chunk, kind__in=[codes.PostKind.GOVERNMENT, codes.PostKind.PARTY])
            .order_by()
            .values_list("person_id", "kind", "title", "rank")
        ):
            if kind == codes.PostKind.GOVERNMENT:
                government.setdefault(person_id, []).append(rank)
            else:
                party.setdefault(person_id, []).append(title)
    new_established = {o.values["code"]: o.values["established"] for o in plan.orgs}
    rejected = set()
    for m in matched:
        pk = m.existing["pk"]
        if not scope.everything and not any(scope.contains_path(p) for p in paths.get(pk, ())):
            plan.error(sheet_name, m.row, "身份证号", m.values["id_number"], OUTSIDE_SCOPE_PERSON)
            rejected.add(id(m))
            continue
        _plan_person_changes(m, current.get(pk), government.get(pk, []), party.get(pk, []))
        spell = current.get(pk)
        established = (
            m.org.established if m.org is not None else new_established.get(m.values["org_code"])
        )
        if m.move_to and established and established > on:
            plan.error(
                sheet_name,
                m.row,
                "所在组织编码",
                m.values["org_code"],
                f"该组织成立于 {established:%Y-%m-%d}，晚于变动生效日期 {on:%Y-%m-%d}，"
                "不能在此之前接收成员",
            )
            rejected.add(id(m))
            continue
        if m.move_to and spell is not None and spell[1] > on:
            plan.error(
                sheet_name,
                m.row,
                "所在组织编码",
                m.values["org_code"],
                f"变动生效日期 {on:%Y-%m-%d} 早于此人在原组织的开始日期 {spell[1]:%Y-%m-%d}",
            )
            rejected.add(id(m))
    if rejected:
        plan.members = [m for m in plan.members if id(m) not in rejected]


def _plan_person_changes(
    item: MemberRow, spell: tuple[int, datetime.date] | None, ranks: list[str], titles: list[str]
) -> None:
    values = item.values
    for key in PERSON_FIELDS:
        value = values.get(key)
        if value is None and key in KEEP_WHEN_BLANK:
            continue
        if key in ("is_retired", "is_cross_member") and value is None:
            value = False
        if item.existing[key] != value:
            item.changes[key] = value
    if spell is None or item.org is None or spell[0] != item.org.pk:
        item.move_to = values["org_code"]
    rank = values.get("admin_rank")
    if rank is not None and sorted(ranks) != ([rank] if rank else []):
        item.rank = rank
    wanted = sorted(values.get("party_posts") or [])
    if wanted != sorted(titles):
        item.party_titles = wanted


# --- write ------------------------------------------------------------------------------------


def _snapshot(obj, fields) -> dict:
    """The ``fields`` of ``obj`` as an undo record holds them (dates as ISO text)."""
    return _snapshot_values({name: getattr(obj, name) for name in fields}, fields)


def apply(*, batch: ImportBatch, plan: Plan, progress: Progress = _no_progress) -> None:
    """Write a checked plan in one transaction and record every change on ``batch``."""
    with _collector_paused():
        _apply(batch=batch, plan=plan, progress=progress)


def _apply(*, batch: ImportBatch, plan: Plan, progress: Progress) -> None:
    if connection.vendor == "sqlite":
        # SQLite's own page cache (2 MB by default) is far smaller than the indexes a large
        # import extends; with it, inserts stop re-reading index pages. Per connection.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    on = batch.effective_date
    # (model label, object id, action, before, after) for every record touched, written at the end.
    changes: list[tuple] = []
    # Counted before writing: the write fills in the people it creates.
    batch.created, batch.updated, batch.unchanged = plan.created, plan.updated, plan.unchanged
    batch.transferred = plan.transferred
    batch.orgs_created, batch.orgs_updated = plan.orgs_created, plan.orgs_updated

    def record(obj, action, before, after_fields):
        changes.append(
            (obj._meta.label_lower, obj.pk, action, before, _snapshot(obj, after_fields))
        )

    record.rows = changes  # the bulk path appends plain rows

    with transaction.atomic():
        orgs_by_code = _write_orgs(plan, record)
        orgs_by_code.update(
            {
                o.code: o
                for o in Organization.objects.filter(
                    code__in={m.values["org_code"] for m in plan.members} - set(orgs_by_code)
                )
            }
        )
        total = len(plan.members)
        new = [m for m in plan.members if m.existing is None]
        _write_new_people(
            new, orgs_by_code, plan.hashes, record, lambda done: progress("write", done, total)
        )
        written = len(new)
        changing = [m for m in plan.members if m.existing is not None and _member_changes(m)]
        for chunk in _chunks(changing, PROGRESS_EVERY):
            people = Person.objects.in_bulk([m.existing["pk"] for m in chunk])
            for m in chunk:
                _write_person_update(m, people[m.existing["pk"]], orgs_by_code, on, record)
            written += len(chunk)
            progress("write", written, total)
        insert_rows(
            BatchChange,
            ("batch_id", "model", "object_id", "action", "before", "after"),
            ((batch.pk, *change) for change in changes),
            ids=reserve_ids(BatchChange, len(changes)),
        )
        progress("write", total, total)
        batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save_state()
    if plan.created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        analyze((Person, ANALYZED_PERSON_FIELDS), (MembershipSpell, ()), (Post, ()),
                 (BatchChange, ()))  # fmt: skip


# New people from which the tables' planner statistics are brought up to date at once.
ANALYZE_AFTER = 1000
# The person fields that pages filter, join or sort on. The free text (units, posts, notes,
# phones) waits for autovacuum: an ANALYZE of some columns leaves its counter running, so
# autovacuum still gathers every column soon after. Half the time of a full ANALYZE.
ANALYZED_PERSON_FIELDS = (
    "id", "id_number_hash", "name", "name_pinyin", "name_initials", "gender", "birth_date",
    "ethnicity", "education", "degree", "title_level", "unit_nature", "sector", "is_retired",
    "is_cross_member", "upper_middle", "admitted_on",
)  # fmt: skip


def _write_orgs(plan: Plan, record) -> dict[str, Organization]:
    by_code: dict[str, Organization] = {}
    pending = list(plan.orgs)
    fields = ("code", *ORG_FIELDS, "path")
    while pending:
        progressed = False
        for item in list(pending):
            values = item.values
            parent_code = values["parent_code"]
            parent = (
                by_code.get(parent_code) or Organization.objects.filter(code=parent_code).first()
            )
            if parent_code and parent is None:
                continue  # its parent is later in the file
            pending.remove(item)
            progressed = True
            org = item.existing
            if org is None:
                org = Organization(
                    code=values["code"],
                    name=values["name"],
                    kind=values["kind"],
                    established=values["established"],
                    party=values["party"] or "",
                )
                if parent is None:  # a new root: the check allowed it
                    org = Organization.objects.add_root(instance=org)
                else:
                    org = Organization.objects.add_child(parent, instance=org)
                record(org, BatchChange.Action.CREATED, {}, fields)
            elif item.changes:
                before = _snapshot(org, fields)
                before["categories"] = sorted(org.categories.values_list("name", flat=True))
                for key in ORG_FIELDS:
                    if key in item.changes:
                        setattr(org, key, item.changes[key])
                org.save()
                if "parent_code" in item.changes:
                    Organization.objects.move(org, parent, pos="last-child")
                    org = Organization.objects.get(pk=org.pk)
                record(org, BatchChange.Action.UPDATED, before, fields)
            if values["categories"]:
                org.categories.set(
                    [
                        OrganizationCategory.objects.get_or_create(name=n)[0]
                        for n in values["categories"]
                    ]
                )
            by_code[org.code] = org
        if not progressed:
            break
    return by_code


NEW_PERSON_COLUMNS = (
    *PERSON_FIELDS, "name_pinyin", "name_initials", "created_at", "updated_at", "id_number_hash",
    "political_status",
)  # fmt: skip
SPELL_COLUMNS = (
    "person_id", "org_id", "start", "end", "start_reason", "end_reason", "document_no",
    "approved_by", "end_document_no", "end_approved_by", "note",
)  # fmt: skip
POST_COLUMNS = (
    "person_id", "kind", "title", "org_id", "unit", "rank", "body", "level", "term", "start",
    "end", "document_no", "note",
)  # fmt: skip


_PERSON_VALUES = operator.itemgetter(*PERSON_FIELDS)  # every member column holds a value
_AT_RETIRED, _AT_CROSS, _AT_TITLE_LEVEL = (
    PERSON_FIELDS.index(k) for k in ("is_retired", "is_cross_member", "title_level")
)


def _person_row(values: dict, now, hashes: dict[str, str], party: str) -> list:
    row = list(_PERSON_VALUES(values))
    row[_AT_RETIRED] = bool(row[_AT_RETIRED])
    row[_AT_CROSS] = bool(row[_AT_CROSS])
    row[_AT_TITLE_LEVEL] = row[_AT_TITLE_LEVEL] or ""
    number = values["id_number"]
    # The check hashed every number it looked up; a blank number has a blank hash.
    row += (*name_pinyin(values["name"]), now, now, hashes[number] if number else "",
            member_status(party=party, held=""))  # fmt: skip
    return row


def _write_new_people(items: list[MemberRow], orgs_by_code, hashes, record, report) -> None:
    """New people with their spells and posts, as plain rows: no model instance per row, one
    insert per table. The people's rows (with their pinyin) are built as they are sent, so
    that PostgreSQL stores the first while Python builds the next."""
    if not items:
        return
    now = timezone.now()
    # Each organization's party, asked before the rows are sent: PostgreSQL takes them as one
    # COPY, during which the connection answers no other query.
    orgs = {orgs_by_code[code] for code in {m.values["org_code"] for m in items}}
    party_of = org_selectors.effective_parties(orgs)
    parties = {org.code: party_of[org.pk] for org in orgs}

    def people():
        for done, m in enumerate(items, 1):
            if done % PROGRESS_EVERY == 0:
                report(done)
            yield _person_row(m.values, now, hashes, parties[m.values["org_code"]])

    ids = insert_rows(Person, NEW_PERSON_COLUMNS, people(), ids=reserve_ids(Person, len(items)))
    spells, posts = [], []
    for m, person_id in zip(items, ids, strict=True):
        m.person_id = person_id
        org = orgs_by_code[m.values["org_code"]]
        admitted = m.values["admitted_on"]
        # A member admitted before the branch existed joined it when it was set up.
        start = max(admitted, org.established) if org.established else admitted
        reason = (
            codes.SpellReason.ADMITTED if start == admitted else codes.SpellReason.TRANSFERRED_IN
        )
        spells.append((person_id, org.pk, start, None, reason, "", "", "", "", "", ""))
        if m.values.get("admin_rank"):
            title = m.values.get("job_post") or GOVERNMENT_POST_TITLE
            posts.append((person_id, codes.PostKind.GOVERNMENT, title, None,
                          m.values.get("work_unit") or "", m.values["admin_rank"], "", "", "",
                          start, None, "", ""))  # fmt: skip
        for title in m.values.get("party_posts") or []:
            posts.append((person_id, codes.PostKind.PARTY, title, org.pk, "", "", "", "", "",
                          start, None, "", ""))  # fmt: skip
    # One undo record per new person, which also stands for the spell and posts created with
    # them, rather than one record per row written.
    created_with: dict[int, dict[str, list]] = {person_id: {} for person_id in ids}
    for label, model, columns, rows in (
        ("people.membershipspell", MembershipSpell, SPELL_COLUMNS, spells),
        ("people.post", Post, POST_COLUMNS, posts),
    ):
        at = columns.index("start")
        for object_id, row in zip(insert_rows(model, columns, rows), rows, strict=True):
            created_with[row[0]].setdefault(label, []).append((object_id, row[at]))
    write = _created_record_writer(now)
    record.rows.extend(
        ("people.person", person_id, BatchChange.Action.CREATED, NOTHING, write(children))
        for person_id, children in created_with.items()
    )


def _created_record_writer(now) -> Callable[[dict], JSONText]:
    """The JSON of a new person's undo record, ``{"updated_at": …, "with": {label: [[id,
    start, null], …]}}`` (see ``WITH``), written out directly rather than through
    ``json.dumps``, which an import would call once per new person. Every part is a key, a
    number or an ISO date, none of which needs escaping."""
    head = f'{{"updated_at": {json.dumps(now.isoformat())}, "{WITH}": {{'
    iso: dict[datetime.date, str] = {}  # each start date written out once

    def day(value: datetime.date) -> str:
        text = iso.get(value)
        if text is None:
            text = iso[value] = value.isoformat()
        return text

    def write(children: dict[str, list]) -> JSONText:
        parts = ", ".join(
            f'"{label}": [' + ", ".join(f'[{pk}, "{day(start)}", null]' for pk, start in rows) + "]"
            for label, rows in children.items()
        )
        return JSONText(f"{head}{parts}}}}}")

    return write


def _government_post(person, values, start) -> Post:
    return Post(
        person=person,
        kind=codes.PostKind.GOVERNMENT,
        title=values.get("job_post") or GOVERNMENT_POST_TITLE,
        unit=values.get("work_unit") or "",
        rank=values["admin_rank"],
        start=start,
    )


def _end_post(post: Post, on, record) -> None:
    before = _snapshot(post, ("start", "end"))
    post.end = max(on, post.start) if post.start else on
    post.save(update_fields=["end"])
    record(post, BatchChange.Action.UPDATED, before, ("start", "end"))


def _write_person_update(m: MemberRow, person: Person, orgs_by_code, on, record) -> None:
    before = _snapshot(person, UPDATED_PERSON_FIELDS)
    if m.changes:
        for key, value in m.changes.items():
            setattr(person, key, value)
        person.name_pinyin, person.name_initials = name_pinyin(person.name)
        person.save()
    org = orgs_by_code[m.values["org_code"]]
    if m.move_to:
        spell = MembershipSpell.objects.filter(person=person).active_on(on).first()
        if spell is not None:
            spell_before = _snapshot(spell, ("end", "end_reason"))
            spell.end, spell.end_reason = on, codes.SpellReason.TRANSFERRED_OUT
            spell.save(update_fields=["end", "end_reason"])
            record(spell, BatchChange.Action.UPDATED, spell_before, ("end", "end_reason"))
        # The service's own start: its checks, and the political status that follows from
        # the membership (a returning member is no longer 群众).
        new = people_services.membership_start(
            person=person, org=org, on=on, reason=codes.SpellReason.TRANSFERRED_IN
        )
        record(new, BatchChange.Action.CREATED, {}, ("start", "end"))
    if m.changes or person.political_status != before["political_status"]:
        # Recorded after the spell, whose start may have saved the person again.
        record(person, BatchChange.Action.UPDATED, before, TOUCHED)
    if m.rank is not None:
        for post in Post.objects.active_on(on).filter(
            person=person, kind=codes.PostKind.GOVERNMENT
        ):
            _end_post(post, on, record)
        if m.rank:
            post = _government_post(person, m.values, on)
            post.save()
            record(post, BatchChange.Action.CREATED, {}, ("start", "end"))
    if m.party_titles is not None:
        held = list(Post.objects.active_on(on).filter(person=person, kind=codes.PostKind.PARTY))
        for post in held:
            if post.title not in m.party_titles:
                _end_post(post, on, record)
        held_titles = {p.title for p in held}
        for title in m.party_titles:
            if title not in held_titles:
                post = Post.objects.create(
                    person=person,
                    kind=codes.PostKind.PARTY,
                    title=title,
                    org=org,
                    start=on,
                )
                record(post, BatchChange.Action.CREATED, {}, ("start", "end"))


# --- undo -------------------------------------------------------------------------------------

_MODELS = {
    "people.person": Person,
    "people.membershipspell": MembershipSpell,
    "people.post": Post,
    "orgs.organization": Organization,
}
# Created records are removed children first.
_DELETE_ORDER = ("people.post", "people.membershipspell", "people.person", "orgs.organization")


class UndoRefused(Exception):
    pass


def undo_blockers(batch: ImportBatch, limit: int = 10, *, records=None) -> list[str]:
    """Why ``batch`` cannot be undone (empty when it can), at most ``limit`` reasons.
    ``records``: the batch's ``_batch_records``, when the caller has them already.

    The batch's records are compared with the database a chunk at a time: a few queries per
    5,000 records, so that the page of a large import can tell at once (one query per record
    grows with the import)."""
    if batch.status not in (ImportBatch.Status.DONE, ImportBatch.Status.UNDOING):
        return [f"只有已完成的导入可以撤销（当前状态：{batch.get_status_display()}）"]
    if records is None:
        records = _batch_records(batch)
    reasons: list[str] = []
    later = BatchChange.objects.filter(batch__gt=batch.pk).exclude(
        batch__status=ImportBatch.Status.UNDONE
    )
    changes = [(label, object_id, after) for label, object_id, _action, after in records]
    for chunk in _chunks(changes):
        current: dict[tuple[str, int], dict] = {}
        changed_later: set[tuple[str, int]] = set()
        for label in {c[0] for c in chunk}:
            model = _MODELS[label]
            ids = [object_id for m, object_id, _after in chunk if m == label]
            fields = {key for m, _id, after in chunk if m == label for key in after}
            for values in model.objects.filter(_among("pk", ids)).order_by().values("pk", *fields):
                current[label, values["pk"]] = values
            changed_later.update(
                (label, object_id)
                for object_id in later.filter(_among("object_id", ids), model=label).values_list(
                    "object_id", flat=True
                )
            )
        for label, object_id, after in chunk:
            model = _MODELS[label]
            found = current.get((label, object_id))
            name = f"{model._meta.verbose_name}#{object_id}"
            if found is None:
                reasons.append(f"{name} 已被删除")
            elif _snapshot_values(found, after.keys()) != after:
                reasons.append(f"{name}（{_describe(model, object_id)}）在导入后又被修改过")
            elif (label, object_id) in changed_later:
                reasons.append(f"{name}（{_describe(model, object_id)}）被后来的导入修改过")
            if len(reasons) >= limit:
                return reasons
    return reasons + _records_added_later(_created_ids(records), limit - len(reasons))


def _batch_records(batch: ImportBatch) -> list[tuple[str, int, str, dict]]:
    """(model label, object id, action, after) for each record ``batch`` created or changed, in
    the order written. The record of a person the import created stands for the spells and
    posts created with them as well: each of those is listed as if it had a record of its own
    (created open: its start, no end)."""
    created = BatchChange.Action.CREATED
    records = []
    for label, object_id, action, after in batch.changes.order_by("pk").values_list(
        "model", "object_id", "action", "after"
    ):
        created_with = after.pop(WITH, None) if label == "people.person" else None
        records.append((label, object_id, action, after))
        if created_with:
            for child_label, rows in created_with.items():
                for child_id, start, end in rows:
                    records.append((child_label, child_id, created, {"start": start, "end": end}))
    return records


def _created_ids(records) -> dict[str, list[int]]:
    """The ids of the records the batch created, by model label, in the order recorded."""
    ids: dict[str, list[int]] = {label: [] for label in _MODELS}
    for label, object_id, action, _after in records:
        if action == BatchChange.Action.CREATED:
            ids[label].append(object_id)
    return ids


def _person_references() -> list[tuple[str, type, str]]:
    """(model label, model, column attname) of every record that refers to a person: spells
    and posts first, then affiliations and whatever the other apps add (their many-to-many
    tables too). Undoing the import of a person removes the person, so any such record the
    import did not create itself stops the undo."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if f.remote_field is not None and f.related_model is Person:
                found.append((model._meta.label_lower, model, f.attname))
    first = {"people.membershipspell": 0, "people.post": 1}
    return sorted(found, key=lambda r: (first.get(r[0], 2), r[0]))


def _record_name(model) -> str:
    owner = model._meta.auto_created  # a many-to-many table: named after its model
    return (owner or model)._meta.verbose_name


def _records_added_later(created: dict[str, list[int]], limit: int) -> list[str]:
    """People the batch created (``created``: ids by label) who have since been given a spell,
    a post or any other record that the batch did not create (a transfer, a new post, an
    affiliation): undoing would delete that later record with them, or fail on it."""
    people = sorted(created["people.person"])
    reasons: list[str] = []
    for label, model, column in _person_references():
        own = set(created.get(label, ()))
        for chunk in _chunks(people):
            wanted = set(chunk)
            rows = model.objects.filter(_among(column, chunk)).order_by(column, "pk")
            for object_id, person_id in rows.values_list("pk", column):
                if person_id in wanted and object_id not in own:
                    reasons.append(
                        f"人员#{person_id}（{_describe(Person, person_id)}）在导入后又有了新的"
                        f"{_record_name(model)}记录"
                    )
                    if len(reasons) >= limit:
                        return reasons
    return reasons


def _among(field: str, ids: list[int]) -> Q:
    """``field`` in ``ids``, as a range when the ids are (nearly) consecutive, as the records
    of one import are: Django prepares each value of an IN list on its own, which cost more
    than the query. The range may match a few more rows; callers look up only their ids."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})  # keys take no __range
    return Q(**{f"{field}__in": ids})


def _exactly(ids: list[int]) -> Q:
    """Primary key in ``ids``: a range when they are a run of consecutive keys with nothing
    between (what one import inserts), an IN list otherwise."""
    low, high = min(ids), max(ids)
    if high - low + 1 == len(ids) == len(set(ids)):
        return Q(pk__gte=low, pk__lte=high)
    return Q(pk__in=ids)


def _snapshot_values(values: dict, fields) -> dict:
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name in fields
        for value in (values[name],)
    }


def _describe(model, object_id) -> str:
    return str(model.objects.get(pk=object_id))


def undo(*, batch: ImportBatch, by) -> None:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        records = _batch_records(batch)
        blockers = undo_blockers(batch, records=records)
        if blockers:
            raise UndoRefused("；".join(blockers))
        for change in batch.changes.filter(action=BatchChange.Action.UPDATED).order_by("pk"):
            model = _MODELS[change.model]
            obj = model.objects.get(pk=change.object_id)
            categories = change.before.pop("categories", None)
            path = change.before.pop("path", None)
            for name, value in change.before.items():
                setattr(obj, name, model._meta.get_field(name).to_python(value))
            obj.save()
            if change.model == "orgs.organization":
                _restore_parent(obj, path)
                if categories is not None:
                    obj.categories.set(OrganizationCategory.objects.filter(name__in=categories))
            if change.model == "people.person":
                obj.name_pinyin, obj.name_initials = name_pinyin(obj.name)
                obj.save(update_fields=["name_pinyin", "name_initials"])
        created = _created_ids(records)
        for label in _DELETE_ORDER:
            ids = created[label]
            model = _MODELS[label]
            if label == "orgs.organization":
                # Deepest first, so that treebeard keeps the parents' child counts right.
                for org in model.objects.filter(pk__in=ids).order_by("-depth"):
                    org.delete()
            else:
                # Straight deletes: the check above found nothing else that refers to these
                # people, spells and posts. Django's deletion would load every record and send
                # its signals, and auditlog would then log each record, with a query or two
                # for each, a large import's longest part: the batch is the record
                # of what it created (their creation was not logged one by one either), and
                # the undo itself is an audit event (撤销导入).
                for chunk in _chunks(ids):
                    model.objects.filter(_exactly(chunk))._raw_delete(model.objects.db)
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = by
        batch.save(update_fields=["status", "undone_at", "undone_by"])


def _restore_parent(org: Organization, old_path: str | None) -> None:
    if not old_path or org.path[: -org.steplen] == old_path[: -org.steplen]:
        return
    parent = Organization.objects.filter(path=old_path[: -org.steplen]).first()
    if parent is not None:
        Organization.objects.move(org, parent, pos="last-child")
