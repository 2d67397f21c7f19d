"""The yearly work report's timing (issue 20): ``work_report`` at one node, by hand.

    .venv/bin/python bench/report.py --members 1000000 --orgs 60000 --warm      # the bench root
    .venv/bin/python bench/report.py --db-url sqlite:///path/demo.sqlite3 --org MM-JC
    .venv/bin/python bench/report.py ... --profile                              # + cProfile

The default database is bench/stats.py's (bench/data/stats-<members>-<orgs>.sqlite3, built with
``bench/stats.py --members … --orgs … --generate-only``); ``migrate`` is applied first. The node
is ``--org`` or the tree's root. ``--warm`` first runs ``manage.py stats --warm`` for that node
alone (its report of the year and the year before, its charts) — what the nightly warm does —
and times it. Each run is what ``manage.py work_report`` times: the draft (``draft.build``) and
the Word document (``document.build``), in this process, Django's start-up not counted. Prints
a line a run with its split and the load average; ``--profile`` writes the cProfile of one
more run to bench/data/report-<node>.prof.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
sys.path.insert(0, str(BENCH))

bench_import = importlib.import_module("import")


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def one_run(root, year: int) -> dict:
    from tongxin.core.scope import Scope
    from tongxin.stats.report import document, draft

    began, cpu = time.perf_counter(), time.process_time()
    written = draft.build(scope=Scope(everything=True), org=root, year=year)
    drafted = time.perf_counter()
    data = document.build(written)
    done = time.perf_counter()
    return {
        "draft_s": drafted - began,
        "document_s": done - drafted,
        "total_s": done - began,
        "cpu_s": time.process_time() - cpu,
        "parts": len(written.parts),
        "sentences": len(written.sentences),
        "bytes": len(data),
        "load": load(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=60_000)
    parser.add_argument("--db-url", help="another database (the demo's)")
    parser.add_argument("--org", help="organization code (default: the tree's root)")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warm", action="store_true", help="stats --warm for the node first")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    url = args.db_url or f"sqlite:///{DATA / f'stats-{args.members}-{args.orgs}.sqlite3'}"
    bench_import.setup_django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tongxin.orgs.models import Organization

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        # Only when there is one to apply: migrate starts a new data version (the store empty).
        call_command("migrate", verbosity=0)
    # What the server has loaded before any request (the command's start-up, not counted).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    if args.org:
        root = Organization.objects.get(code=args.org)
    else:
        root = Organization.objects.filter(depth=1).order_by("path").first()
    print(f"{root.code} {root.name}, year {args.year}, {url}", flush=True)
    if args.warm:
        began = time.perf_counter()
        call_command(
            "stats",
            warm=True,
            org=root.code,
            as_of=f"{args.year}-12-31",
            min_members=10**9,  # the node alone
        )
        print(f"warm: {time.perf_counter() - began:.1f} s (load {load()})", flush=True)
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(root, args.year)
        runs.append(run)
        print(
            f"run {number}: {run['total_s']:.2f} s, CPU {run['cpu_s']:.2f} s "
            f"(draft {run['draft_s']:.2f} s, "
            f"document {run['document_s']:.2f} s; {run['parts']} parts, "
            f"{run['sentences']} sentences, {run['bytes']:,} bytes; load {run['load']})",
            flush=True,
        )
    if runs:
        totals = [r["total_s"] for r in runs]
        print(
            f"median {statistics.median(totals):.2f} s, min {min(totals):.2f} s, "
            f"max {max(totals):.2f} s over {len(runs)} runs"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run = one_run(root, args.year)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(60)
        path = DATA / f"report-{root.code}.prof.txt"
        path.write_text(out.getvalue())
        print(f"profiled run: {run['total_s']:.2f} s → {path}")


if __name__ == "__main__":
    main()
