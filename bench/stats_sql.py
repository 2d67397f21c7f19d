"""The annual tables' core figures in hand-written SQL: what a careful engineer would write for
the same definitions (STATS.md), to compare the selectors with (bench/stats.py).

Four statements a date, each one pass of conditional aggregation, every subtree a path range
over the organizations joined to the spells' covering index (org, start, end, person):

  organizations   the subtree's nodes current on the date, by kind and by category
  members         the members on the date (each person once) and their structure
  holders         members holding on the date a government post (by rank group) or a seat
                  (by level and body)
  flows           the spells of the subtree starting or ending in the period, by reason (a move
                  inside the subtree is no flow), and the new members with their quality

plus one statement for the category names (the columns of the organizations' statement).
Both dates of a report (the date and a year earlier) run the same four. The SQL is the same on
SQLite and PostgreSQL but for the age in whole years.
"""

from __future__ import annotations

from datetime import date

from tongxin.core import codes
from tongxin.core.dates import AGE_BANDS, birth_date_bounds
from tongxin.core.scope import path_upper_bound

SPELLS = "people_membershipspell"
ORGS = "orgs_organization"
FLOWS = ("admitted", "transferred_in", "transferred_out", "withdrew", "removed", "expelled", "died")
EDUCATION = {
    "研究生": "'10' AND '19'",
    "大学本科": "'20' AND '29'",
    "大学专科": "'30' AND '39'",
    "中专及以下": "'40' AND '99'",
}
DEGREE = {"博士": "('1', '2')", "硕士": "('3')", "学士": "('4')"}
TITLE = {"正高级": "('1')", "副高级": "('2')", "中级": "('3')", "初级": "('4', '5')", "无": "('')"}
RANKS = {
    "省部级": "('111', '112')",
    "厅局级": "('121', '122')",
    "县处级": "('131', '132')",
    "乡科级": "('141', '142')",
}
# The default 中上层人士 rule (settings: 中级 title, 乡科级 rank held, 硕士 degree, or above).
UPPER_TITLES, UPPER_DEGREES = "('1', '2', '3')", "('1', '2', '3')"
UPPER_RANKS = "('101', '102', '111', '112', '121', '122', '131', '132', '141', '142')"
BODIES = [(b.value, b.label) for b in codes.PoliticalBody if b != codes.PoliticalBody.SPECIAL]


def age(vendor: str, birth: str, on: str) -> str:
    """Whole years from ``birth`` to ``on`` (SQL expressions)."""
    if vendor == "postgresql":
        return f"EXTRACT(YEAR FROM AGE({on}, {birth}))"
    return (
        f"(CAST(substr({on}, 1, 4) AS INTEGER) - CAST(substr({birth}, 1, 4) AS INTEGER)"
        f" - (substr({birth}, 6, 5) > substr({on}, 6, 5)))"
    )


def _date_literal(vendor: str, on: date) -> str:
    return f"DATE '{on}'" if vendor == "postgresql" else f"'{on}'"


def organizations(cursor, path: str, on: date, categories: list[tuple[int, str]]) -> dict:
    kinds = list(codes.OrgKind)
    columns = ["count(DISTINCT o.id)"]
    columns += [f"count(DISTINCT o.id) FILTER (WHERE o.kind = '{k.value}')" for k in kinds]
    columns += [
        f"count(*) FILTER (WHERE oc.organizationcategory_id = {pk})" for pk, _ in categories
    ]
    cursor.execute(
        f"SELECT {', '.join(columns)} FROM {ORGS} o "
        "LEFT JOIN orgs_organization_categories oc ON oc.organization_id = o.id "
        "WHERE o.path > %s AND o.path < %s "
        "AND (o.established IS NULL OR o.established <= %s) "
        "AND (o.dissolved IS NULL OR o.dissolved > %s)",
        [path, path_upper_bound(path), on, on],
    )
    row = list(cursor.fetchone())
    total, by_kind, by_category = row[0], row[1 : 1 + len(kinds)], row[1 + len(kinds) :]
    return {
        "total": total,
        "by_kind": {k.label: n for k, n in zip(kinds, by_kind, strict=True)},
        "by_category": {name: n for (_, name), n in zip(categories, by_category, strict=True)},
    }


