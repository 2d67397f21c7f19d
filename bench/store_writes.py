"""The figure store under writes (issue 21, item 3), by hand.

    .venv/bin/python bench/store_writes.py --db postgres            # tx_sw on the dev server
    .venv/bin/python bench/store_writes.py --db sqlite              # bench/data/roster-….sqlite3
    .venv/bin/python bench/store_writes.py --db postgres --node root --phases quiet,elsewhere

A reader (this process) asks for a node's statistics report page (``/stats/?org=…``, the page
staff open, through Django's test Client, as a clerk whose scope is that node) again and again
for ``--seconds`` a phase, while a writer — a separate process started for the phase — writes
once a second through the product's services (``people.services``: a member's work unit
changed, a new member admitted, a member transferred between two branches; in turn) in
branches of:

- ``quiet``: no writer (the baseline);
- ``elsewhere``: another province;
- ``same``: the node's own province (the node itself when it is a province).

Before the phases the store is warmed by one request (its time is printed as "cold"). Per
phase: the report's p50/p95/p99 and count, the store's hit rate in the reader
(``tongxin.stats.cache.counts``: lookups served from a stored row ÷ all lookups), the folds of
pending changes the reader ran and their time, the writes committed and the load average
before and after. The data: ``--db postgres`` the database of ``--pg-url`` (a copy of the 1M
bench tree of bench/roster.py, migrated); ``--db sqlite`` bench/data/roster-<members>-<orgs>
.sqlite3 (the same tree; ``migrate`` is applied first when a migration is pending). The
writes stay in the data (they are real writes); run on a copy.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
sys.path.insert(0, str(BENCH))

bench_import = importlib.import_module("import")

PG_URL = "postgres://tongxin@127.0.0.1:54330/tx_sw"


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def setup(url: str) -> None:
    # The bench users have no TOTP device: pages, not the second-factor step, are measured.
    os.environ["TONGXIN_ADMIN_OTP_REQUIRED"] = "0"
    bench_import.setup_django(url)


def cpu_now(connection) -> float:
    """CPU seconds of this process and, on PostgreSQL, of its backend (same machine): steadier
    than wall time on a loaded machine (bench/stats.py's)."""
    cpu = time.process_time()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return cpu


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


# --- the writer (a process of its own) ---------------------------------------------------------


def writer(args) -> None:
    setup(args.url)
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    from tongxin.orgs.models import Organization
    from tongxin.people import services
    from tongxin.people.models import MembershipSpell, Person

    rng = random.Random(args.seed)
    under = Organization.objects.get(pk=args.writer).path
    branches = list(
        Organization.objects.filter(path__startswith=under, numchild=0, dissolved__isnull=True)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    on = date.fromisoformat(args.as_of)

    def member_of(branch_pk):
        spell = (
            MembershipSpell.objects.filter(org_id=branch_pk, end__isnull=True, start__lt=on)
            .select_related("person")
            .order_by("?")
            .first()
        )
        return spell.person if spell else None

    def work_unit():
        person = member_of(rng.choice(branches))
        person.work_unit = f"测试单位{rng.randrange(10**6)}"
        services.person_update(person=person)

    def admit():
        number = rng.randrange(10**6)
        person = Person(name=f"测试{number}", gender="1", birth_date=date(1980, 1, 1))
        services.person_create(
            person=person, org=Organization.objects.get(pk=rng.choice(branches)), start=on
        )

    def transfer():
        source, to = rng.sample(branches, 2)
        services.membership_transfer(
            person=member_of(source), to_org=Organization.objects.get(pk=to), on=on
        )

    kinds = [("work unit", work_unit), ("admission", admit), ("transfer", transfer)]
    done, failed, times = {k: 0 for k, _ in kinds}, [], []
    began = time.monotonic()
    tick = began
    n = 0
    while time.monotonic() - began < args.seconds:
        name, write = kinds[n % len(kinds)]
        n += 1
        t0 = time.perf_counter()
        try:
            write()
            done[name] += 1
            times.append((time.perf_counter() - t0) * 1000)
        except (ValidationError, AttributeError, DatabaseError) as error:
            # A refused write (the service's rule) or, on SQLite, "database is locked": a
            # write transaction that began by reading cannot take the write lock once another
            # connection (a reader storing figures, folding) has written since (WAL).
            failed.append(f"{name}: {error}")
        tick += 1.0
        time.sleep(max(0.0, tick - time.monotonic()))
    print(
        "RESULT "
        + json.dumps(
            {
                "writes": sum(done.values()),
                "by_kind": done,
                "failed": failed[:5],
                "failures": len(failed),
                "write_ms_p50": pct(times, 0.5),
                "write_ms_p95": pct(times, 0.95),
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


# --- the reader ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=60_000)
    parser.add_argument("--node", choices=("province", "root"), default="province")
    parser.add_argument("--phases", default="quiet,elsewhere,same")
    parser.add_argument("--seconds", type=float, default=60.0, help="a phase")
    parser.add_argument("--as-of", default="2026-11-30", help="the report's date")
    parser.add_argument("--profile", action="store_true", help="cProfile one recount")
    # The writer process's own arguments.
    parser.add_argument("--writer", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(args)
        return

    if args.db == "postgres":
        url = args.pg_url
    else:
        url = f"sqlite:///{DATA / f'roster-{args.members}-{args.orgs}.sqlite3'}"
    setup(url)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.test import Client

    from tongxin.accounts.roles import Role
    from tongxin.accounts.services import grant_roles
    from tongxin.orgs.models import Organization
    from tongxin.stats import cache

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)

    # The folds this process runs, timed (cache._versions calls cache.resolve by name).
    folds: list[float] = []
    resolve = cache.resolve

    def timed_resolve(using="default"):
        t0 = time.perf_counter()
        try:
            return resolve(using)
        finally:
            folds.append((time.perf_counter() - t0) * 1000)

    cache.resolve = timed_resolve

    provinces = list(Organization.objects.filter(depth=2).order_by("path"))
    root = Organization.objects.get(depth=1)
    province = provinces[len(provinces) // 2]
    other = provinces[len(provinces) // 2 + 1]
    node = province if args.node == "province" else root
    as_of = date.fromisoformat(args.as_of)
    start = as_of.replace(month=1, day=1)
    clerk, _ = get_user_model().objects.update_or_create(
        username=f"bench-store-{args.node}", defaults={"must_change_password": False}
    )
    grant_roles(clerk, [Role.STAFF])
    clerk.scope_nodes.set([node])
    client = Client()
    client.force_login(clerk)
    url_page = f"/stats/?org={node.pk}&as_of={as_of}&period_start={start}"

    cpu: list[float] = []  # each page's CPU ms (this process and its backend)

    def page() -> float:
        t0, c0 = time.perf_counter(), cpu_now(connection)
        response = client.get(url_page)
        assert response.status_code == 200, response.status_code
        cpu.append((cpu_now(connection) - c0) * 1000)
        return (time.perf_counter() - t0) * 1000

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH
    ).stdout.strip()
    print(
        f"{connection.vendor}, node {node.code} {node.name} ({args.node}), writes elsewhere in "
        f"{other.code}, date {as_of}, commit {commit}, {url}",
        flush=True,
    )
    before = cache.counts()
    cold = page()
    cold_cpu = cpu[-1]
    after = cache.counts()
    print(
        f"cold: {cold:.0f} ms, CPU {cold_cpu:.0f} ms (hits {after['hits'] - before['hits']}, "
        f"misses {after['misses'] - before['misses']}); warm: {page():.0f} ms; load {load()}",
        flush=True,
    )
    if args.profile:
        import cProfile
        import io
        import pstats

        with connection.cursor() as cursor:  # the node's version moves: one recount
            cursor.execute(
                "INSERT INTO stats_pendingchange (kind, ref) VALUES ('t', %s)", [node.path]
            )
        profiler = cProfile.Profile()
        profiler.enable()
        took = page()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(50)
        path = DATA / f"store-writes-{args.node}-{connection.vendor}.prof.txt"
        path.write_text(out.getvalue())
        print(f"profiled recount: {took:.0f} ms → {path}", flush=True)

    results = {
        "db": connection.vendor,
        "node": node.code,
        "commit": commit,
        "cold_ms": cold,
        "cold_cpu_ms": cold_cpu,
    }
    rows = []
    for phase in args.phases.split(","):
        target = {"quiet": None, "elsewhere": other, "same": province}[phase]
        proc = None
        if target is not None:
            proc = subprocess.Popen(
                [sys.executable, __file__, "--writer", str(target.pk), "--url", url,
                 "--seconds", str(args.seconds), "--as-of", args.as_of,
                 "--seed", str(len(rows) + 1)],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            time.sleep(2.0)  # the writer's Django start-up
        loads = [load()]
        counted, times = cache.counts(), []
        folds.clear()
        cpu.clear()
        began = time.monotonic()
        while time.monotonic() - began < args.seconds:
            times.append(page())
        done = cache.counts()
        loads.append(load())
        wrote = {}
        if proc is not None:
            out, _ = proc.communicate(timeout=args.seconds + 120)
            wrote = json.loads(next(x for x in out.splitlines() if x.startswith("RESULT "))[7:])
        rate = cache.hit_rate(counted, done)
        row = {
            "phase": phase,
            "requests": len(times),
            "p50": pct(times, 0.5),
            "p95": pct(times, 0.95),
            "p99": pct(times, 0.99),
            "max": round(max(times), 1),
            "cpu_p50": pct(cpu, 0.5),
            "cpu_p95": pct(cpu, 0.95),
            "hit_rate": round(rate, 3) if rate is not None else None,
            "hits": done["hits"] - counted["hits"],
            "misses": done["misses"] - counted["misses"],
            "unstored": done["unstored"] - counted["unstored"],
            "folds": len(folds),
            "fold_ms_p50": pct(folds, 0.5),
            "fold_ms_max": round(max(folds), 1) if folds else None,
            "writes": wrote.get("writes", 0),
            "writer": wrote,
            "load": " → ".join(loads),
            "raw_ms": [round(t, 1) for t in times],
        }
        rows.append(row)
        print(
            f"{phase}: {row['requests']} reports, p50 {row['p50']} / p95 {row['p95']} / "
            f"p99 {row['p99']} ms (CPU p50 {row['cpu_p50']} / p95 {row['cpu_p95']}), "
            f"hit rate {row['hit_rate']} ({row['hits']} hits, "
            f"{row['misses']} misses), {row['folds']} folds (p50 {row['fold_ms_p50']} ms, "
            f"max {row['fold_ms_max']} ms), {row['writes']} writes {wrote.get('by_kind', '')} "
            f"failed {wrote.get('failures', 0)}, load {row['load']}",
            flush=True,
        )
    results["phases"] = rows
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = DATA / f"store-writes-{args.node}-{connection.vendor}.{stamp}.results.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(
        "\n| phase | reports | p50 ms | p95 ms | p99 ms | CPU p50 / p95 ms | hit rate | folds "
        "(p50 ms) | writes | load |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['phase']} | {r['requests']} | {r['p50']} | {r['p95']} | {r['p99']} | "
            f"{r['cpu_p50']} / {r['cpu_p95']} | {r['hit_rate']} | {r['folds']} "
            f"({r['fold_ms_p50']}) | {r['writes']} | {r['load']} |"
        )
    print(f"→ {path}")


if __name__ == "__main__":
    main()
