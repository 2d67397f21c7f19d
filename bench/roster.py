"""Roster and subtree-count benchmark on a large synthetic tree (SQLite).

    .venv/bin/python bench/roster.py --members 10000 --orgs 600
    .venv/bin/python bench/roster.py --members 1000000 --orgs 60000

Builds (once) bench/data/roster-<members>-<orgs>.sqlite3 with a national tree
(root → provinces → cities → counties → branches) in which every city has about 200
organizations and members/cities members, whatever the total size, so that "the same city
page" can be compared between a small and a large table. Then measures, for a city with a
typical member count, the roster page through the Django test client (server time: view,
queries and template rendering), the subtree member counts, and the raw SQL of the roster
query run with sqlite3 directly (the floor). See bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from array import array
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
ORGS_PER_CITY = 200  # 1 city + 10 counties + ~189 branches
COUNTIES_PER_CITY = 10
CITIES_PER_PROVINCE = 10


def step(n: int) -> str:
    """treebeard MP step: n (1-based) in base 36, zero-padded to STEPLEN."""
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, "0")


def setup_django(db_path: Path, db_url: str = "") -> None:
    os.environ["TONGXIN_DATABASE_URL"] = db_url or f"sqlite:///{db_path}"
    os.environ["TONGXIN_VAR_DIR"] = str(DATA / "var")
    os.environ.setdefault("TONGXIN_SECRET_KEY", "bench-only-not-secret")
    os.environ["TONGXIN_ALLOWED_HOSTS"] = "testserver"
    # The bench's superuser has no TOTP device: measured pages, not the second-factor step.
    os.environ["TONGXIN_ADMIN_OTP_REQUIRED"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings"
    os.environ.pop("TONGXIN_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data generation ------------------------------------------------------------------------

SURNAMES = [
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
]
GIVEN = [
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂", "gui"),
    ("英", "ying"),
    ("华", "hua"),
    ("文", "wen"),
    ("玲", "ling"),
    ("建", "jian"),
    ("国", "guo"),
    ("红", "hong"),
    ("志", "zhi"),
    ("海", "hai"),
    ("燕", "yan"),
    ("鹏", "peng"),
    ("宇", "yu"),
    ("婷", "ting"),
    ("晨", "chen"),
    ("琳", "lin"),
]
# Weighted like a democratic party's membership: mostly graduates.
EDUCATION = (
    ["11"] * 8 + ["14"] * 22 + ["21"] * 45 + ["22"] * 2 + ["31"] * 15 + ["41"] * 5 + ["61"] * 3
)
DEGREE = ["2"] * 8 + ["3"] * 22 + ["4"] * 45 + [""] * 25
TITLE_LEVEL = ["1"] * 10 + ["2"] * 25 + ["3"] * 35 + ["4"] * 10 + ["5"] * 5 + [""] * 15
END_REASONS = ["withdrew"] * 4 + ["transferred_out"] * 3 + ["died"] * 2 + ["removed"]


def tree_shape(members: int, orgs: int) -> tuple[int, int, list[int]]:
    """(provinces, cities, branches per county): every city has ~ORGS_PER_CITY nodes."""
    cities = max(1, round(orgs / ORGS_PER_CITY))
    provinces = max(1, round(cities / CITIES_PER_PROVINCE))
    counties = cities * COUNTIES_PER_CITY
    branches = max(counties, orgs - 1 - provinces - cities - counties)
    per_county = [
        branches // counties + (1 if i < branches % counties else 0) for i in range(counties)
    ]
    return provinces, cities, per_county


def tree_rows(members: int, orgs: int, seed: int = 42):
    """The tree's rows, the same wherever they are written: (organization rows, branch ids,
    people() and spells(), generators of the people's and the spells' rows, the spells'
    only once people() has run to its end, and the shape (provinces, cities))."""
    rng = random.Random(seed)
    provinces, cities, per_county = tree_shape(members, orgs)
    # --- organizations: (id, path, depth, numchild, code, name, kind, party)
    org_rows = []
    branch_ids: list[int] = []
    next_id = 1

    def add(path, depth, numchild, name, kind, party=""):
        nonlocal next_id
        org_rows.append((next_id, path, depth, numchild, f"B{next_id:06d}", name, kind, party))
        next_id += 1
        return next_id - 1

    add(step(1), 1, provinces, "全国委员会", "committee", "05")
    city_no = county_no = 0
    cities_of = [
        cities // provinces + (1 if i < cities % provinces else 0) for i in range(provinces)
    ]
    for p in range(provinces):
        p_path = step(1) + step(p + 1)
        add(p_path, 2, cities_of[p], f"第{p + 1}省委员会", "committee")
        for c in range(cities_of[p]):
            c_path = p_path + step(c + 1)
            add(c_path, 3, COUNTIES_PER_CITY, f"第{city_no + 1}市委员会", "committee")
            city_no += 1
            for k in range(COUNTIES_PER_CITY):
                k_path = c_path + step(k + 1)
                nb = per_county[county_no]
                county_no += 1
                add(k_path, 4, nb, f"第{county_no}区县基层委员会", "grassroots_committee")
                for b in range(nb):
                    branch_ids.append(
                        add(k_path + step(b + 1), 5, 0, f"第{county_no}区县第{b + 1}支部", "branch")
                    )

    # --- people and one spell each
    today = date.today()
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    epoch_birth = date(1950, 1, 1).toordinal()
    epoch_start = date(1985, 1, 1).toordinal()
    last_start = (today - timedelta(days=30)).toordinal()
    sectors = [
        "education",
        "culture",
        "press",
        "science",
        "health",
        "economy",
        "law",
        "welfare",
        "other",
    ]
    # The people are written as they are made (a generator fed to executemany) and each one's
    # spell is kept as four numbers until the people are in: at 10M members the rows held as
    # tuples took over 10 GB. The random draws, the rows and their order are those of the
    # version that held every row (the 1M file's tables checked identical, bench/README.md).
    spell_start, spell_end = array("i"), array("i")
    spell_reason, spell_org = array("b"), array("i")
    reasons = ["", *dict.fromkeys(END_REASONS)]

    def people():
        for pid in range(1, members + 1):
            s, sp = SURNAMES[rng.randrange(len(SURNAMES))]
            n = 1 + (rng.random() < 0.7)
            given = [GIVEN[rng.randrange(len(GIVEN))] for _ in range(n)]
            name = s + "".join(g[0] for g in given)
            pinyin = sp + "".join(g[1] for g in given)
            initials = sp[0] + "".join(g[1][0] for g in given)
            birth = date.fromordinal(epoch_birth + rng.randrange(365 * 50))
            start = date.fromordinal(rng.randrange(epoch_start, last_start))
            end = end_reason = None
            if rng.random() < 0.10:
                end = date.fromordinal(rng.randrange(start.toordinal(), today.toordinal()))
                end_reason = rng.choice(END_REASONS)
            row = (
                pid,
                name,
                pinyin,
                initials,
                "",
                rng.choice("12"),
                birth.isoformat(),
                "01",
                "",
                rng.choice(EDUCATION),
                rng.choice(DEGREE),
                "",
                "",
                rng.choice(TITLE_LEVEL),
                f"第{rng.randrange(1, 500)}单位",
                "",
                "",
                rng.choice(sectors),
                rng.random() < 0.2,
                False,
                None,
                start.isoformat(),
                "",
                "",
                "",
                now,
                now,
            )
            spell_org.append(branch_ids[rng.randrange(len(branch_ids))])
            spell_start.append(start.toordinal())
            spell_end.append(end.toordinal() if end else 0)
            spell_reason.append(reasons.index(end_reason or ""))
            yield row

    def spells():
        for i in range(members):
            end = spell_end[i]
            yield (
                i + 1,
                date.fromordinal(spell_start[i]).isoformat(),
                date.fromordinal(end).isoformat() if end else None,
                "admitted",
                reasons[spell_reason[i]],
                "",
                "",
                "",
                "",
                "",
                spell_org[i],
                i + 1,
            )

    return org_rows, branch_ids, people, spells, (provinces, cities)


def generate(db_path: Path, members: int, orgs: int, seed: int = 42) -> dict:
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    connection.close()
    t_migrate = time.perf_counter() - t0

    org_rows, branch_ids, people, spells, (provinces, cities) = tree_rows(members, orgs, seed)

    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=OFF")
    db.execute("BEGIN")
    # Indexes are dropped during the load and recreated from their own DDL afterwards.
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        "AND tbl_name IN ('people_person', 'people_membershipspell', 'orgs_organization')"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    # So are the figure store's triggers (tongxin.stats.cache): per row, each spell would look
    # up its person's ties in unindexed tables. They are made again after the load, and the
    # store starts from a new version.
    triggers = db.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'tongxin_%'"
    ).fetchall()
    for (name,) in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    # And the search pairs' (migration people 0014): filled by one statement after the load.
    grams = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' "
        "AND name LIKE 'people_person_grams%'"
    ).fetchall()
    for name, _ in grams:
        db.execute(f'DROP TRIGGER "{name}"')
    db.executemany(
        "INSERT INTO orgs_organization (id, path, depth, numchild, code, name, kind, party, "
        "short_name, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '')",
        org_rows,
    )
    db.executemany(
        "INSERT INTO people_person (id, name, name_pinyin, name_initials, id_number, gender, "
        "birth_date, ethnicity, native_place, education, degree, school_major, title, title_level, "
        "work_unit, unit_nature, job_post, sector, is_retired, is_cross_member, upper_middle, "
        "admitted_on, phone, email, note, created_at, updated_at, id_number_hash, "
        "membership_no, political_status) "
        # Blank numbers (a blank lookup hash); 05 民盟盟员: a member's status follows membership.
        f"VALUES ({', '.join(['?'] * 27)}, '', '', '05')",
        people(),
    )
    db.executemany(
        'INSERT INTO people_membershipspell (id, start, "end", start_reason, end_reason, '
        "document_no, approved_by, end_document_no, end_approved_by, note, org_id, person_id, "
        "start_letter_no, came_from, end_letter_no, went_to) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '')",
        spells(),
    )
    t_rows = time.perf_counter() - t0 - t_migrate  # made and written
    for _, sql in indexes:
        db.execute(sql)
    search = importlib.import_module("tongxin.people.migrations.0014_search_grams")
    db.execute("DELETE FROM people_searchgram")
    db.execute(search.SQLITE_GRAMS.format(row="p", source="people_person p CROSS JOIN "))
    for _, sql in grams:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    from tongxin.stats import cache

    cache.install_triggers()
    t_total = time.perf_counter() - t0
    return {
        "members": members,
        "orgs": len(org_rows),
        "provinces": provinces,
        "cities": cities,
        "branches": len(branch_ids),
        "seed": seed,
        "seconds": {
            "migrate": round(t_migrate, 1),
            "rows": round(t_rows, 1),
            "insert_and_index": round(t_total - t_migrate - t_rows, 1),
            "total": round(t_total, 1),
        },
    }


def fill_grams(pg) -> None:
    """The search pairs of every person (migration people 0014), indexes made afterwards."""
    pg.execute("ALTER TABLE people_searchgram DROP CONSTRAINT people_searchgram_pkey")
    pg.execute("DROP INDEX people_searchgram_person")
    pg.execute("TRUNCATE people_searchgram")
    pg.execute(
        "INSERT INTO people_searchgram (gram, person_id) "
        "SELECT DISTINCT lower(substr(t, n, 2)), p.id FROM people_person p, "
        "unnest(ARRAY[p.name, p.work_unit]) t, generate_series(1, length(t) - 1) n"
    )
    pg.execute("ALTER TABLE people_searchgram ADD PRIMARY KEY (gram, person_id)")
    pg.execute("CREATE INDEX people_searchgram_person ON people_searchgram (person_id)")


LOADED = ("orgs_organization", "people_person", "people_membershipspell")


# The columns of tree_rows' rows and the constants after them (as generate() inserts them).
DIRECT = {
    "orgs_organization": (
        "id path depth numchild code name kind party".split(),
        {"short_name": "", "note": ""},
    ),
    "people_person": (
        "id name name_pinyin name_initials id_number gender birth_date ethnicity native_place "
        "education degree school_major title title_level work_unit unit_nature job_post sector "
        "is_retired is_cross_member upper_middle admitted_on phone email note created_at "
        "updated_at".split(),
        {"id_number_hash": "", "membership_no": "", "political_status": "05"},
    ),
    "people_membershipspell": (
        "id start end start_reason end_reason document_no approved_by end_document_no "
        "end_approved_by note org_id person_id".split(),
        {"start_letter_no": "", "came_from": "", "end_letter_no": "", "went_to": ""},
    ),
}


def load_postgres(db_path: Path, direct: tuple[int, int] | None = None) -> dict | None:
    """Copy the built SQLite tree into the (migrated, empty) PostgreSQL database of
    ``--db-url``: organizations, people and spells by COPY, the search pairs (people 0014) by
    one statement after the load instead of its trigger per row; then ``VACUUM ANALYZE``.
    None when already loaded.

    One transaction. As the SQLite build does, the tables' secondary indexes and the spells'
    foreign keys are dropped during the COPY and made again from their own definitions
    afterwards (at 10M members, keeping five random-order indexes of people up to date row by
    row is most of the load), and the tables' own triggers are off: the figure store's are
    replaced by one note that everything changed (the store starts from a new version)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT count(*) FROM people_searchgram")
            if not cursor.fetchone()[0]:  # a load stopped before its pairs
                fill_grams(cursor.cursor)
                cursor.execute("ANALYZE people_searchgram")
                return {"grams": "filled", "seconds": round(time.perf_counter() - t0, 1)}
            return None
    # direct (members, orgs): the rows straight from tree_rows, no SQLite file (the same rows).
    src = None if direct else sqlite3.connect(db_path)
    made = None
    if direct:
        org_rows, _, people, spells, _ = tree_rows(*direct)
        made = {
            "orgs_organization": lambda: iter(org_rows),
            "people_person": people,
            "people_membershipspell": spells,
        }
    counts: dict = {}
    seconds: dict = {}

    def lap(name, since):
        seconds[name] = round(time.perf_counter() - since, 1)
        return time.perf_counter()

    with transaction.atomic(), connection.cursor() as cursor:
        pg = cursor.cursor
        pg.execute("SET LOCAL maintenance_work_mem = '1GB'")
        pg.execute("SET LOCAL work_mem = '256MB'")
        pg.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
            [list(LOADED)],
        )
        foreign = pg.fetchall()
        pg.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS (SELECT 1 FROM "
            "pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))",
            [list(LOADED)],
        )
        indexes = pg.fetchall()
        for table, name, _ in foreign:
            pg.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            pg.execute(f"DROP INDEX {name}")
        for table in LOADED:
            pg.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        t = time.perf_counter()
        for table in LOADED:
            pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [table],
            )
            have = {row[0] for row in pg.fetchall()}
            if made:
                cols, constants = DIRECT[table]
                names = ", ".join(f'"{c}"' for c in [*cols, *constants])
                tail = tuple(constants.values())
                n = 0
                with pg.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in made[table]():
                        copy.write_row(row + tail)
                        n += 1
                counts[table] = n
            else:
                cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})") if r[1] in have]
                names = ", ".join(f'"{c}"' for c in cols)
                with pg.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in src.execute(f"SELECT {names} FROM {table}"):
                        copy.write_row(row)
                counts[table] = src.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
            t = lap(f"copy_{table}", t)
        for _, sql in indexes:
            pg.execute(sql)
        t = lap("indexes", t)
        for table, name, definition in foreign:
            pg.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        t = lap("foreign_keys", t)
        fill_grams(pg)
        t = lap("search_pairs", t)
        for table in LOADED:
            pg.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        pg.execute("INSERT INTO stats_pendingchange (kind, ref) VALUES ('a', '')")
    if src:
        src.close()
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    lap("vacuum_analyze", t)
    return {"rows": counts, "seconds": {**seconds, "total": round(time.perf_counter() - t0, 1)}}


