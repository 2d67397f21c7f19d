"""Run bench/load/locustfile.py against gunicorn on PostgreSQL, loopback only, bounded in time.

    .venv/bin/python bench/load/run.py [--users 120] [--spawn-rate 4] [--run-time 120]

Starts a throw-away PostgreSQL cluster (bench/faults.py's ``Cluster``), migrates it, builds the
demo (``seed_demo``), runs gunicorn with deploy/gunicorn.conf.py and the import worker with the
production settings of deploy/tongxin.env, then Locust headless (``--run-time``: the run stops by
itself) with 100 staff : 20 chairs by weight. Samples the CPU and memory of gunicorn's and
PostgreSQL's processes once a second (psutil), and prints per page type: requests, failures,
p50/p95/p99, requests a second; then the server's CPU and peak memory. Everything it started is
stopped and removed at the end. The data is the demo's (a few hundred members), not the 1M tree:
see bench/README.md, "Load".
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

LOAD = Path(__file__).resolve().parent
ROOT = LOAD.parent.parent
sys.path.insert(0, str(LOAD.parent))

from faults import Cluster, children, free_port, wait_healthy  # noqa: E402

PASSWORD = "Load-bench-2026"


def environment(cluster: Cluster, work: Path, port: int, workers: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TONGXIN_", "DJANGO_"))}
    for line in (ROOT / "deploy" / "tongxin.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    import base64

    env.update(
        TONGXIN_DATABASE_URL=cluster.url("tongxin"),
        TONGXIN_SECRET_KEY=secrets.token_urlsafe(50),
        TONGXIN_FIELD_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
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


def postgres_pids(cluster: Cluster) -> set[int]:
    import psutil

    pids = set()
    for process in psutil.process_iter(["cmdline"]):
        command = " ".join(process.info["cmdline"] or [])
        if "postgres" in command and (str(cluster.data) in command or str(cluster.port) in command):
            pids |= {process.pid} | {c.pid for c in process.children(recursive=True)}
    return pids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=120)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--run-time", type=int, default=120, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tongxin-load-"))
    os.chmod(work, 0o755)
    cluster = Cluster(work)
    processes: list[subprocess.Popen] = []
    try:
        cluster.init()
        import psycopg

        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE tongxin")
        port = free_port()
        env = environment(cluster, work, port, args.workers)
        started = time.monotonic()
        for command in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        print(f"setup: {time.monotonic() - started:.0f} s", file=sys.stderr)
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
        wait_healthy(port, 60)

        stop = threading.Event()
        web, db = [], []
        threads = [
            threading.Thread(
                target=sample, args=(lambda: {server.pid} | children(server.pid), stop, web)
            ),
            threading.Thread(target=sample, args=(lambda: postgres_pids(cluster), stop, db)),
        ]
        for thread in threads:
            thread.start()
        prefix = work / "locust"
        load_env = dict(env, TONGXIN_LOAD_PASSWORD=PASSWORD)
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
        rows = list(csv.DictReader((work / "locust_stats.csv").open()))
        print(
            f"\n{args.users} users ({args.users * 100 // 120} staff : {args.users * 20 // 120} "
            f"chairs by weight), {args.run_time} s, {args.workers} gunicorn workers, demo data\n"
        )
        print("| page type | requests | failures | p50 ms | p95 ms | p99 ms | req/s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            print(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
                f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
            )
        for name, samples in (("gunicorn (all workers)", web), ("PostgreSQL", db)):
            if samples:
                cpu = [s[1] for s in samples]
                print(
                    f"\n{name}: CPU mean {sum(cpu) / len(cpu):.0f} %, max {max(cpu):.0f} % "
                    f"(100 % = one core), peak RSS {max(s[2] for s in samples):.0f} MiB"
                )
        failures = work / "locust_failures.csv"
        if failures.exists():
            print("\nFailures:\n" + failures.read_text())
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        try:
            cluster.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
