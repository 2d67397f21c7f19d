"""Run bench/load/locustfile.py against gunicorn on PostgreSQL, loopback only, bounded in time.

    .venv/bin/python bench/load/run.py [--users 120] [--spawn-rate 4] [--run-time 120]
    .venv/bin/python bench/load/run.py --db-url postgres://tongxin@127.0.0.1:54330/tx_load …

Without ``--db-url``: starts a throw-away PostgreSQL cluster (bench/faults.py's ``Cluster``),
migrates it and builds the demo (``seed_demo``); the simulated users are the demo's ``zuzhi``
and ``zhibu``. With ``--db-url``: an existing database (e.g. bench/roster.py's 1M tree) is
migrated (nothing else is changed but the load's accounts and what the load itself writes) and
bench/load/accounts.py creates, idempotently, 100 staff and 20 branch chairs spread over its
tree. Either way accounts.py writes what each account works on (a JSON the locustfile reads) and
a small roster workbook per member of staff.

Then gunicorn with deploy/gunicorn.conf.py and the import worker with the production settings of
deploy/tongxin.env, and Locust headless (``--run-time``: the run stops by itself) with 100 staff
: 20 chairs by weight. Samples once a second the CPU and memory of gunicorn's processes, of the
worker and of the database's server processes (with ``--db-url``: the backends serving that
database, found by their process title; psutil, as root), and the load average. Prints per page
type: requests, failures, p50/p95/p99, requests a second; then CPU, peak memory, load average,
the figure store's hit rate (from PostgreSQL's table statistics, see ``store_counters``) and,
with ``--slow-ms``, the statements the server logged as slower than that. Everything it started
is stopped and its files removed at the end (``--keep`` keeps the work directory).
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from urllib.parse import urlparse

LOAD = Path(__file__).resolve().parent
ROOT = LOAD.parent.parent
sys.path.insert(0, str(LOAD.parent))

from faults import Cluster, children, free_port, manage, wait_healthy  # noqa: E402

PASSWORD = "Load-bench-2026"
# The field key of a database the load comes back to (--db-url): the people an import wrote in
# one run must be readable in the next. Kept beside the bench's data, never committed.
FIELD_KEY_FILE = ROOT / "bench" / "data" / "load-field-key"
PG_LOG = Path("/tmp/pgdev/log")


def environment(db_url: str, field_key: str, work: Path, port: int, workers: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TONGXIN_", "DJANGO_"))}
    for line in (ROOT / "deploy" / "tongxin.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env.update(
        TONGXIN_DATABASE_URL=db_url,
        TONGXIN_SECRET_KEY=secrets.token_urlsafe(50),
        TONGXIN_FIELD_KEY=field_key,
        TONGXIN_ALLOWED_HOSTS="127.0.0.1",
        TONGXIN_VAR_DIR=str(work / "var"),
        TONGXIN_STATIC_ROOT=str(work / "static"),
        TONGXIN_BIND=f"127.0.0.1:{port}",
        TONGXIN_WEB_WORKERS=str(workers),
        TONGXIN_DEMO_PASSWORD=PASSWORD,
        TONGXIN_FORCE_FIRST_PASSWORD_CHANGE="0",
        TONGXIN_ADMIN_OTP_REQUIRED="0",
        TONGXIN_LOG_LEVEL="ERROR",
        # Locust's cookie jar keeps secure cookies off plain HTTP; the requests say HTTPS as
        # nginx would (X-Forwarded-Proto), the cookies lose only their Secure flag.
        TONGXIN_SECURE_COOKIES="0",
    )
    return env


def _field_key() -> str:
    if not FIELD_KEY_FILE.exists():
        FIELD_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        FIELD_KEY_FILE.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
        FIELD_KEY_FILE.chmod(0o600)
    return FIELD_KEY_FILE.read_text().strip()


def sample(pids_of, stop: threading.Event, out: list) -> None:
    import psutil

    seen: dict[int, psutil.Process] = {}
    while not stop.wait(1.0):
        cpu = rss = 0.0
        for pid in pids_of():
            try:
                process = seen.setdefault(pid, psutil.Process(pid))
                cpu += process.cpu_percent(None)
                rss += process.memory_info().rss
            except psutil.Error:
                seen.pop(pid, None)
        out.append((time.monotonic(), cpu, rss / 2**20))


def sample_load(stop: threading.Event, out: list) -> None:
    while not stop.wait(1.0):
        out.append(os.getloadavg()[0])


def cluster_pids(cluster: Cluster) -> set[int]:
    import psutil

    pids = set()
    for process in psutil.process_iter(["cmdline"]):
        command = " ".join(process.info["cmdline"] or [])
        if "postgres" in command and (str(cluster.data) in command or str(cluster.port) in command):
            pids |= {process.pid} | {c.pid for c in process.children(recursive=True)}
    return pids


def backend_pids(database: str, seen: set[int]) -> set[int]:
    """The server's processes serving ``database`` (title "postgres: USER DATABASE HOST …"),
    added to ``seen`` as well (to pick their lines out of the server's log)."""
    import psutil

    pids = set()
    for process in psutil.process_iter(["cmdline"]):
        words = " ".join(process.info["cmdline"] or []).split()
        if len(words) > 2 and words[0] == "postgres:" and words[2] == database:
            pids.add(process.pid)
    seen |= pids
    return pids


def store_counters(db_url: str) -> dict:
    """PostgreSQL's counters of the figure store's table (pg_stat_user_tables): scans, rows
    inserted and updated. A lookup (``cache.aggregate``) is one scan; a miss adds a
    ``update_or_create`` (a scan, then an insert, or an UPDATE by key which is one more scan).
    Read after the services stopped: a backend's counters reach the view when it exits."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT seq_scan + coalesce(idx_scan, 0), n_tup_ins, n_tup_upd, n_live_tup"
            " FROM pg_stat_user_tables WHERE relname = 'stats_cachedaggregate'"
        ).fetchone()
    return dict(zip(("scans", "inserted", "updated", "rows"), row or (0, 0, 0, 0), strict=True))


def store_figures(before: dict, after: dict) -> str:
    scans = after["scans"] - before["scans"]
    inserted = after["inserted"] - before["inserted"]
    updated = after["updated"] - before["updated"]
    misses = inserted + updated
    hits = scans - 2 * inserted - 3 * updated
    lookups = hits + misses
    if lookups <= 0:
        return "figure store: no lookups"
    return (
        f"figure store: {lookups} lookups, {hits} hits, {misses} counted afresh "
        f"({inserted} new keys, {updated} older versions replaced): hit rate "
        f"{100 * hits / lookups:.0f} %; {after['rows']} rows stored after"
    )


def slow_statements(pids: set[int], since: float, limit: int = 15) -> list[str]:
    """The server log's "duration:" lines of these backends since ``since`` (log_line_prefix
    "%m [%p] "), the slowest first."""
    if not PG_LOG.exists():
        return []
    found = []
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(since))
    pattern = re.compile(r"^(\S+ \S+) UTC \[(\d+)\] LOG:  duration: ([\d.]+) ms  (.*)$")
    for line in PG_LOG.read_text(errors="replace").splitlines():
        match = pattern.match(line)
        if match and match.group(1) >= stamp and int(match.group(2)) in pids:
            found.append((float(match.group(3)), match.group(4)[:400]))
    found.sort(reverse=True)
    return [f"{ms:8.0f} ms  {text}" for ms, text in found[:limit]] + [f"({len(found)} in all)"]


def warm(port: int, users: Path, parallel: int) -> str:
    """Open the report and the dashboard of each staff member's node once (the first account
    of each node, ``parallel`` at a time), as the days before the run would have: the figure
    store then holds each node's figures. Returns how long it took."""
    import json
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    from http.cookiejar import CookieJar

    base, origin = f"http://127.0.0.1:{port}", f"https://127.0.0.1:{port}"
    nodes = {}
    for user in json.loads(users.read_text())["users"]:
        if user["kind"] == "staff":
            nodes.setdefault(user["node"], (user["username"], user["depth"]))

    def visit(account) -> tuple[int, list[float]]:
        username, depth = account
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        opener.addheaders = [("X-Forwarded-Proto", "https"), ("Referer", origin + "/login/")]
        page = opener.open(base + "/login/", timeout=600).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        opener.open(base + "/login/", urllib.parse.urlencode(form).encode(), timeout=600).read()
        took = []
        for path in ("/stats/", "/stats/dashboard/"):
            began = time.monotonic()
            opener.open(base + path, timeout=600).read()
            took.append(time.monotonic() - began)
        return depth, took

    started = time.monotonic()
    with ThreadPoolExecutor(parallel) as pool:
        visits = list(pool.map(visit, nodes.values()))
    lines = [
        f"warm-up: the report and dashboard of {len(nodes)} nodes, {parallel} at a time, "
        f"in {time.monotonic() - started:.0f} s; the slowest (s) by the node's depth:"
    ]
    for depth in sorted({d for d, _ in visits}):
        report = max(t[0] for d, t in visits if d == depth)
        dashboard = max(t[1] for d, t in visits if d == depth)
        lines.append(f"  depth {depth}: report {report:.1f}, dashboard {dashboard:.1f}")
    return "\n".join(lines)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=120)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--run-time", type=int, default=120, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--db-url", default="", help="an existing database instead of the demo")
    parser.add_argument(
        "--slow-ms",
        type=int,
        default=0,
        help="with --db-url: log statements slower than this (ALTER DATABASE … SET "
        "log_min_duration_statement, reset at the end) and list them",
    )
    parser.add_argument(
        "--pg-options",
        default="",
        help='server settings for the services\' connections, e.g. "-c jit=off" (libpq options)',
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="before the run, open each staff node's report and dashboard once (see warm)",
    )
    parser.add_argument(
        "--locust", default="", help='more arguments for Locust, e.g. "--tags import Staff"'
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tongxin-load-"))
    os.chmod(work, 0o755)
    cluster = None if args.db_url else Cluster(work)
    database = urlparse(args.db_url).path.lstrip("/") if args.db_url else "tongxin"
    processes: list[subprocess.Popen] = []
    import psycopg

    try:
        started = time.monotonic()
        port = free_port()
        if cluster is not None:
            cluster.init()
            with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
                admin.execute("CREATE DATABASE tongxin")
            db_url = cluster.url("tongxin")
            field_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
        else:
            db_url, field_key = args.db_url, _field_key()
        served_url = db_url
        if args.pg_options:
            served_url += "?" + urllib.parse.urlencode({"options": args.pg_options})
        env = environment(served_url, field_key, work, port, args.workers)
        manage(env, "migrate", "-v0")
        if cluster is not None:
            manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        users = work / "users.json"
        subprocess.run(
            [sys.executable, str(LOAD / "accounts.py"), "--out", str(users)]
            + ["--workbooks", str(work / "workbooks"), "--password", PASSWORD]
            + (["--demo"] if cluster is not None else []),
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"setup: {time.monotonic() - started:.0f} s", file=sys.stderr)
        if args.db_url and args.slow_ms:
            with psycopg.connect(db_url, autocommit=True) as connection:
                connection.execute(
                    f'ALTER DATABASE "{database}" SET log_min_duration_statement = {args.slow_ms:d}'
                )
        log = (work / "services.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "import_worker", "--loop"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes += [server, worker]
        wait_healthy(port, 120)
        warmed = warm(port, users, args.workers) if args.warm else "no warm-up"
        print(warmed, file=sys.stderr)
        store_before = store_counters(db_url)

        stop = threading.Event()
        web, db, jobs, load = [], [], [], []
        backends: set[int] = set()

        def database_pids():
            if cluster is not None:
                return cluster_pids(cluster)
            return backend_pids(database, backends)

        threads = [
            threading.Thread(
                target=sample, args=(lambda: {server.pid} | children(server.pid), stop, web)
            ),
            threading.Thread(target=sample, args=(lambda: {worker.pid}, stop, jobs)),
            threading.Thread(target=sample, args=(database_pids, stop, db)),
            threading.Thread(target=sample_load, args=(stop, load)),
        ]
        before = uptime()
        run_started = time.time()
        for thread in threads:
            thread.start()
        prefix = work / "locust"
        load_env = dict(env, TONGXIN_LOAD_PASSWORD=PASSWORD, TONGXIN_LOAD_USERS=str(users))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOAD / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.run_time}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                *shlex.split(args.locust),
            ],
            cwd=ROOT,
            env=load_env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(work / "locust.log").open("w"),
        )
        stop.set()
        for thread in threads:
            thread.join()
        after = uptime()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        time.sleep(1)  # the backends' last counters reach the statistics as they exit
        store_after = store_counters(db_url)

        rows = list(csv.DictReader((work / "locust_stats.csv").open()))
        data = "demo data" if cluster is not None else f"database {database}"
        data += f", PostgreSQL options {args.pg_options!r}" if args.pg_options else ""
        print(
            f"\n{args.users} users ({args.users * 100 // 120} staff : {args.users * 20 // 120} "
            f"chairs by weight), {args.run_time} s, {args.workers} gunicorn workers, {data}\n"
        )
        print("| page type | requests | failures | p50 ms | p95 ms | p99 ms | req/s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            print(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
                f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
            )
        for name, samples in (
            ("gunicorn (all workers)", web),
            ("import worker", jobs),
            ("PostgreSQL" + (f" (backends of {database})" if cluster is None else ""), db),
        ):
            if samples:
                cpu = [s[1] for s in samples]
                print(
                    f"\n{name}: CPU mean {sum(cpu) / len(cpu):.0f} %, max {max(cpu):.0f} % "
                    f"(100 % = one core), peak RSS {max(s[2] for s in samples):.0f} MiB"
                )
        if load:
            mean = sum(load) / len(load)
            print(f"\nload average (1 min) during: mean {mean:.1f}, max {max(load):.1f}")
        print(f"before: {before}\nafter:  {after}\n{warmed}")
        print("\n" + store_figures(store_before, store_after))
        failures = work / "locust_failures.csv"
        if failures.exists() and len(failures.read_text().splitlines()) > 1:
            print("\nFailures:\n" + failures.read_text())
        if args.db_url and args.slow_ms:
            print(f"\nStatements over {args.slow_ms} ms (server log, this database's backends):")
            print("\n".join(slow_statements(backends, run_started)))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        if args.db_url and args.slow_ms:
            with psycopg.connect(args.db_url, autocommit=True) as connection:
                connection.execute(f'ALTER DATABASE "{database}" RESET log_min_duration_statement')
        if cluster is not None:
            try:
                cluster.stop("immediate")
            except subprocess.CalledProcessError:
                pass
        if args.keep:
            print(f"kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
