"""What the figure store's triggers cost a write on SQLite (issue 21, item 3).

    .venv/bin/python bench/trigger_cost.py --people 20000 --repeat 3

Migrates (once) bench/data/trigger-cost-<checkout's stats migration>.sqlite3, then, on a
fresh copy of it for each repeat, times four kinds of write, each in one transaction:
- ``people``: ``bulk_create`` of N people (one INSERT a row for the triggers);
- ``spells``: ``bulk_create`` of their N membership spells (a person and an organization a row);
- ``edits``: 2,000 people saved one by one (an UPDATE each);
- ``update``: one ``QuerySet.update`` over all N people.
Run it in two checkouts (before and after a change of the triggers) one after the other and
compare; the machine's load average is printed with each figure. SQLite runs in the
process, so its CPU time (``time.process_time``) holds the triggers' work and is far less
disturbed by other processes than the wall time, which is printed beside it. See
bench/README.md, "The figure store under writes".
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"


def setup_django(db_path: Path) -> None:
    os.environ["TONGXIN_DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["TONGXIN_VAR_DIR"] = str(DATA / "var")
    os.environ.setdefault("TONGXIN_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings"
    os.environ.pop("TONGXIN_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def latest_stats_migration() -> str:
    names = sorted(p.stem for p in (ROOT / "tongxin/stats/migrations").glob("0*.py"))
    return names[-1]


def timed(label: str, work, results: dict) -> None:
    from django.db import transaction

    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        work()
    results.setdefault(label, []).append((time.perf_counter() - started, time.process_time() - cpu))


def run_once(template: Path, work_db: Path, people: int) -> dict:
    from django.db import connections

    connections.close_all()
    shutil.copyfile(template, work_db)
    for suffix in ("-wal", "-shm"):
        Path(f"{work_db}{suffix}").unlink(missing_ok=True)

    from tongxin.orgs.models import Organization
    from tongxin.people.models import MembershipSpell, Person

    root = Organization.objects.get(code="BENCH")
    branches = list(Organization.objects.filter(path__startswith=root.path).exclude(pk=root.pk))
    results: dict = {}
    persons = [
        Person(name=f"测试{i}", gender="12"[i % 2], birth_date=date(1970 + i % 30, 1, 1))
        for i in range(people)
    ]
    timed("people", lambda: Person.objects.bulk_create(persons, batch_size=1000), results)
    saved = list(Person.objects.order_by("pk"))
    spells = [
        MembershipSpell(
            person=person,
            org=branches[i % len(branches)],
            start=date(2010 + i % 14, 1, 1),
            start_reason="admitted",
        )
        for i, person in enumerate(saved)
    ]
    timed("spells", lambda: MembershipSpell.objects.bulk_create(spells, batch_size=1000), results)

    def edits():
        for person in saved[:2000]:
            person.education = "21"
            person.save(update_fields=["education"])

    timed("edits", edits, results)
    timed("update", lambda: Person.objects.update(education="11"), results)
    connections.close_all()
    return results


def build_template() -> None:
    from django.core.management import call_command

    from tongxin.orgs.models import Organization

    call_command("migrate", verbosity=0)
    root = Organization.add_root(code="BENCH", name="测试委员会", kind="committee", party="05")
    for i in range(20):
        root.add_child(code=f"BENCH-{i}", name=f"测试支部{i}", kind="branch", party="05")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    template = DATA / f"trigger-cost-{latest_stats_migration()}.sqlite3"
    work_db = DATA / "trigger-cost-work.sqlite3"
    setup_django(work_db)
    if not template.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work_db}{suffix}").unlink(missing_ok=True)
        build_template()
        from django.db import connection, connections

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connections.close_all()
        shutil.copyfile(work_db, template)
    results: dict = {}
    for _ in range(args.repeat):
        for label, times in run_once(template, work_db, args.people).items():
            results.setdefault(label, []).extend(times)
    load = os.getloadavg()
    print(f"checkout {ROOT} ({latest_stats_migration()}), {args.people} people")
    for label, times in results.items():
        wall, cpu = [t[0] for t in times], [t[1] for t in times]
        print(
            f"  {label:7s} CPU median {statistics.median(cpu):6.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in cpu)}); "
            f"wall median {statistics.median(wall):6.2f} s"
        )
    print(f"  load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
