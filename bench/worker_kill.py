"""kill -9 the import worker in the middle of a large roster write (issue 21, item 4).

    .venv/bin/python bench/worker_kill.py                       # 100,000 rows, PostgreSQL
    .venv/bin/python bench/worker_kill.py --rows 10000 --db sqlite --kill-at 0.3

On a fresh database (a throw-away PostgreSQL cluster, bench/faults.py's ``Cluster``, or a
SQLite file in a temporary directory) with the import benchmark's city (bench/import.py's
``prepare``: root → province → 200 organizations, superuser ``bench``), and the import
benchmark's workbook of N new members (bench/data/import-N.xlsx, written if missing):

1. the workbook goes in as staff put it in: uploaded (``io:upload``), checked by
   ``manage.py import_worker``, confirmed (``io:confirm``);
2. ``manage.py import_worker --loop`` takes up the write; when its progress file says the write
   has passed ``--kill-at`` of the rows, the worker gets SIGKILL;
3. what is in the database is counted: the batch must still say "writing" and no person, spell,
   post or change record of it may be there;
4. a new worker run (stale time 0) hands the batch back (「写入中断…」), staff confirm again, a
   worker writes it;
5. the same workbook goes, uninterrupted, into a second fresh database: the two must hold the
   same rows (a digest of every row the roster import writes, ids and timestamps left out).

Prints each step's time and the counts, and exits non-zero if any check fails.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
sys.path.insert(0, str(BENCH))

from faults import Cluster  # noqa: E402

PYTHON = sys.executable


# --- steps run in a child process with Django set up -------------------------------------------


def _django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects.filter(username="bench")
    users.update(must_change_password=False)  # the import bench's superuser, made for this run
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(users.get())
    return client


def step_upload(args) -> dict:
    from django.urls import reverse
    from django.utils import timezone

    from tongxin.io.models import ImportBatch

    path = DATA / f"import-{args.rows}.xlsx"
    with open(path, "rb") as fp:
        response = _client().post(
            reverse("io:upload"),
            {"file": fp, "effective_date": timezone.localdate().isoformat()},
            secure=True,
        )
    where = response.get("Location", "")
    assert response.status_code == 302 and "/batches/" in where, (response.status_code, where)
    return {"batch": ImportBatch.objects.latest("pk").pk}


def step_confirm(args) -> dict:
    from django.urls import reverse

    from tongxin.io.models import ImportBatch

    batch = ImportBatch.objects.get(pk=args.batch)
    assert batch.status == ImportBatch.Status.CHECKED, (
        batch.status,
        batch.message,
        batch.errors[:3],
    )
    response = _client().post(reverse("io:confirm", args=[batch.pk]), secure=True)
    assert response.status_code == 302, response.status_code
    batch.refresh_from_db()
    return {"status": batch.status}


def _written_models():
    """Every table the roster import writes rows into (the people app's, and its change log)."""
    from django.apps import apps

    from tongxin.io.models import BatchChange

    return [m for m in apps.get_app_config("people").get_models() if not m._meta.proxy] + [
        BatchChange
    ]


def step_inspect(args) -> dict:
    from tongxin.io.models import ImportBatch

    batch = ImportBatch.objects.get(pk=args.batch)
    counts = {m._meta.label: m.objects.count() for m in _written_models()}
    return {"status": batch.status, "message": batch.message, "counts": counts}


def _natural_keys() -> dict:
    """What a foreign key's value stands for in any database: a person by the lookup hash of
    their ID number, an organization by its code. Other links (the batch, the user) are left
    out."""
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    return {
        "people.Person": dict(Person.objects.values_list("pk", "id_number_hash")),
        "orgs.Organization": dict(Organization.objects.values_list("pk", "code")),
    }


def step_digest(args) -> dict:
    """A digest per table of its rows, without ids, timestamps, encrypted values (a new nonce
    each write) and links to the batch or the user."""
    from django.db import models

    keys = _natural_keys()
    digests = {}
    for model in _written_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not isinstance(f, models.DateTimeField | models.BinaryField)
            and not type(f).__name__.startswith("Encrypted")
            and f.name not in {"batch", "object_id", "before", "after"}
        ]
        rows = []
        for values in model.objects.values_list(*[f.attname for f in fields]).iterator(
            chunk_size=5000
        ):
            row = []
            for f, v in zip(fields, values, strict=True):
                if f.is_relation:
                    v = keys.get(f.related_model._meta.label, {}).get(v)
                row.append(v)
            rows.append(json.dumps(row, default=str, ensure_ascii=False))
        rows.sort()
        digests[model._meta.label] = (
            len(rows),
            hashlib.sha256("\n".join(rows).encode()).hexdigest(),
        )
    return digests


