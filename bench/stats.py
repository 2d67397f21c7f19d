"""Statistics benchmark: the report page's annual tables against hand-written SQL, on the
roster benchmark's tree, on SQLite and PostgreSQL.

    .venv/bin/python bench/stats.py --members 10000 --orgs 600
    .venv/bin/python bench/stats.py --members 1000000 --orgs 60000 --db sqlite
    .venv/bin/python bench/stats.py --members 1000000 --orgs 60000 --db postgres --keep-postgres

Builds (once) bench/data/stats-<members>-<orgs>.sqlite3 with bench/roster.py's generator (its
tree, people and one spell each), then adds what the statistics count and the roster does not
make: minorities, cross members, 中上层人士 set on the person, moves between branches, transfers
from outside, expulsions, dissolved and new branches, general branches and groups, categories,
government posts (实职) and political arrangements. The PostgreSQL database is a copy of it in a
cluster this script starts (bench/data/stats-pg, port 54332).

For a city, a province and the root it times, alternately in one loop, the core sections of the
report (organizations, members and structure, flows, new members, political arrangements) on
the date and a year earlier, as ``tongxin.stats.tables.build_report`` computes them, and the same
figures in hand-written SQL (bench/stats_sql.py), after checking that both give the same numbers.
See bench/README.md, "Statistics".
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
sys.path.insert(0, str(BENCH))

import roster  # noqa: E402  the tree, the people and their first spells

bench_import = importlib.import_module("import")  # the throw-away PostgreSQL cluster

PG_PORT = 54332
PG_WORK = DATA / "stats-pg"
CORE = ("organizations", "members", "flows", "new_members", "political_arrangements")
BUDGET_S = 60.0  # per node and database: slow cases get fewer runs (at least MIN_RUNS)
MIN_RUNS = 5


def setup_django(db_url: str) -> None:
    # The bench users have no TOTP device: pages, not the second-factor step, are measured.
    os.environ["TONGXIN_ADMIN_OTP_REQUIRED"] = "0"
    bench_import.setup_django(db_url)


# --- data: what the statistics count beyond the roster's people ------------------------------

CATEGORIES = (
    "县区支部",
    "高校支部",
    "医卫支部",
    "中小学支部",
    "科技支部",
    "企业支部",
    "机关支部",
    "直属支部",
)
MINORITIES = ["03", "11", "08", "02", "04", "05", "06", "07", "10", "15", "09", "12"]
RANKS = (
    ["111"] * 3
    + ["112"] * 7
    + ["121"] * 30
    + ["122"] * 60
    + ["131"] * 120
    + ["132"] * 180
    + ["141"] * 250
    + ["142"] * 250
    + ["150"] * 100
)
RANK_TITLES = {
    "111": "副省长",
    "112": "副省长",
    "121": "厅长",
    "122": "副厅长",
    "131": "局长",
    "132": "副局长",
    "141": "科长",
    "142": "副科长",
    "150": "科员",
}
BODIES = (
    ["npc_deputy"] * 30
    + ["npc_standing"] * 4
    + ["cppcc_member"] * 55
    + ["cppcc_standing"] * 8
    + ["special"] * 3
)
LEVELS = ["national"] * 1 + ["provincial"] * 9 + ["city"] * 30 + ["county"] * 60
TERM_YEARS = (1998, 2003, 2008, 2013, 2018, 2023)
PARTY_POSTS = ("支部主委", "支部副主委", "支委")


def iso(ordinal: int | None) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal is not None else None


def ordinal(text: str | None) -> int | None:
    return date.fromisoformat(text).toordinal() if text else None


def enrich(db_path: Path, today: date, seed: int = 5) -> dict:
    """Add to the roster's database (one spell a person) what the annual tables count."""
    rng = random.Random(seed)
    db = sqlite3.connect(db_path, isolation_level=None)
    # The figure store's triggers are made again after the load (bench/roster.py, generate).
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'tongxin_%'"
    ).fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=OFF")
    db.execute("BEGIN")
    t_today = today.toordinal()

    # --- organizations: dates, kinds, categories, groups
    orgs = db.execute(
        "SELECT id, path, depth, kind FROM orgs_organization ORDER BY path"
    ).fetchall()
    county_of = {}
    branches_of: dict[str, list[int]] = {}
    for pk, path, _depth, kind in orgs:
        if kind == "branch":
            county_of[pk] = path[:16]
            branches_of.setdefault(path[:16], []).append(pk)
    branch_ids = list(county_of)
    established = {}
    for pk, _path, depth, _kind in orgs:
        first = {1: date(1941, 3, 19), 2: date(1950, 1, 1)}.get(depth, date(1980, 1, 1))
        established[pk] = first.toordinal() + (rng.randrange(365 * 4) if depth > 1 else 0)
    dissolved: dict[int, int] = {}
    new_branches: dict[int, int] = {}
    for pk in branch_ids:
        x = rng.random()
        if x < 0.005:
            dissolved[pk] = rng.randrange(date(1995, 1, 1).toordinal(), t_today - 1)
        elif x < 0.015:
            new_branches[pk] = established[pk] = rng.randrange(t_today - 3 * 365, t_today - 1)
    kinds = {pk: "general_branch" for pk in branch_ids if rng.random() < 0.02}
    next_org = db.execute("SELECT max(id) FROM orgs_organization").fetchone()[0] + 1
    groups = []
    numchild = {}
    for pk, path, _depth, kind in orgs:
        if kind == "branch" and rng.random() < 0.02:
            n = rng.choice((1, 2))
            numchild[pk] = n
            for g in range(n):
                groups.append(
                    (
                        next_org,
                        path + roster.step(g + 1),
                        f"B{next_org:06d}",
                        f"第{next_org}小组",
                        iso(established[pk] + 400),
                    )
                )
                next_org += 1
    labels = []
    for pk in branch_ids:
        x = rng.random()
        picked = rng.sample(range(len(CATEGORIES)), 2 if x < 0.1 else 1 if x < 0.9 else 0)
        labels += [(pk, c + 1) for c in picked]

    # --- people and spells (the roster: spell id = person id, one each)
    people = db.execute("SELECT id, birth_date FROM people_person").fetchall()
    spells = {
        pk: [person, org, ordinal(start), ordinal(end), sr, er]
        for pk, person, org, start, end, sr, er in db.execute(
            'SELECT id, person_id, org_id, start, "end", start_reason, end_reason '
            "FROM people_membershipspell"
        )
    }
    changed: set[int] = set()
    new_spells: list[list] = []
    next_spell = max(spells) + 1

    def sibling(pk: int) -> int:
        others = [b for b in branches_of[county_of[pk]] if b not in dissolved and b != pk]
        return rng.choice(others) if others else pk

    def target(pk: int) -> int:
        """A branch to move to: mostly in the same county, sometimes further."""
        x = rng.random()
        county = county_of[pk]
        if x < 0.5:
            return sibling(pk)
        return rng.choice(within[county[:12] if x < 0.7 else county[:8] if x < 0.9 else ""])

    within: dict[str, list[int]] = {}  # the branches of each city, province and the tree
    for pk in branch_ids:
        if pk not in dissolved:
            for prefix in (county_of[pk][:12], county_of[pk][:8], ""):
                within.setdefault(prefix, []).append(pk)

    def split(pk: int, on: int, to_org: int) -> None:
        """End spell ``pk`` on ``on`` as a transfer out and start one in ``to_org``."""
        nonlocal next_spell
        person, _org, _start, end, _sr, er = spells[pk]
        new_spells.append([next_spell, person, to_org, on, end, "transferred_in", er])
        next_spell += 1
        spells[pk][3], spells[pk][5] = on, "transferred_out"
        changed.add(pk)

    # Members of a new branch arrived after it was set up; a dissolved branch's members moved.
    for pk, spell in spells.items():
        org, start, end = spell[1], spell[2], spell[3]
        if org in new_branches and start < new_branches[org]:
            spell[1] = sibling(org)
            changed.add(pk)
        elif org in dissolved:
            on = dissolved[org]
            if start >= on:
                spell[1] = sibling(org)
                changed.add(pk)
            elif end is None or end > on:
                split(pk, on, sibling(org))
    moves = 0
    for pk in list(spells):
        person, org, start, end, _sr, _er = spells[pk]
        last = min(end or t_today, t_today) - 1
        if rng.random() < 0.06 and last - start > 60 and org not in dissolved:
            split(pk, rng.randrange(start + 30, last), target(org))
            moves += 1
    from_outside = expelled = 0
    for pk, spell in spells.items():
        if rng.random() < 0.05:
            spell[4] = "transferred_in"
            changed.add(pk)
            from_outside += 1
        if spell[5] == "removed" and rng.random() < 0.2:
            spell[5] = "expelled"
            changed.add(pk)
            expelled += 1

    # Nobody admitted before 22; minorities, cross members, 中上层人士 set on some people.
    first_start = {s[0]: s[2] for s in spells.values()}
    person_updates = []
    births = {}
    for pk, birth in people:
        b = ordinal(birth)
        if first_start[pk] - b < 22 * 365:
            b = first_start[pk] - rng.randrange(22 * 365, 45 * 365)
        births[pk] = b
        person_updates.append(
            (
                iso(b),
                rng.choice(MINORITIES) if rng.random() < 0.06 else "01",
                rng.random() < 0.03,
                True if rng.random() < 0.04 else False if rng.random() < 0.02 else None,
                pk,
            )
        )

    # Posts: 实职 for 8 % of people, a seat (政治安排) for 5 %, a branch post for 3 %.
    posts = []
    home = {s[0]: s[1] for s in spells.values()}
    for pk, b in births.items():
        earliest = max(b + 25 * 365, date(1990, 1, 1).toordinal())
        if rng.random() < 0.08 and earliest < t_today - 60:
            rank = rng.choice(RANKS)
            start = rng.randrange(earliest, t_today - 30)
            end = rng.randrange(start, t_today) if rng.random() < 0.25 else None
            posts.append(
                (
                    "government",
                    RANK_TITLES[rank],
                    f"第{rng.randrange(1, 300)}局",
                    rank,
                    "",
                    "",
                    "",
                    iso(start),
                    iso(end),
                    None,
                    pk,
                )
            )
        if rng.random() < 0.05:
            terms = [y for y in TERM_YEARS if date(y, 1, 15).toordinal() > b + 30 * 365]
            if terms:
                first = rng.randrange(len(terms))
                last = min(len(terms) - 1, first + rng.choice((0, 1, 1, 2)))
                body, level = rng.choice(BODIES), rng.choice(LEVELS)
                for y in terms[first : last + 1]:
                    end = date(y + 5, 1, 15) if y + 5 <= today.year - 1 else None
                    posts.append(
                        (
                            "political",
                            "",
                            "",
                            "",
                            body,
                            level,
                            f"{(y - 1993) // 5 + 8}届",
                            date(y, 1, 15).isoformat(),
                            end and end.isoformat(),
                            None,
                            pk,
                        )
                    )
        if rng.random() < 0.03:
            start = rng.randrange(max(first_start[pk], t_today - 10 * 365), t_today)
            posts.append(
                (
                    "party",
                    rng.choice(PARTY_POSTS),
                    "",
                    "",
                    "",
                    "",
                    "",
                    iso(start),
                    None,
                    home[pk],
                    pk,
                )
            )

    db.executemany(
        "UPDATE orgs_organization SET established = ?, dissolved = ?, kind = ? WHERE id = ?",
        [
            (iso(established[pk]), iso(dissolved.get(pk)), kinds.get(pk, kind), pk)
            for pk, _path, _depth, kind in orgs
        ],
    )
    db.executemany(
        "UPDATE orgs_organization SET numchild = ? WHERE id = ?",
        [(n, pk) for pk, n in numchild.items()],
    )
    db.executemany(
        "INSERT INTO orgs_organization (id, path, depth, numchild, code, name, kind, party, "
        "short_name, note, established) VALUES (?, ?, 6, 0, ?, ?, 'group', '', '', '', ?)",
        groups,
    )
    db.executemany(
        "INSERT INTO orgs_organizationcategory (id, name) VALUES (?, ?)",
        [(i + 1, name) for i, name in enumerate(CATEGORIES)],
    )
    db.executemany(
        "INSERT INTO orgs_organization_categories (organization_id, organizationcategory_id) "
        "VALUES (?, ?)",
        labels,
    )
    db.executemany(
        "UPDATE people_person SET birth_date = ?, ethnicity = ?, is_cross_member = ?, "
        "upper_middle = ? WHERE id = ?",
        person_updates,
    )
    db.executemany(
        'UPDATE people_membershipspell SET org_id = ?, start = ?, "end" = ?, start_reason = ?, '
        "end_reason = ?, came_from = CASE WHEN ? = 'transferred_in' THEN '外省市组织' ELSE '' END "
        "WHERE id = ?",
        [
            (
                spells[pk][1],
                iso(spells[pk][2]),
                iso(spells[pk][3]),
                spells[pk][4],
                spells[pk][5],
                spells[pk][4],
                pk,
            )
            for pk in sorted(changed)
        ],
    )
    db.executemany(
        'INSERT INTO people_membershipspell (id, person_id, org_id, start, "end", start_reason, '
        "end_reason, document_no, approved_by, end_document_no, end_approved_by, note, "
        "start_letter_no, came_from, end_letter_no, went_to) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, '', '', '', '', '', '', '', '', '')",
        [(pk, person, org, iso(s), iso(e), sr, er) for pk, person, org, s, e, sr, er in new_spells],
    )
    db.executemany(
        'INSERT INTO people_post (kind, title, unit, rank, body, level, term, start, "end", '
        "org_id, person_id, document_no, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')",
        posts,
    )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {
        "dissolved_branches": len(dissolved),
        "new_branches": len(new_branches),
        "general_branches": len(kinds),
        "groups": len(groups),
        "category_labels": len(labels),
        "moves_between_branches": moves,
        "spells": len(spells) + len(new_spells),
        "transfers_from_outside": from_outside,
        "expelled": expelled,
        "posts": {
            kind: sum(1 for p in posts if p[0] == kind)
            for kind in ("government", "political", "party")
        },
    }


