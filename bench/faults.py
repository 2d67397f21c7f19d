"""PostgreSQL restarting under load: requests made while it is away get the Chinese 503 page,
and the server recovers by itself (no gunicorn worker restarted, no stale connection).

    .venv/bin/python bench/faults.py [--clients 6] [--down 5] [--after 15]

Starts its own PostgreSQL cluster on a free loopback port (initdb in a temporary directory,
as `postgres` when run as root, like .ci/run), migrates it, builds the demo (`seed_demo`),
then runs gunicorn (deploy/gunicorn.conf.py, 2 workers, kept connections) and the import
worker with the production settings of deploy/tongxin.env. Logged-in clients read roster and
person pages without pause while the cluster is stopped (`pg_ctl stop -m fast`), kept down
for --down seconds and started again; /healthz is asked every 0.25 s. Everything it started
is stopped at the end. Prints the results as markdown (bench/README.md: Faults).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PASSWORD = "Faults-bench-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL cluster on 127.0.0.1 (fsync off: nothing here is kept)."""

    def __init__(self, work: Path):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins:
            sys.exit("PostgreSQL 未安装（/usr/lib/postgresql/*/bin）")
        self.bin, self.work, self.port = bins[-1], work, free_port()
        self.data = work / "data"

    def run(self, *args: str) -> None:
        command = " ".join(str(a) for a in args)
        if os.geteuid() == 0:
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True)
        else:
            subprocess.run(["sh", "-c", command], check=True)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.work, "postgres")
        self.run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-A trust -U tongxin -E UTF8 --locale=C.UTF-8",
            ">/dev/null",
        )
        self.start()

    def start(self) -> None:
        options = f"'-h 127.0.0.1 -p {self.port} -k {self.work} -c fsync=off'"
        self.run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.work / "log",
            "-w",
            "-o",
            options,
            "start",
            ">/dev/null",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", ">/dev/null")

    def url(self, name: str) -> str:
        return f"postgres://tongxin@127.0.0.1:{self.port}/{name}"