STEPS = {"upload": step_upload, "confirm": step_confirm, "inspect": step_inspect,
         "digest": step_digest}  # fmt: skip


# --- the parent ----------------------------------------------------------------------------------


class Run:
    """One database and the environment every process of it shares."""

    def __init__(self, db_url: str, var: Path, field_key: str):
        var.mkdir(parents=True, exist_ok=True)
        self.var = var
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("TONGXIN_", "DJANGO_"))
        }
        self.env.update(
            TONGXIN_DATABASE_URL=db_url,
            TONGXIN_VAR_DIR=str(var),
            TONGXIN_SECRET_KEY="bench-only-not-secret",
            TONGXIN_FIELD_KEY=field_key,
            TONGXIN_ALLOWED_HOSTS="testserver",
            TONGXIN_ADMIN_OTP_REQUIRED="0",
            TONGXIN_FORCE_FIRST_PASSWORD_CHANGE="0",
            TONGXIN_IMPORT_STALE_SECONDS="300",
            DJANGO_SETTINGS_MODULE="tongxin.settings",
        )
        self.db_url = db_url

    def step(self, name: str, **extra) -> dict:
        cmd = [PYTHON, __file__, "--step", name, *(f"--{k}={v}" for k, v in extra.items())]
        proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            sys.exit(f"step {name} failed:\n{proc.stdout}\n{proc.stderr}")
        line = next(x for x in reversed(proc.stdout.splitlines()) if x.startswith("RESULT "))
        return json.loads(line[len("RESULT ") :])

    def prepare(self, rows: int) -> None:
        db = "sqlite" if self.db_url.startswith("sqlite") else "postgres"
        cmd = [PYTHON, str(BENCH / "import.py"), "--child", "prepare", "--rows", str(rows),
               "--db", db, "--db-url", self.db_url]  # fmt: skip
        env = {**self.env}
        subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=ROOT)

    def worker_once(self, stale: int = 300) -> str:
        env = {**self.env, "TONGXIN_IMPORT_STALE_SECONDS": str(stale)}
        proc = subprocess.run([PYTHON, "manage.py", "import_worker"], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True)  # fmt: skip
        return proc.stdout.strip()

    def worker_loop(self) -> subprocess.Popen:
        return subprocess.Popen([PYTHON, "manage.py", "import_worker", "--loop"], env=self.env,
                                cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip

    def progress(self, batch: int) -> dict:
        try:
            return json.loads((self.var / "jobs" / f"import-{batch}.json").read_text())
        except (OSError, ValueError):
            return {}


def timed(label: str, fn, *a, **k):
    t = time.perf_counter()
    result = fn(*a, **k)
    print(f"  {label}: {time.perf_counter() - t:.1f} s  {result if result is not None else ''}",
          flush=True)  # fmt: skip
    return result


def checked_and_confirmed(run: Run, rows: int) -> int:
    timed("migrate, organizations, superuser", run.prepare, rows)
    batch = timed("upload (io:upload)", run.step, "upload", rows=rows)["batch"]
    timed("check (import_worker)", run.worker_once)
    timed("confirm (io:confirm)", run.step, "confirm", batch=batch)
    return batch


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--kill-at",
        type=float,
        default=0.5,
        help="kill when the write's progress passes this share of the rows",
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        _django()
        print("RESULT " + json.dumps(STEPS[args.step](args), default=str, ensure_ascii=False))
        return

    workbook = DATA / f"import-{args.rows}.xlsx"
    DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tongxin-kill."))
    cluster = None
    failures: list[str] = []
    try:
        if not workbook.exists():
            print(f"writing {workbook} …", flush=True)
            subprocess.run([PYTHON, str(BENCH / "import.py"), "--child", "generate", "--rows",
                            str(args.rows), "--db", "sqlite", "--db-url",
                            f"sqlite:///{work / 'generate.sqlite3'}"], check=True, cwd=ROOT,
                           capture_output=True)  # fmt: skip
        if args.db == "postgres":
            # Its own directory: the cluster runs as user postgres, who cannot enter ``work``.
            cluster = Cluster(Path(tempfile.mkdtemp(prefix="tongxin-kill-pg.")))
            cluster.init()
            for name in ("killed", "reference"):
                subprocess.run([str(cluster.bin / "createdb"), "-h", "127.0.0.1", "-p",
                                str(cluster.port), "-U", "tongxin", name], check=True)  # fmt: skip

        def url(name: str) -> str:
            return cluster.url(name) if cluster else f"sqlite:///{work / name}.sqlite3"

        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        print(f"{args.rows:,} rows on {args.db}, load average {os.getloadavg()[0]:.1f}", flush=True)

        print("the killed run:", flush=True)
        run = Run(url("killed"), work / "var-killed", key)
        batch = checked_and_confirmed(run, args.rows)
        worker = run.worker_loop()
        t = time.perf_counter()
        seen = {}
        while True:
            seen = run.progress(batch)
            if (
                seen.get("phase") == "write"
                and seen.get("total")
                and (seen["done"] >= args.kill_at * seen["total"])
            ):
                break
            if worker.poll() is not None:
                sys.exit("the worker ended before it could be killed")
            if time.perf_counter() - t > 1800:
                sys.exit("the write did not reach the kill point in 30 minutes")
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        print(f"  SIGKILL after {time.perf_counter() - t:.1f} s of the worker, at its progress "
              f"{seen}", flush=True)  # fmt: skip
        after_kill = timed("inspect", run.step, "inspect", batch=batch)
        if after_kill["status"] != "writing":
            failures.append(f"after the kill the batch is {after_kill['status']}, not writing")
        written = {k: v for k, v in after_kill["counts"].items() if v}
        if written:
            failures.append(f"rows left by the killed write: {written}")

        print("  the next worker hands it back:", flush=True)
        timed("import_worker (stale time 0)", run.worker_once, 0)
        back = timed("inspect", run.step, "inspect", batch=batch)
        if back["status"] != "checked" or not back["message"].startswith("写入中断"):
            failures.append(f"not handed back: {back['status']} {back['message']!r}")
        timed("confirm again (io:confirm)", run.step, "confirm", batch=batch)
        timed("write (import_worker)", run.worker_once)
        done = timed("inspect", run.step, "inspect", batch=batch)
        if done["status"] != "done":
            failures.append(f"the second write ended {done['status']}: {done['message']!r}")
        killed = timed("digest", run.step, "digest")

        print("the uninterrupted run:", flush=True)
        ref = Run(url("reference"), work / "var-reference", key)
        ref_batch = checked_and_confirmed(ref, args.rows)
        timed("write (import_worker)", ref.worker_once)
        timed("inspect", ref.step, "inspect", batch=ref_batch)
        reference = timed("digest", ref.step, "digest")

        print("\n| table | rows after kill + rerun | rows uninterrupted | same rows |")
        print("|---|---:|---:|---|")
        for label in reference:
            same = killed[label] == reference[label]
            print(f"| {label} | {killed[label][0]:,} | {reference[label][0]:,} | "
                  f"{'yes' if same else '**NO**'} |")  # fmt: skip
            if not same:
                failures.append(f"{label} differs from the uninterrupted import")
        if killed.get("people.Person", (0,))[0] != args.rows:
            failures.append(f"people written: {killed.get('people.Person')}, not {args.rows}")
    finally:
        if cluster is not None:
            try:
                cluster.stop("immediate")
            except subprocess.CalledProcessError:
                pass
            shutil.rmtree(cluster.work, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print()
    if failures:
        print("FAILED:\n- " + "\n- ".join(failures))
        sys.exit(1)
    print("passed: nothing of the killed write stayed; the batch was handed back, written again, "
          "and holds the same rows as an uninterrupted import")  # fmt: skip


if __name__ == "__main__":
    main()