def child_generate(args) -> dict:
    db_path = Path(args.sqlite)
    setup_django(f"sqlite:///{db_path}")
    today = date.today()
    t = time.perf_counter()
    meta = roster.generate(db_path, args.members, args.orgs)
    t_enrich = time.perf_counter()
    meta["stats_data"] = enrich(db_path, today)
    from tongxin.stats import cache

    cache.install_triggers()
    meta["seconds"]["enrich"] = round(time.perf_counter() - t_enrich, 1)
    meta["seconds"]["total"] = round(time.perf_counter() - t, 1)
    meta["generated"] = today.isoformat()
    # The annual tables of the last complete year.
    meta["as_of"] = date(today.year - 1, 12, 31).isoformat()
    return meta


TABLES = (
    "orgs_organizationcategory",
    "orgs_organization",
    "orgs_organization_categories",
    "people_person",
    "people_membershipspell",
    "people_post",
)


def child_load(args) -> dict:
    """Copy the SQLite database's tree, people, spells and posts into a migrated PostgreSQL
    database, then VACUUM ANALYZE (what autovacuum does on a live database)."""
    setup_django(args.db_url)
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t
    source = sqlite3.connect(args.sqlite)
    rows = {}
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers during COPY
        for table in TABLES:
            cols = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
            quoted = ", ".join(f'"{c}"' for c in cols)
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                n = 0
                for row in source.execute(f"SELECT {quoted} FROM {table}"):
                    copy.write_row(row)
                    n += 1
            rows[table] = n
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce(max(id), 1)) FROM {table}"
            )
        cursor.execute("SET session_replication_role = origin")
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {"rows": rows, "migrate": t_migrate, "seconds": time.perf_counter() - t}