# --- measurement ----------------------------------------------------------------------------


BUDGET_S = 90.0  # per measured case; slow cases get fewer runs (at least 5), reported as such


def timed(fn, runs: int, warmups: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock ms of each run; with ``cpu``, this process's CPU ms of each run appended to
    it (with SQLite the whole request, database included, runs in this process: its CPU time
    is what the request costs on an idle machine, whatever the other sessions do)."""
    spent = []
    for _ in range(warmups):
        t = time.perf_counter()
        fn()
        spent.append(time.perf_counter() - t)
    if spent:
        runs = min(runs, max(5, int(BUDGET_S / statistics.mean(spent))))
    out = []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - c) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {
        "median": round(statistics.median(ms), 2),
        "p90": round(ms[max(0, int(round(0.9 * len(ms))) - 1)], 2),
        "runs": len(ms),
    }


def pick_city(db_path: Path, db_url: str = ""):
    """The city whose active-member count is the median of all cities."""
    from django.db import connection
    from django.utils import timezone

    from tongxin.orgs.models import Organization

    on = timezone.localdate().isoformat()
    sql = (
        "SELECT substr(o.path, 1, 12) AS city, count(*) FROM people_membershipspell s "
        "JOIN orgs_organization o ON o.id = s.org_id "
        'WHERE s.start <= %s AND (s."end" IS NULL OR s."end" > %s) GROUP BY city ORDER BY 2, 1'
    )
    if db_url:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("s.start <= %s", "s.start <= %s::date"), [on, on])
            rows = cursor.fetchall()
    else:
        db = sqlite3.connect(db_path)
        rows = db.execute(sql.replace("%s", "?"), (on, on)).fetchall()
        db.close()
    path, count = rows[len(rows) // 2]
    return Organization.objects.get(path=path), count, (rows[0][1], rows[-1][1])


def raw_sql_ms(
    db_path: Path, sqls: list[str], runs: int, warmups: int, db_url: str = ""
) -> list[float]:
    """Run the statements with sqlite3 directly (fetching all rows) on a fresh connection;
    with ``db_url``, with psycopg on that PostgreSQL database."""
    if db_url:
        import psycopg

        db = psycopg.connect(db_url, autocommit=True)
    else:
        db = sqlite3.connect(db_path)

    def run():
        for sql in sqls:
            db.execute(sql).fetchall()

    try:
        return timed(run, runs, warmups)
    finally:
        db.close()


def captured(fn) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def measure(db_path: Path, runs: int, warmups: int, explain: bool, db_url: str = "") -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from tongxin.accounts.roles import Role
    from tongxin.accounts.services import grant_roles
    from tongxin.core.scope import Scope
    from tongxin.orgs import selectors as org_selectors
    from tongxin.orgs.models import Organization
    from tongxin.people import selectors

    User = get_user_model()
    # Past the first login's password change, as a working user is.
    admin, _ = User.objects.update_or_create(
        username="bench",
        defaults={"is_superuser": True, "is_staff": True, "must_change_password": False},
    )
    city, city_active, city_range = pick_city(db_path, db_url)
    clerk, _ = User.objects.update_or_create(
        username="bench-city", defaults={"must_change_password": False}
    )
    grant_roles(clerk, [Role.STAFF])
    clerk.scope_nodes.set([city])

    on = timezone.localdate()
    res: dict = {
        "city": {
            "pk": city.pk,
            "path": city.path,
            "name": city.name,
            "active_members": city_active,
            "active_members_min_max_over_cities": city_range,
        },
        "page_size": settings.TONGXIN_ROSTER_PAGE_SIZE,
        "timings_ms": {},
        "queries": {},
    }
    urls = {
        "filtered": f"/people/?org={city.pk}&education=大学本科&gender=2",
        "unfiltered": f"/people/?org={city.pk}",
    }
    clients = {}
    for who, user in (("superuser", admin), ("city_user", clerk)):
        c = Client()
        c.force_login(user)
        clients[who] = c
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "roster-list"}

    def page(client, url, **headers):
        def get():
            r = client.get(url, **headers)
            assert r.status_code == 200, (url, r.status_code)

        return get

    cases = [
        ("page_filtered_superuser", page(clients["superuser"], urls["filtered"])),
        ("page_unfiltered_superuser", page(clients["superuser"], urls["unfiltered"])),
        ("page_filtered_city_user", page(clients["city_user"], urls["filtered"])),
        ("list_filtered_htmx_superuser", page(clients["superuser"], urls["filtered"], **htmx)),
    ]
    for name, fn in cases:
        cpu: list[float] = []
        res["timings_ms"][name] = summary(timed(fn, runs, warmups, cpu))
        res["timings_ms"][name]["cpu_median"] = round(statistics.median(cpu), 2)
        res["queries"][name] = len(captured(fn))
        print(f"  {name}: {res['timings_ms'][name]}", flush=True)

    everything = Scope(everything=True)
    root = Organization.objects.get_root_nodes().first()
    city_kids = list(org_selectors.children(scope=everything, org=city, on=on))
    root_kids = list(org_selectors.children(scope=everything, org=root, on=on))
    for name, nodes in (
        ("counts_city_children", city_kids),
        ("counts_root_children", root_kids),
        ("counts_root", [root]),
    ):
        fn = lambda nodes=nodes: org_selectors.member_counts(scope=everything, nodes=nodes, on=on)  # noqa: E731
        res["timings_ms"][name] = summary(timed(fn, runs, 1))
        print(f"  {name} ({len(nodes)} nodes): {res['timings_ms'][name]}", flush=True)

    # The floor: the roster's own two statements (count + first page), as Django sent them.
    filters = selectors.RosterFilter(education="大学本科", gender="2")
    qs = selectors.roster(scope=everything, org=city, on=on, filters=filters)
    page_size = settings.TONGXIN_ROSTER_PAGE_SIZE
    floor_sqls = captured(lambda: (qs.count(), list(qs[:page_size])))
    res["roster_sql"] = floor_sqls
    res["filtered_total"] = qs.count()
    res["timings_ms"]["floor_filtered_sql"] = summary(
        raw_sql_ms(db_path, floor_sqls, runs, warmups, db_url)
    )
    qs_all = selectors.roster(scope=everything, org=city, on=on, filters=selectors.RosterFilter())
    floor_all = captured(lambda: (qs_all.count(), list(qs_all[:page_size])))
    res["timings_ms"]["floor_unfiltered_sql"] = summary(
        raw_sql_ms(db_path, floor_all, runs, warmups, db_url)
    )

    # Where a full page's time goes: every statement of one request, re-run with sqlite3.
    for key, case in (
        ("filtered_page_statements", cases[0][1]),
        ("city_user_page_statements", cases[2][1]),
    ):
        breakdown = []
        for sql in captured(case):
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue  # transaction control and the session's writes: not re-runnable
            ms = statistics.median(raw_sql_ms(db_path, [sql], 3, 1, db_url))
            breakdown.append((round(ms, 2), sql))
        res[key] = breakdown
    if explain and not db_url:
        db = sqlite3.connect(db_path)
        res["explain"] = {
            sql: [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql)] for sql in floor_sqls
        }
        db.close()
    return res


def measure_top(runs: int, warmups: int) -> dict:
    """The top of the tree (issue 21, item 5): the root's and a province's roster page, a
    search by name, full pinyin and initials over the root, and the root's member counts;
    superuser, Django test ``Client``, as the city cases."""
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.test import Client
    from django.utils import timezone

    from tongxin.core.scope import Scope
    from tongxin.orgs import selectors as org_selectors
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    User = get_user_model()
    admin, _ = User.objects.update_or_create(
        username="bench",
        defaults={"is_superuser": True, "is_staff": True, "must_change_password": False},
    )
    root = Organization.objects.get_root_nodes().first()
    province = Organization.objects.filter(depth=2).order_by("path")[1]
    # A common surname: its pinyin and initials match many people, its character more.
    sample = Person.objects.order_by("pk").values("name", "name_pinyin", "name_initials")[7]
    client = Client()
    client.force_login(admin)
    urls = {
        "page_root_superuser": f"/people/?org={root.pk}",
        "page_province_superuser": f"/people/?org={province.pk}",
        "search_root_name": f"/people/?org={root.pk}&q={sample['name'][:2]}",
        "search_root_pinyin": f"/people/?org={root.pk}&q={sample['name_pinyin'][:6]}",
        "search_root_initials": f"/people/?org={root.pk}&q={sample['name_initials'][:2]}",
    }
    res: dict = {"urls": urls, "timings_ms": {}, "queries": {}, "statements": {}}
    for name, url in urls.items():

        def get(url=url):
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)

        cpu: list[float] = []
        res["timings_ms"][name] = summary(timed(get, runs, warmups, cpu))
        res["timings_ms"][name]["cpu_median"] = round(statistics.median(cpu), 2)
        res["queries"][name] = len(captured(get))
        res["statements"][name] = captured(get)
        print(f"  {name}: {res['timings_ms'][name]}", flush=True)
    on = timezone.localdate()
    everything = Scope(everything=True)
    fn = lambda: org_selectors.member_counts(scope=everything, nodes=[root], on=on)  # noqa: E731
    cpu = []
    res["timings_ms"]["counts_root"] = summary(timed(fn, runs, 1, cpu))
    res["timings_ms"]["counts_root"]["cpu_median"] = round(statistics.median(cpu), 2)
    print(f"  counts_root: {res['timings_ms']['counts_root']}", flush=True)

    # The first request after a write: every stored count is old (the figure store keeps one
    # version for the whole database), so the root's member count is counted again.
    def after_write(fn, cpu):
        def run():
            Person.objects.filter(pk=1).update(note=F("note"))  # a write, nothing changed
            t, c = time.perf_counter(), time.process_time()
            fn()
            cpu.append((time.process_time() - c) * 1000)
            return (time.perf_counter() - t) * 1000

        return run

    def root_page():
        assert client.get(urls["page_root_superuser"]).status_code == 200

    for name, case in (("page_root_after_write", root_page), ("counts_root_after_write", fn)):
        cpu = []
        run = after_write(case, cpu)
        res["timings_ms"][name] = summary([run() for _ in range(runs)])
        res["timings_ms"][name]["cpu_median"] = round(statistics.median(cpu), 2)
        print(f"  {name}: {res['timings_ms'][name]}", flush=True)
    return res


def report(meta: dict, res: dict) -> str:
    t = res["timings_ms"]
    floor = t["floor_filtered_sql"]["median"]
    city = res["city"]
    low, high = city["active_members_min_max_over_cities"]
    lines = [
        f"### {meta['members']:,} members, {meta['orgs']:,} organizations",
        "",
        f"City {city['name']} (path {city['path']}): {city['active_members']:,} "
        f"active members (cities range {low:,}–{high:,}); filtered roster "
        f"{res['filtered_total']:,} rows; page size {res['page_size']}. Code: {res['code']}.",
        "",
        "| measure | median ms | p90 ms | runs | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in t.items():
        q = res["queries"].get(name, "")
        lines.append(f"| {name} | {s['median']:.2f} | {s['p90']:.2f} | {s['runs']} | {q} |")
    lines += [
        "",
        "Ratio filtered page / floor: "
        f"superuser {t['page_filtered_superuser']['median'] / floor:.1f}×, "
        f"city user {t['page_filtered_city_user']['median'] / floor:.1f}×, "
        f"list partial (htmx) {t['list_filtered_htmx_superuser']['median'] / floor:.1f}×.",
        "",
        "Statements of one filtered superuser page, re-run alone (median of 3, ms):",
        "",
    ]
    for ms, sql in sorted(res["filtered_page_statements"], key=lambda x: -x[0])[:8]:
        lines.append(f"- {ms:.2f} ms: `{short(sql)}`")
    city_sql = res["city_user_page_statements"]
    lines += [
        "",
        f"Statements of one filtered city-user page: {len(city_sql)}, "
        f"{sum(ms for ms, _ in city_sql):.1f} ms in all; the largest:",
        "",
    ]
    for ms, sql in sorted(city_sql, key=lambda x: -x[0])[:5]:
        lines.append(f"- {ms:.2f} ms: `{short(sql)}`")
    return "\n".join(lines)


def short(sql: str) -> str:
    """The head of a statement and its WHERE clause, enough to recognise it."""
    where = sql.find(" WHERE ")
    head = sql[:60] + (" …" if where > 60 else "")
    tail = sql[where : where + 120] + "…" if where > 0 else ""
    return head + tail


def missing_indexes() -> list[str]:
    """Indexes the models declare (Meta.indexes) that the database does not have."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        have = {
            row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
    declared = [
        index.name
        for label in ("orgs", "people")
        for model in apps.get_app_config(label).get_models()
        for index in model._meta.indexes
    ]
    return [name for name in declared if name not in have]


def code_state() -> str:
    """The commit measured, and whether application files were modified in the working tree."""
    import subprocess

    def git(*args):
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True
            ).stdout.rstrip()
        except OSError:
            return ""

    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = [
        line[3:]
        for line in git("status", "--porcelain").splitlines()
        if not line[3:].startswith("bench/")
    ]
    return head + (f" + uncommitted changes to {', '.join(dirty)}" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=600)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the database")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--explain", action="store_true", help="add EXPLAIN QUERY PLAN to the JSON")
    parser.add_argument(
        "--top", action="store_true", help="only the root and a province: pages and searches"
    )
    parser.add_argument(
        "--db-url",
        default="",
        help="measure on this PostgreSQL database (an empty one is first loaded from the "
        "built SQLite file; build it by a run without --db-url; with --generate-only, load only)",
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="with --db-url: load the rows straight from the generator, no SQLite file",
    )
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    stem = f"roster-{args.members}-{args.orgs}"
    db_path = DATA / f"{stem}.sqlite3"
    meta_path = DATA / f"{stem}.meta.json"
    if args.db_url:
        if args.direct:
            meta_path = DATA / f"{stem}.pg.meta.json"
            provinces, cities, per_county = tree_shape(args.members, args.orgs)
            meta_path.write_text(
                json.dumps(
                    {
                        "members": args.members,
                        "orgs": 1 + provinces + cities + len(per_county) + sum(per_county),
                        "provinces": provinces,
                        "cities": cities,
                        "branches": sum(per_county),
                        "seed": 42,
                        "direct": True,
                    },
                    indent=2,
                )
            )
        if not meta_path.exists():
            sys.exit("--db-url measures a tree built first by a run without it (or --direct)")
        setup_django(db_path, args.db_url)
        loaded = load_postgres(db_path, (args.members, args.orgs) if args.direct else None)
        print(f"PostgreSQL: {loaded or 'already loaded'}", flush=True)
        if loaded:
            (DATA / f"{stem}.pg.load.json").write_text(json.dumps(loaded, indent=2))
        if args.generate_only:
            return
        if not args.top:
            # The city cases, the city picked on PostgreSQL as on SQLite (the median city).
            res = measure(db_path, args.runs, args.warmups, False, args.db_url)
            res["meta"], res["code"], res["database"] = meta_path.read_text(), code_state(), "pg"
            (DATA / f"{stem}.pg.results.json").write_text(
                json.dumps(res, indent=2, ensure_ascii=False)
            )
            print()
            print(report(json.loads(res["meta"]), res))
            return
        res = measure_top(args.runs, args.warmups)
        res["meta"], res["code"], res["database"] = meta_path.read_text(), code_state(), "pg"
        (DATA / f"{stem}.pg.top.results.json").write_text(
            json.dumps(res, indent=2, ensure_ascii=False)
        )
        for name, t in res["timings_ms"].items():
            print(
                f"| {name} | {t['median']:.1f} | {t.get('p90', 0):.1f} | {t.get('runs', '')} "
                f"| {t.get('cpu_median', '')} |"
            )
        return
    if args.regenerate or not meta_path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
    setup_django(db_path)
    if not meta_path.exists():
        print(f"generating {db_path} …", flush=True)
        meta = generate(db_path, args.members, args.orgs)
        meta_path.write_text(json.dumps(meta, indent=2))
        print(f"  {meta}", flush=True)
    else:
        # The schema follows the code being measured (an index added since generation, say).
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        missing = missing_indexes()
        if missing:
            sys.exit(
                f"the bench database lacks the indexes {missing} that the models declare "
                "(an applied migration was edited): run again with --regenerate"
            )
    meta = json.loads(meta_path.read_text())
    if args.generate_only:
        return
    print(f"measuring ({args.runs} runs after {args.warmups} warm-ups) …", flush=True)
    if args.top:
        res = measure_top(args.runs, args.warmups)
        res["meta"], res["code"] = meta, code_state()
        (DATA / f"{stem}.top.results.json").write_text(
            json.dumps(res, indent=2, ensure_ascii=False)
        )
        for name, t in res["timings_ms"].items():
            print(
                f"| {name} | {t['median']:.1f} | {t.get('p90', 0):.1f} | {t.get('runs', '')} "
                f"| {t.get('cpu_median', '')} |"
            )
        return
    res = measure(db_path, args.runs, args.warmups, args.explain)
    res["meta"] = meta
    res["code"] = code_state()
    (DATA / f"{stem}.results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
    print()
    print(report(meta, res))

    # Scaling: the same city page against the small table, when both results exist.
    small = DATA / "roster-10000-600.results.json"
    if meta["members"] != 10000 and small.exists():
        s = json.loads(small.read_text())["timings_ms"]
        print("\nScaling against 10,000 members / 600 organizations (median ratio):")
        for name in (
            "page_filtered_superuser",
            "page_unfiltered_superuser",
            "page_filtered_city_user",
            "list_filtered_htmx_superuser",
            "floor_filtered_sql",
            "counts_city_children",
        ):
            print(f"- {name}: {res['timings_ms'][name]['median'] / s[name]['median']:.2f}×")


if __name__ == "__main__":
    main()
