"""Coverage benchmark: the 两新组织 registry import of 10,000 rows and the ``coverage``
section of a district of 10,000 organizations, counted afresh (TONGXIN_STATS_CACHE=0).

    .venv/bin/python bench/coverage.py                                   # SQLite, own file
    .venv/bin/python bench/coverage.py --db-url postgres://…/<db>       # an empty database

Builds a district (3 streets, 10 communities), writes a registry workbook of ``--rows`` rows
(random.Random(42): forms, mass organizations, party members, some deregistered), imports it
through ``tongxin.coverage.registry.import_file`` (the command's and the page's path), then
times the section at the district, a street and a community. See bench/README.md, "Coverage".
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
TODAY = date(2025, 6, 30)


def setup_django(db_url: str) -> None:
    os.environ["TONGXIN_DATABASE_URL"] = db_url
    os.environ["TONGXIN_VAR_DIR"] = str(DATA / "var")
    os.environ.setdefault("TONGXIN_SECRET_KEY", "bench-only-not-secret")
    os.environ["TONGXIN_STATS_CACHE"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_tree():
    from tongxin.orgs import services
    from tongxin.orgs.models import Organization

    def make(parent, code, name, kind):
        return services.org_create(parent=parent, org=Organization(code=code, name=name, kind=kind))

    root = make(None, "BQ", "基准区党工委", "committee")
    streets, communities = [], []
    for s in range(1, 4):
        street = make(root, f"BQ{s:02d}", f"基准街道{s}", "street_committee")
        streets.append(street)
        for c in range(1, 5 if s == 1 else 4):
            communities.append(
                make(street, f"BQ{s:02d}{c:02d}", f"基准社区{s}-{c}", "community_general_branch")
            )
    return root, streets, communities


def workbook(rows: int, communities) -> bytes:
    from openpyxl import Workbook

    from tongxin.coverage import registry
    from tongxin.coverage.models import make_credit_code

    rng = random.Random(42)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(registry.SHEET)
    sheet.append([c.header for c in registry.COLUMNS])
    forms = ["单独组建", "联合组建", "党建工作指导员", "无", ""]
    for i in range(1, rows + 1):
        founded = TODAY - timedelta(days=rng.randint(400, 5000))
        start = founded + timedelta(days=rng.randint(10, 300))
        form = rng.choice(forms)

        def maybe(p, start=start):
            return (start + timedelta(days=rng.randint(0, 200))) if rng.random() < p else None

        employees = rng.randint(3, 400)
        sheet.append([
            make_credit_code(i), f"基准企业{i}", "企业" if rng.random() < 0.8 else "社会组织",
            rng.choice(communities).code, rng.choice(["制造业", "零售业", "信息技术", "建筑业"]),
            employees, "是" if employees >= 100 else "否", founded,
            TODAY - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.03 else None,
            rng.randint(0, 20), form, start if form else None, "",
            maybe(0.5), maybe(0.3), maybe(0.3), "是" if rng.random() < 0.3 else "", "",
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default="")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-reimport", action="store_true", help="skip timing the re-import")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    db_url = args.db_url
    if not db_url:
        path = DATA / f"coverage-{args.rows}.sqlite3"
        path.unlink(missing_ok=True)
        db_url = f"sqlite:///{path}"
    setup_django(db_url)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from tongxin.core.bulk import analyze
    from tongxin.core.scope import Scope
    from tongxin.coverage import registry
    from tongxin.coverage.stats import compute

    call_command("migrate", verbosity=0)
    root, streets, communities = build_tree()
    user = get_user_model().objects.create_superuser("bench-coverage", password="x-Bench-9x")
    data = workbook(args.rows, communities)
    scope = Scope(everything=True)
    # The machine's load, and this process's CPU time beside the wall time: on SQLite the
    # database works in this process, so its CPU time is the work whatever else runs.
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started, cpu = time.perf_counter(), time.process_time()
    batch = registry.import_file(data=data, filename="bench.xlsx", scope=scope, on=TODAY, by=user)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not batch.errors, batch.errors[:3]
    analyze()
    print(
        f"{connection.vendor}: import of {args.rows} rows: {seconds:.2f} s "
        f"(CPU {cpu:.2f} s; {batch.created} new)"
    )
    if not args.no_reimport:
        again, cpu = time.perf_counter(), time.process_time()
        batch = registry.import_file(
            data=data, filename="bench.xlsx", scope=scope, on=TODAY, by=user
        )
        seconds, cpu = time.perf_counter() - again, time.process_time() - cpu
        print(
            f"  re-import (nothing changes): {seconds:.2f} s "
            f"(CPU {cpu:.2f} s; {batch.unchanged} unchanged)"
        )
    for node in (root, streets[0], communities[0]):
        times, cpus = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            figures = compute(scope=scope, org=node, as_of=TODAY, period_start=date(2025, 1, 1))
            times.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        print(
            f"  coverage section at {node.code} ({figures['registered'].value} registered): "
            f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms "
            f"(CPU median {statistics.median(cpus):.1f} ms)"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