# --- measurement ----------------------------------------------------------------------------


def cpu_now(connection) -> float:
    """CPU seconds of this process and, on PostgreSQL, of its backend (same machine): steadier
    than wall time on a loaded machine."""
    cpu = time.process_time()
    if connection.vendor == "postgresql":
        pid = connection.connection.info.backend_pid
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return cpu


def pick_nodes(on: date):
    """The city and the province whose member counts on ``on`` are the median of their level,
    and the root."""
    from django.db import connection

    from tongxin.orgs.models import Organization

    def median(length: int):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT substr(o.path, 1, {length}) AS node, count(DISTINCT s.person_id) "
                "FROM people_membershipspell s JOIN orgs_organization o ON o.id = s.org_id "
                'WHERE s.start <= %s AND (s."end" IS NULL OR s."end" > %s) GROUP BY node '
                "ORDER BY 2, 1",
                [on, on],
            )
            rows = cursor.fetchall()
        path, count = rows[len(rows) // 2]
        return Organization.objects.get(path=path), count, len(rows)

    return {
        "city": median(12),
        "province": median(8),
        "root": median(4),
    }


@contextmanager
def core_sections():
    """Only the core sections registered (the other apps' sections are not what this benchmark
    measures; the full report is timed separately)."""
    from tongxin.stats import sections

    registered = sections.all_sections
    sections.all_sections = lambda: [s for s in registered() if s.key in CORE]
    try:
        yield
    finally:
        sections.all_sections = registered


def core_report(scope, org, as_of, start):
    """``build_report`` of the core sections."""
    from tongxin.stats import tables

    with core_sections():
        return tables.build_report(scope=scope, org=org, as_of=as_of, period_start=start)


def differences(a, b, prefix="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{prefix}{key}: only in {'selectors' if key in a else 'SQL'}")
            else:
                out += differences(a[key], b[key], f"{prefix}{key}.")
        return out
    return [] if a == b else [f"{prefix.rstrip('.')}: selectors {a!r}, SQL {b!r}"]


def timed_pair(connection, fn_a, fn_b, warmups: int, runs: int) -> dict:
    """fn_a and fn_b alternately: wall and CPU milliseconds of each, and the per-pair ratio."""
    for _ in range(warmups):
        fn_a()
        fn_b()
    out = {"a": [], "b": [], "a_cpu": [], "b_cpu": [], "load": [os.getloadavg()[0]]}
    t0 = time.perf_counter()
    i = 0
    while i < runs or (i < MIN_RUNS):
        for key, fn in (("a", fn_a), ("b", fn_b)):
            c, t = cpu_now(connection), time.perf_counter()
            fn()
            out[key].append((time.perf_counter() - t) * 1000)
            out[f"{key}_cpu"].append((cpu_now(connection) - c) * 1000)
        i += 1
        if time.perf_counter() - t0 > BUDGET_S and i >= MIN_RUNS:
            break
    out["load"].append(os.getloadavg()[0])
    return out


def timed(connection, fn, warmups: int, runs: int) -> dict:
    for _ in range(warmups):
        fn()
    out = {"ms": [], "cpu": []}
    t0 = time.perf_counter()
    for i in range(runs):
        c, t = cpu_now(connection), time.perf_counter()
        fn()
        out["ms"].append((time.perf_counter() - t) * 1000)
        out["cpu"].append((cpu_now(connection) - c) * 1000)
        if time.perf_counter() - t0 > BUDGET_S / 2 and i + 1 >= MIN_RUNS:
            break
    return out


def med(xs) -> float:
    return round(statistics.median(xs), 2)


def child_measure(args) -> dict:
    setup_django(args.db_url)
    import stats_sql  # needs Django set up
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tongxin.accounts.roles import Cap, Role
    from tongxin.accounts.services import grant_roles
    from tongxin.core.dates import years_before
    from tongxin.core.figures import values
    from tongxin.core.scope import Scope
    from tongxin.stats import tables

    meta = json.loads(Path(args.meta).read_text())
    as_of = date.fromisoformat(meta["as_of"])
    start = as_of.replace(month=1, day=1)
    dates = [(as_of, start), (years_before(as_of, 1), years_before(start, 1))]
    # The schema follows the code measured (apps and indexes added since the data was made).
    call_command("migrate", verbosity=0)
    # Counted afresh unless told (stored_rows): the figure store of tongxin.stats.cache.
    settings.TONGXIN_STATS_CACHE = False
    connection.ensure_connection()
    res: dict = {"db": connection.vendor, "as_of": meta["as_of"], "nodes": {}}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            res["server"] = cursor.fetchone()[0]
    else:
        res["server"] = sqlite3.sqlite_version
    User = get_user_model()
    for label, (org, active, siblings) in pick_nodes(as_of).items():
        if args.nodes and label not in args.nodes:
            continue
        print(f"  {label}: {org.name} ({active:,} members on {as_of})", flush=True)
        scope = Scope.of([org.path], frozenset(Cap.values))

        def ours(org=org, scope=scope):
            return core_report(scope, org, as_of, start)

        def hand(org=org):
            return stats_sql.report(connection, org.path, dates)

        report = ours()
        mine = [
            {k: values(report.figures[k]) for k in CORE},
        ]
        with core_sections():
            previous = tables.stats_sections.compute(
                scope=scope, org=org, as_of=dates[1][0], period_start=dates[1][1]
            )
        mine.append({k: values(previous[k]) for k in CORE})
        theirs = hand()
        diffs = [d for m, t in zip(mine, theirs, strict=True) for d in differences(m, t)]
        if diffs:
            print("    DIFFERENT:", *diffs[:20], sep="\n      ", flush=True)
        with CaptureQueriesContext(connection) as ctx:
            ours()
        queries = len(ctx.captured_queries)
        pair = timed_pair(connection, ours, hand, args.warmups, args.runs)
        node = {
            "name": org.name,
            "path": org.path,
            "members": active,
            "of_level": siblings,
            "same_numbers": not diffs,
            "differences": diffs,
            "queries": queries,
            "selectors_ms": med(pair["a"]),
            "sql_ms": med(pair["b"]),
            "selectors_cpu_ms": med(pair["a_cpu"]),
            "sql_cpu_ms": med(pair["b_cpu"]),
            "ratio": round(
                statistics.median(a / b for a, b in zip(pair["a"], pair["b"], strict=True)), 2
            ),
            "ratio_cpu": round(
                statistics.median(a / b for a, b in zip(pair["a_cpu"], pair["b_cpu"], strict=True)),
                2,
            ),
            "runs": len(pair["a"]),
            "load": pair["load"],
            "raw": pair,
        }
        print(
            f"    selectors {node['selectors_ms']} ms, SQL {node['sql_ms']} ms, "
            f"ratio {node['ratio']} (CPU {node['ratio_cpu']}), {node['runs']} runs, "
            f"{queries} queries, load {pair['load']}",
            flush=True,
        )
        node.update(stored_rows(connection, ours, mine[0], args))
        print(
            f"    stored: first {node['first_ms']} ms, then {node['stored_ms']} ms "
            f"(CPU {node['stored_cpu_ms']}), same numbers {node['stored_same']}",
            flush=True,
        )
        if args.full:
            # The whole report as the page builds it (every app's sections) and the page.
            full = timed(
                connection,
                lambda org=org, scope=scope: tables.build_report(
                    scope=scope, org=org, as_of=as_of, period_start=start
                ),
                1,
                args.runs,
            )
            clerk, _ = User.objects.update_or_create(
                username=f"bench-stats-{label}", defaults={"must_change_password": False}
            )
            grant_roles(clerk, [Role.STAFF])
            clerk.scope_nodes.set([org])
            client = Client()
            client.force_login(clerk)
            url = f"/stats/?org={org.pk}&as_of={as_of}&period_start={start}"

            def page(client=client, url=url):
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            shown = timed(connection, page, 1, args.runs)
            node["full_report_ms"] = med(full["ms"])
            node["page_ms"] = med(shown["ms"])
            print(
                f"    full report {node['full_report_ms']} ms, page {node['page_ms']} ms",
                flush=True,
            )
        if args.profile:
            node["profile"] = profile(ours, f"stats-{meta['members']}-{label}-{connection.vendor}")
        if args.explain:
            node["statements"] = statements(connection, ours)
        res["nodes"][label] = node
    return res


def stored_rows(connection, ours, counted: dict, args) -> dict:
    """The report with tongxin.stats.cache on: the first time (counting and storing, after
    emptying the store), then read from the stored rows; and whether it gives the numbers
    counted afresh."""
    from django.conf import settings

    from tongxin.core.figures import values
    from tongxin.stats.models import CachedAggregate

    settings.TONGXIN_STATS_CACHE = True
    CachedAggregate.objects.all().delete()
    first = timed(connection, ours, 0, 1)
    again = timed(connection, ours, 1, args.runs)
    report = ours()
    same = {k: values(report.figures[k]) for k in CORE} == counted
    settings.TONGXIN_STATS_CACHE = False
    return {
        "first_ms": med(first["ms"]),
        "first_cpu_ms": med(first["cpu"]),
        "stored_ms": med(again["ms"]),
        "stored_cpu_ms": med(again["cpu"]),
        "stored_runs": len(again["ms"]),
        "stored_same": same,
    }


def profile(fn, name: str) -> str:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    path = DATA / f"{name}.prof.txt"
    path.write_text(out.getvalue())
    return str(path)


def statements(connection, fn) -> list:
    """Every statement of one report with its time alone and its plan."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    out = []
    explain = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for q in ctx.captured_queries:
        sql = q["sql"]
        with connection.cursor() as cursor:
            t = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            ms = (time.perf_counter() - t) * 1000
            cursor.execute(explain + sql)
            plan = [" ".join(str(c) for c in r) for r in cursor.fetchall()]
        out.append({"ms": round(ms, 2), "sql": sql, "plan": plan})
    return out


# --- the parent ----------------------------------------------------------------------------------


def run_child(phase: str, args, **extra) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        phase,
        "--members",
        str(args.members),
        "--orgs",
        str(args.orgs),
        "--runs",
        str(args.runs),
        "--warmups",
        str(args.warmups),
    ]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    for flag in ("full", "profile", "explain"):
        if getattr(args, flag):
            cmd.append(f"--{flag}")
    for node in args.nodes or ():
        cmd += ["--node", node]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        raise SystemExit(f"phase {phase} failed")
    lines = proc.stdout.splitlines()
    for line in lines:
        if not line.startswith("RESULT "):
            print(line, flush=True)
    return json.loads(next(x for x in reversed(lines) if x.startswith("RESULT "))[7:])


def postgres_url(args, meta: dict, pg) -> str:
    """The PostgreSQL copy of the SQLite database, loaded unless it already is."""
    import psycopg

    name = f"stats_{args.members}_{args.orgs}"
    stamp = f"{meta['generated']} {meta['seconds']['total']}"
    with psycopg.connect(pg.admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    url = f"postgres://tongxin@127.0.0.1:{pg.port}/{name}"
    if row and row[0] == stamp and not args.regenerate:
        return url
    url = pg.fresh(name)
    print(f"loading PostgreSQL {name} …", flush=True)
    loaded = run_child("load", args, db_url=url, sqlite=args.sqlite_path)
    print(f"  {loaded}", flush=True)
    with psycopg.connect(pg.admin_url, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE {name} IS '{stamp}'")
    return url


# --- the non_party_cadres section (issue 19): a department with N files ---------------------


def non_party_bench(files: int, db_url: str, runs: int) -> dict:
    """Builds (once) a 区委统战部 with 37 units keeping ``files`` non-party cadres and talents,
    government posts for a third of them, pools and entries recommended by the units, then
    times the ``non_party_cadres`` section counted afresh (no figure store)."""
    setup_django(db_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tongxin.cadres import services as cadres_services
    from tongxin.cadres.models import PoolEntry, PoolKind, PoolLevel, TalentPool
    from tongxin.cadres.nonparty_stats import non_party_section
    from tongxin.core import tally
    from tongxin.core.scope import Scope
    from tongxin.orgs import services as org_services
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Affiliation, Person, Post

    today = date(2025, 12, 31)
    code = f"NP{files}"
    root = Organization.objects.filter(code=code).first()
    if root is None:
        rng = random.Random(19)
        root = org_services.org_create(
            parent=None,
            org=Organization(code=code, name=f"统战部（{files}份档案）", kind="department"),
        )
        kinds = ["street_committee"] * 8 + ["industry_committee"] * 12 + ["bureau"] * 17
        units = [
            org_services.org_create(
                parent=root, org=Organization(code=f"{code}-{i:02d}", name=f"单位{i}", kind=kind)
            )
            for i, kind in enumerate(kinds, 1)
        ]
        people = Person.objects.bulk_create(
            Person(
                name=f"党外{i}", gender="12"[i % 2], birth_date=date(1960 + i % 35, 1 + i % 12, 1)
            )
            for i in range(files)
        )
        Affiliation.objects.bulk_create(
            Affiliation(person=p, org=units[i % len(units)], start=date(2020, 1, 1),
                        kind="talent" if i % 5 == 4 else "non_party_cadre")
            for i, p in enumerate(people)
        )  # fmt: skip
        ranks = ["131", "132", "132", "141", "142", "142", "121", "122"]
        Post.objects.bulk_create(
            Post(person=p, kind="government", title="职务", unit="单位", rank=rng.choice(ranks),
                 start=date(2019 + rng.randint(0, 6), rng.randint(1, 12), 1))
            for p in people[: files // 3]
        )  # fmt: skip

        def pool(name, kind):
            return cadres_services.pool_save(pool=TalentPool(owner=root, name=name, kind=kind))

        reserve = pool("党外后备干部", PoolKind.NON_PARTY_RESERVE)
        levels = [
            cadres_services.pool_level_save(level=PoolLevel(pool=reserve, rank_group=group))
            for group in ("division", "section")
        ]
        young, talent = pool("优秀青年干部", PoolKind.YOUNG), pool("专业人才库", PoolKind.TALENT)
        entries = []
        for i, p in enumerate(people):
            target = (reserve, young, talent, None)[i % 4]
            if target is None:
                continue
            start = date(2023 + rng.randint(0, 2), rng.randint(1, 12), 1)
            entries.append(PoolEntry(
                pool=target, person=p, start=start, source="unit", decision_meeting="部务会",
                decision_date=start, recommending_unit=units[i % len(units)],
                level=levels[i % 2] if target is reserve else None,
            ))  # fmt: skip
        PoolEntry.objects.bulk_create(entries)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    tally.use_store(None)  # counted afresh: no stored figures
    scope = Scope(everything=True)

    def compute():
        return non_party_section.compute(
            scope=scope, org=root, as_of=today, period_start=date(2025, 1, 1)
        )

    figures = compute()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        compute()
        times.append((time.perf_counter() - started) * 1000)
    from tongxin.core.figures import values

    return {
        "vendor": connection.vendor,
        "files": values(figures)["files"],
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=600)
    parser.add_argument("--db", action="append", choices=("sqlite", "postgres"))
    parser.add_argument(
        "--node", action="append", dest="nodes", choices=("city", "province", "root")
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the databases")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--keep-postgres", action="store_true", help="leave the cluster running")
    parser.add_argument(
        "--full",
        action="store_true",
        help="also time the report with every app's sections, and the page",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one report a node")
    parser.add_argument("--explain", action="store_true", help="each statement's plan and time")
    parser.add_argument(
        "--non-party",
        type=int,
        metavar="FILES",
        help="time the non_party_cadres section of a department with FILES files, on --db-url "
        "(default a SQLite file in bench/data)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite", help=argparse.SUPPRESS)
    parser.add_argument("--meta", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.non_party:
        DATA.mkdir(parents=True, exist_ok=True)
        url = args.db_url or f"sqlite:///{DATA / f'nonparty-{args.non_party}.sqlite3'}"
        print(json.dumps(non_party_bench(args.non_party, url, args.runs), ensure_ascii=False))
        return
    if args.child:
        phase = {"generate": child_generate, "load": child_load, "measure": child_measure}
        print("RESULT " + json.dumps(phase[args.child](args), default=str), flush=True)
        return

    DATA.mkdir(parents=True, exist_ok=True)
    stem = f"stats-{args.members}-{args.orgs}"
    db_path = DATA / f"{stem}.sqlite3"
    meta_path = DATA / f"{stem}.meta.json"
    args.sqlite_path = db_path
    if args.regenerate or not meta_path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
        print(f"generating {db_path} …", flush=True)
        meta = run_child("generate", args, sqlite=db_path)
        meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
        print(f"  {meta}", flush=True)
    meta = json.loads(meta_path.read_text())
    if args.generate_only:
        return
    results = {"meta": meta, "code": roster.code_state(), "runs": {}}
    for db in args.db or ("sqlite", "postgres"):
        print(f"measuring on {db} (load {os.getloadavg()}) …", flush=True)
        if db == "sqlite":
            url = f"sqlite:///{db_path}"
            results["runs"][db] = run_child("measure", args, db_url=url, meta=meta_path)
            continue
        pg = bench_import.Postgres(port=PG_PORT, work=PG_WORK)
        pg.start()
        try:
            url = postgres_url(args, meta, pg)
            results["runs"][db] = run_child("measure", args, db_url=url, meta=meta_path)
        finally:
            if not args.keep_postgres:
                pg.stop()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M")
    # A file a run, so that a run on one database does not overwrite another's figures.
    dbs = "-".join(results["runs"])
    out = DATA / f"{stem}.{dbs}.{time.strftime('%Y%m%d-%H%M')}.results.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(report(results))


def report(results: dict) -> str:
    meta = results["meta"]
    lines = [
        f"### {meta['members']:,} members, {meta['orgs']:,} organizations, as of {meta['as_of']}",
        "",
        f"Code: {results['code']}.",
        "",
        "| db | node | members | selectors ms | SQL ms | ratio | CPU ratio | runs | queries "
        "| same numbers | load | stored: first | stored: then (CPU) | stored same |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|",
    ]
    for db, run in results["runs"].items():
        for label, n in run["nodes"].items():
            load = "–".join(f"{x:.1f}" for x in n["load"])
            lines.append(
                f"| {db} | {label} | {n['members']:,} | {n['selectors_ms']:.1f} | "
                f"{n['sql_ms']:.1f} | {n['ratio']:.2f}× | {n['ratio_cpu']:.2f}× | {n['runs']} | "
                f"{n['queries']} | {'yes' if n['same_numbers'] else 'NO'} | {load} | "
                f"{n['first_ms']:.1f} | {n['stored_ms']:.1f} ({n['stored_cpu_ms']:.1f}) | "
                f"{'yes' if n['stored_same'] else 'NO'} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
