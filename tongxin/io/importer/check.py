"""Check a whole roster file: read every row and resolve every organization and person before
anything is written; any error rejects the whole file."""

from __future__ import annotations

import datetime
import functools
from itertools import zip_longest

from tongxin.core import codes, extensions
from tongxin.core.fieldcrypt import lookup_hashes
from tongxin.core.scope import Scope
from tongxin.core.xlsx.reader import ReadError
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization
from tongxin.people.models import (
    PERSON_FIELDS,
    Affiliation,
    MembershipSpell,
    Person,
    Post,
    id_number_hash_q,
)
from tongxin.people.rules import id_number_facts

from ..columns import (
    MEMBER_COLUMNS,
    MEMBER_KIND,
    MEMBER_SHEET,
    ORG_COLUMNS,
    ORG_SHEET,
    CellError,
    parser,
)
from ..reading import read_roster
from .plan import (
    KEEP_WHEN_BLANK,
    ORG_FIELDS,
    OUTSIDE_SCOPE_PERSON,
    PROGRESS_EVERY,
    MemberRow,
    OrgRow,
    PersonRef,
    Plan,
    Progress,
    _chunks,
    _collector_paused,
    _no_progress,
)


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
    extra = extensions.get("roster_sheets")
    expected = {ORG_SHEET: ORG_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS}
    expected.update({sheet.name: sheet.columns for sheet in extra})
    try:
        sheets, problems = read_roster(data, filename, expected)
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
    for extension in extra:
        if extension.name in sheets:
            _check_extra(plan, extension, sheets[extension.name], scope, effective_date)
    return plan


def _check_extra(plan: Plan, extension, sheet, scope: Scope, on) -> None:
    """An extra sheet (入库名单): its cells read as the member sheet's, its people resolved to
    this file's rows or to people already in Tongxin, the rest the extension's own check."""
    rows = _parse_rows(plan, sheet, extension.columns)
    by_number = {m.values["id_number"]: m for m in plan.members if m.values["id_number"]}
    by_name: dict[str, list[MemberRow]] = {}
    for m in plan.members:
        by_name.setdefault(m.values["name"], []).append(m)
    numbers = [v.get("id_number") for _r, v, _ok in rows if v.get("id_number")]
    stored = _people_by_id_number([n for n in numbers if n not in by_number], plan.hashes)

    def error(row, column, value, reason):
        plan.error(sheet.name, row, column, value, reason)

    def person(values, row) -> PersonRef | None:
        number, name = values.get("id_number") or "", values.get("name") or ""
        if number:
            if number in by_number:
                return PersonRef(name=by_number[number].values["name"], member=by_number[number])
            if number in stored:
                return PersonRef(name=stored[number]["name"], pk=stored[number]["pk"])
            error(row, "身份证号", number, "此身份证号既不在本文件的成员名册中，也不在系统中")
            return None
        found = by_name.get(name, [])
        if len(found) == 1:
            return PersonRef(name=name, member=found[0])
        reason = (
            f"成员名册中有 {len(found)} 人同名，请填写身份证号"
            if found
            else "没有身份证号时，姓名须是本文件成员名册中的人员"
        )
        error(row, "姓名", name, reason)
        return None

    items = extension.check(rows=rows, person=person, scope=scope, on=on, error=error)
    plan.extra.append((extension, items))


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
        kind = values["person_kind"] = values["person_kind"] or MEMBER_KIND
        if kind == MEMBER_KIND and values["admitted_on"] is None and ok:
            plan.error(sheet.name, row_number, "入会日期", "", "“入会日期”必须填写（成员）")
            continue
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
        affiliation = "" if kind == MEMBER_KIND else kind
        plan.members.append(
            MemberRow(
                row=row_number, values=values, existing=existing, org=org, affiliation=affiliation
            )
        )
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


_STORED = ("pk", *PERSON_FIELDS, "political_status")


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
    if values["person_kind"] == MEMBER_KIND:
        linked = {"spells__org": org, "spells__end__isnull": True}
    else:
        linked = {"affiliations__org": org, "affiliations__end__isnull": True}
    row = (
        Person.objects.filter(
            name=values["name"], birth_date=values["birth_date"], id_number="", **linked
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
    kept: dict[int, set[tuple[int, str]]] = {}  # person → (org id, kind) of files kept on ``on``
    for chunk in _chunks(ids):
        affiliations = Affiliation.objects.filter(person_id__in=chunk).order_by()
        for person_id, path in affiliations.values_list("person_id", "org__path"):
            paths.setdefault(person_id, []).append(path)
        for person_id, org_id, kind in affiliations.active_on(on).values_list(
            "person_id", "org_id", "kind"
        ):
            kept.setdefault(person_id, set()).add((org_id, kind))
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
        if m.affiliation:
            # A non-member's row: the file kept by the row's organization, never a move.
            m.move_to = None
            m.affiliate = m.org is None or (m.org.pk, m.affiliation) not in kept.get(pk, set())
            continue
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
        if value is None and key == "admitted_on" and item.affiliation:
            continue  # a non-member's row says nothing of an admission
        if key in ("is_retired", "is_cross_member") and value is None:
            value = False
        if item.existing[key] != value:
            item.changes[key] = value
    status = values.get("political_status")
    if status and item.existing["political_status"] != status:
        item.changes["political_status"] = status
    if spell is None or item.org is None or spell[0] != item.org.pk:
        item.move_to = values["org_code"]
    rank = values.get("admin_rank")
    if rank is not None and sorted(ranks) != ([rank] if rank else []):
        item.rank = rank
    wanted = sorted(values.get("party_posts") or [])
    if wanted != sorted(titles):
        item.party_titles = wanted