class Client:
    """One member of staff: logged in, cookies kept, as nginx would pass the request on."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, url: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, url, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def login(self, username: str) -> None:
        _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        origin = "https://127.0.0.1"
        response, _ = self.request(
            "POST",
            "/login/",
            urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + "/login/",
            },
        )
        assert response.status == 302 and "sessionid" in self.cookies, f"{username} 登录失败"


def wait_healthy(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response, _ = Client(port).request("GET", "/healthz")
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"/healthz 在 {seconds} 秒内没有变为 200")


def manage(env: dict, *command: str) -> None:
    """``manage.py`` with the services' environment, its output discarded."""
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return {int(p) for p in out.stdout.split()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--before", type=float, default=5.0, help="秒：重启前的负载")
    parser.add_argument("--down", type=float, default=5.0, help="秒：数据库停止的时间")
    parser.add_argument("--after", type=float, default=15.0, help="秒：重新启动后的负载")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tongxin-faults-"))
    os.chmod(work, 0o755)
    cluster = Cluster(work)
    processes: list[subprocess.Popen] = []
    try:
        cluster.init()
        import psycopg

        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE tongxin")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TONGXIN_", "DJANGO_"))}
        for line in (ROOT / "deploy" / "tongxin.env").read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, value = line.partition("=")
                env[name] = value
        env.update(
            TONGXIN_DATABASE_URL=cluster.url("tongxin"),
            TONGXIN_SECRET_KEY=secrets.token_urlsafe(50),
            TONGXIN_FIELD_KEY=subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip(),
            TONGXIN_ALLOWED_HOSTS="127.0.0.1",
            TONGXIN_VAR_DIR=str(work / "var"),
            TONGXIN_STATIC_ROOT=str(work / "static"),
            TONGXIN_BIND=f"127.0.0.1:{port}",
            TONGXIN_WEB_WORKERS="2",
            TONGXIN_DEMO_PASSWORD=PASSWORD,
            TONGXIN_FORCE_FIRST_PASSWORD_CHANGE="0",
            TONGXIN_ADMIN_OTP_REQUIRED="0",
            TONGXIN_LOG_LEVEL="ERROR",
        )
        started = time.monotonic()
        for command in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
            manage(env, *command)
        print(
            f"setup (migrate, seed_demo, collectstatic): {time.monotonic() - started:.0f} s",
            file=sys.stderr,
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
        wait_healthy(port, 60)
        gunicorn_workers = children(server.pid)

        clients = []
        for _ in range(args.clients):
            client = Client(port)
            client.login("zuzhi")
            clients.append(client)
        _, roster = clients[0].request("GET", "/people/")
        people = sorted(set(re.findall(r'href="(/people/\d+/)"', roster.decode())))[:20]
        pages = ["/people/", *people] if people else ["/people/"]

        t0 = time.monotonic()
        stop = threading.Event()
        events: list[tuple[float, str, int, str, float]] = []  # t, who, status, kind, ms
        lock = threading.Lock()

        def load(index: int, client: Client) -> None:
            n = index
            while not stop.is_set():
                url = pages[n % len(pages)]
                n += args.clients
                t = time.monotonic()
                try:
                    response, body = client.request("GET", url)
                    status = response.status
                    text = body.decode(errors="replace")
                    kind = (
                        "page"
                        if status == 200
                        else (
                            "503 中文页"
                            if status == 503
                            and "数据库暂时无法访问" in text
                            and response.headers.get("Retry-After")
                            else f"{status} 其他"
                        )
                    )
                except OSError as exc:
                    status, kind = 0, f"连接失败 {type(exc).__name__}"
                with lock:
                    events.append(
                        (t - t0, f"c{index}", status, kind, (time.monotonic() - t) * 1000)
                    )

        def health() -> None:
            while not stop.is_set():
                t = time.monotonic()
                try:
                    response, body = Client(port).request("GET", "/healthz")
                    state = json.loads(body)
                    kind = (
                        "ok"
                        if response.status == 200
                        else ",".join(f"{k}={v}" for k, v in state.items() if v != "ok")
                    )
                    status = response.status
                except (OSError, ValueError) as exc:
                    status, kind = 0, type(exc).__name__
                with lock:
                    events.append((t - t0, "healthz", status, kind, (time.monotonic() - t) * 1000))
                time.sleep(0.25)

        threads = [threading.Thread(target=load, args=(i, c)) for i, c in enumerate(clients)]
        threads.append(threading.Thread(target=health))
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        stop_at = time.monotonic() - t0
        cluster.stop("fast")
        stopped_at = time.monotonic() - t0
        time.sleep(args.down)
        start_at = time.monotonic() - t0
        cluster.start()
        up_at = time.monotonic() - t0
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join()

        # Recovery: the first answer of each client and of /healthz after the cluster was up.
        def phase(t: float) -> str:
            if t < stop_at:
                return "before"
            if t < up_at:
                return "restart"
            return "after"

        table: dict[tuple[str, str], Counter] = {}
        for t, who, _status, kind, _ms in events:
            key = ("healthz" if who == "healthz" else "pages", phase(t))
            table.setdefault(key, Counter())[kind] += 1
        last_failure = max(
            (t for t, who, status, *_ in events if who != "healthz" and status != 200),
            default=None,
        )
        first_healthy = min(
            (
                t
                for t, who, status, *_ in events
                if who == "healthz" and status == 200 and t > up_at
            ),
            default=None,
        )
        after_failures = [
            e for e in events if e[1] != "healthz" and e[0] > up_at + 1 and e[2] != 200
        ]
        same_workers = children(server.pid) == gunicorn_workers
        print(
            f"\n### Run ({time.strftime('%Y-%m-%d %H:%M')}, {args.clients} clients, "
            f"2 gunicorn workers, cluster down {args.down:.0f} s)\n"
        )
        print(
            f"- stop requested at {stop_at:.2f} s, cluster stopped at {stopped_at:.2f} s, "
            f"start at {start_at:.2f} s, accepting connections at {up_at:.2f} s"
        )
        print(f"- last failed page at {last_failure:.2f} s" if last_failure else "- no failed page")
        print(
            f"- first /healthz 200 after the restart at {first_healthy:.2f} s"
            if first_healthy
            else "- /healthz never healthy again"
        )
        print(f"- pages failing more than 1 s after the cluster was up: {len(after_failures)}")
        print(
            f"- gunicorn workers unchanged (no worker restarted): {same_workers}; import worker "
            f"still running: {worker.poll() is None}\n"
        )
        print("| what | phase | answers |\n|---|---|---|")
        for (what, ph), counts in sorted(
            table.items(), key=lambda kv: (kv[0][0], ["before", "restart", "after"].index(kv[0][1]))
        ):
            shown = ", ".join(f"{kind} × {n}" for kind, n in counts.most_common())
            print(f"| {what} | {ph} | {shown} |")
        times = sorted(
            ms for t, who, status, _k, ms in events if who != "healthz" and status == 503
        )
        if times:
            print(
                f"\n503 answers took {times[len(times) // 2]:.0f} ms (median), "
                f"{times[-1]:.0f} ms (max)."
            )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        try:
            cluster.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