def _members_on(path: str, on: date) -> tuple[str, list]:
    """The people with a spell of the subtree in force on ``on``, once each."""
    sql = (
        f"SELECT DISTINCT s.person_id FROM {SPELLS} s JOIN {ORGS} o ON o.id = s.org_id "
        'WHERE o.path >= %s AND o.path < %s AND s.start <= %s AND (s."end" IS NULL OR s."end" > %s)'
    )
    return sql, [path, path_upper_bound(path), on, on]


def members(cursor, vendor: str, path: str, on: date) -> dict:
    bands = []
    for label, youngest, oldest in AGE_BANDS:
        earliest, latest = birth_date_bounds(on, youngest, oldest)
        bands.append((label, earliest, latest))
    columns = [
        ("total", "count(*)"),
        ("women", "count(*) FILTER (WHERE p.gender = '2')"),
        ("minorities", "count(*) FILTER (WHERE p.ethnicity BETWEEN '02' AND '56')"),
        ("average_age", f"avg({age(vendor, 'p.birth_date', _date_literal(vendor, on))})"),
    ]
    params: list = []
    for label, earliest, latest in bands:
        cond = ["p.birth_date IS NOT NULL"]
        if earliest:
            cond.append("p.birth_date >= %s")
            params.append(earliest)
        if latest:
            cond.append("p.birth_date <= %s")
            params.append(latest)
        columns.append((f"age_bands.{label}", f"count(*) FILTER (WHERE {' AND '.join(cond)})"))
    columns += [
        (f"education.{g}", f"count(*) FILTER (WHERE p.education BETWEEN {r})")
        for g, r in EDUCATION.items()
    ]
    columns += [
        (f"degree.{g}", f"count(*) FILTER (WHERE p.degree IN {v})") for g, v in DEGREE.items()
    ]
    columns += [
        (f"title_level.{g}", f"count(*) FILTER (WHERE p.title_level IN {v})")
        for g, v in TITLE.items()
    ]
    columns += [
        (f"sector.{label}", f"count(*) FILTER (WHERE p.sector = '{value}')")
        for value, label in codes.Sector.choices
    ]
    # 中上层人士 by the rank held: asked of each member on the posts' person index (an IN list
    # of every holder would read the country's posts for a city).
    columns += [
        ("retired", "count(*) FILTER (WHERE p.is_retired)"),
        ("cross_members", "count(*) FILTER (WHERE p.is_cross_member)"),
        (
            "upper_middle",
            "count(*) FILTER (WHERE p.upper_middle OR p.upper_middle IS NULL AND ("
            f"p.title_level IN {UPPER_TITLES} OR p.degree IN {UPPER_DEGREES} "
            "OR EXISTS (SELECT 1 FROM people_post po WHERE po.person_id = p.id "
            f"AND po.kind = 'government' AND po.rank IN {UPPER_RANKS} "
            'AND (po.start IS NULL OR po.start <= %s) AND (po."end" IS NULL OR po."end" > %s))))',
        ),
    ]
    inside, inside_params = _members_on(path, on)
    sql = (
        f"SELECT {', '.join(c for _, c in columns)} FROM ({inside}) m "
        "JOIN people_person p ON p.id = m.person_id"
    )
    cursor.execute(sql, [*params, on, on, *inside_params])
    row = cursor.fetchone()
    out = {key: value for (key, _), value in zip(columns, row, strict=True)}
    out["average_age"] = round(float(out["average_age"]), 1) if out["average_age"] else 0.0
    return out


def holders(cursor, vendor: str, path: str, on: date) -> dict:
    columns = [
        (f"rank_group.{g}", f"po.kind = 'government' AND po.rank IN {ranks}")
        for g, ranks in RANKS.items()
    ]
    columns += [
        (
            f"{level.label}.{label}",
            f"po.kind = 'political' AND po.body = '{body}' AND po.level = '{level}'",
        )
        for level in codes.PoliticalLevel
        for body, label in BODIES
    ]
    inside, inside_params = _members_on(path, on)
    # Driven from the members: a city's few thousand people, not every post of the country
    # (SQLite, without statistics, would start from the posts' kind index unless CROSS JOIN
    # fixes the order; PostgreSQL has no CROSS JOIN … ON and plans from its statistics).
    join = "CROSS JOIN" if vendor == "sqlite" else "JOIN"
    sql = (
        "SELECT "
        + ", ".join(f"count(DISTINCT po.person_id) FILTER (WHERE {c})" for _, c in columns)
        + f" FROM ({inside}) m {join} people_post po ON po.person_id = m.person_id "
        "WHERE po.kind IN ('government', 'political') "
        'AND (po.start IS NULL OR po.start <= %s) AND (po."end" IS NULL OR po."end" > %s)'
    )
    cursor.execute(sql, [*inside_params, on, on])
    return {key: value for (key, _), value in zip(columns, cursor.fetchone(), strict=True)}


def flows(cursor, vendor: str, path: str, start: date, end: date) -> dict:
    """Flows of ``[start, end]`` and the new members. A transfer counts unless the person's
    other spell of the subtree ends (or starts) on the same day: a move inside the subtree."""
    upper = path_upper_bound(path)
    began = "f.start BETWEEN %(start)s AND %(end)s"
    ended = 'f."end" BETWEEN %(start)s AND %(end)s'
    moved_from = (
        f"EXISTS (SELECT 1 FROM {SPELLS} i JOIN {ORGS} io ON io.id = i.org_id "
        'WHERE i.person_id = f.person_id AND i."end" = f.start '
        "AND io.path >= %(path)s AND io.path < %(upper)s)"
    )
    moved_to = (
        f"EXISTS (SELECT 1 FROM {SPELLS} i JOIN {ORGS} io ON io.id = i.org_id "
        'WHERE i.person_id = f.person_id AND i.start = f."end" '
        "AND io.path >= %(path)s AND io.path < %(upper)s)"
    )
    admitted = f"f.start_reason = 'admitted' AND {began}"
    conditions = {
        "admitted": admitted,
        "transferred_in": f"f.start_reason = 'transferred_in' AND {began} AND NOT {moved_from}",
        "transferred_out": f"f.end_reason = 'transferred_out' AND {ended} AND NOT {moved_to}",
        **{r: f"f.end_reason = '{r}' AND {ended}" for r in FLOWS[3:]},
    }
    columns = [
        (f"flows.{r}", f"count(DISTINCT f.person_id) FILTER (WHERE {c})")
        for r, c in conditions.items()
    ]
    columns += [
        (
            f"new_members.degree.{g}",
            f"count(DISTINCT f.person_id) FILTER (WHERE {admitted} AND p.degree IN {v})",
        )
        for g, v in DEGREE.items()
    ]
    columns += [
        (
            f"new_members.title_level.{g}",
            f"count(DISTINCT f.person_id) FILTER (WHERE {admitted} AND p.title_level IN {v})",
        )
        for g, v in TITLE.items()
    ]
    columns.append(
        (
            "new_members.average_age",
            f"avg({age(vendor, 'p.birth_date', 'f.start')}) FILTER (WHERE {admitted})",
        )
    )
    sql = (
        f"SELECT {', '.join(c for _, c in columns)} FROM {SPELLS} f "
        f"JOIN {ORGS} o ON o.id = f.org_id JOIN people_person p ON p.id = f.person_id "
        f"WHERE o.path >= %(path)s AND o.path < %(upper)s AND ({began} OR {ended})"
    )
    cursor.execute(sql, {"path": path, "upper": upper, "start": start, "end": end})
    out = {key: value for (key, _), value in zip(columns, cursor.fetchone(), strict=True)}
    mean = out["new_members.average_age"]
    out["new_members.average_age"] = round(float(mean), 1) if mean is not None else 0.0
    out["new_members.total"] = out["flows.admitted"]
    return out


def categories(cursor) -> list[tuple[int, str]]:
    cursor.execute("SELECT id, name FROM orgs_organizationcategory ORDER BY name")
    return list(cursor.fetchall())


def report(connection, path: str, dates: list[tuple[date, date]]) -> list[dict]:
    """The core figures for each (as_of, period_start) of ``dates``, keyed as STATS.md."""
    vendor = connection.vendor
    out = []
    with connection.cursor() as cursor:
        names = categories(cursor)
        for on, start in dates:
            flat = {f"members.{k}": v for k, v in members(cursor, vendor, path, on).items()}
            held = holders(cursor, vendor, path, on)
            flat.update({f"members.{k}": v for k, v in held.items() if k.startswith("rank_")})
            flat.update(
                {f"political_arrangements.{k}": v for k, v in held.items() if "rank_" not in k}
            )
            flat.update(flows(cursor, vendor, path, start, on))
            orgs = organizations(cursor, path, on, names)
            out.append({"organizations": orgs, **nest(flat)})
    return out


def nest(flat: dict) -> dict:
    result: dict = {}
    for key, value in flat.items():
        node = result
        *head, last = key.split(".")
        for part in head:
            node = node.setdefault(part, {})
        node[last] = value
    return result
