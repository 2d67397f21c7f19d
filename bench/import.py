"""Roster import and export benchmark, against django-import-export, on SQLite and PostgreSQL.

    .venv/bin/python bench/import.py                    # 10k and 100k rows, both databases
    .venv/bin/python bench/import.py --rows 10000 --db sqlite
    .venv/bin/python bench/import.py --rows 100000 --db postgres
    .venv/bin/python bench/import.py --rows 100000 --db sqlite --profile   # cProfile

Writes bench/data/import-<rows>.xlsx (the real roster format, via tongxin.io.workbook) with N
members spread over the ~200 organizations of one city, then, on a fresh database each time,
measures in separate child processes (so that each reports its own peak RSS):

  parse     python-calamine reading every sheet of the file into Python lists (the floor)
  import    importer.check(), then importer.apply() for an ImportBatch (a superuser's)
  reimport  the same file again: check (all rows unchanged) and apply (must write nothing)
  export    write_workbook(export.organization_rows(...), export.member_rows(...)) of the city
  undo      undo_blockers() of the first batch (what its page asks), then undo() of it
  die_dry   django-import-export: Dataset loaded from the same file, Person ModelResource dry run
  die       the same on a fresh database, for real: Person rows, then MembershipSpell rows

The PostgreSQL runs use a throw-away cluster this script starts (initdb into a temp dir, port
54331, trust auth, user tongxin) and stops. See bench/README.md, "Import and export".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
PG_PORT = 54331
SIZES = (10_000, 100_000)
DATABASES = ("sqlite", "postgres")

CITY = "C01"
COUNTIES = 10
BRANCHES = 189  # city + 10 counties + 189 branches = 200 organizations in the city's subtree


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """User + system CPU of this process and of the children it has waited for (a forked
    parser): on a shared machine a steadier measure than wall time for comparing variants."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))  # fmt: skip
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def server_cpu_seconds() -> float:
    """CPU of this connection's PostgreSQL backend (same machine: /proc), 0 on SQLite, whose
    work is done inside this process and counted by cpu_seconds()."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def setup_django(db_url: str, settings: str = "tongxin.settings") -> None:
    os.environ["TONGXIN_DATABASE_URL"] = db_url
    os.environ["TONGXIN_VAR_DIR"] = str(DATA / "var")
    os.environ.setdefault("TONGXIN_SECRET_KEY", "bench-only-not-secret")
    os.environ["TONGXIN_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ.pop("TONGXIN_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- the organizations and the workbook -------------------------------------------------------


def org_spec() -> list[dict]:
    """The city's subtree in path order, as export.organization_rows yields it."""
    established = date(1980, 1, 1)
    rows = [dict(code=CITY, name="江城市委员会", parent_code="P01", kind="committee",
                 categories=[], established=established)]  # fmt: skip
    per_county = [BRANCHES // COUNTIES + (i < BRANCHES % COUNTIES) for i in range(COUNTIES)]
    for k in range(COUNTIES):
        county = f"{CITY}-{k + 1:02d}"
        rows.append(dict(code=county, name=f"江城第{k + 1}区基层委员会", parent_code=CITY,
                         kind="grassroots_committee", categories=[],
                         established=established))  # fmt: skip
        for b in range(per_county[k]):
            rows.append(dict(code=f"{county}-{b + 1:02d}", name=f"江城第{k + 1}区第{b + 1}支部",
                             parent_code=county, kind="branch", categories=[],
                             established=established))  # fmt: skip
    return rows


def create_orgs() -> None:
    """Root → province → the city's 200 organizations, as they stand before the import."""
    from tongxin.orgs.models import Organization

    root = Organization.add_root(code="R", name="全国委员会", kind="committee", party="05")
    parent = {"P01": root.add_child(code="P01", name="江省委员会", kind="committee")}
    for row in org_spec():
        node = parent[row["parent_code"]].add_child(
            code=row["code"], name=row["name"], kind=row["kind"], established=row["established"]
        )
        parent[row["code"]] = node


NATIVE = ["山东济南", "江苏南京", "浙江杭州", "湖北武汉", "四川成都", "广东广州", "河南郑州",
          "湖南长沙", "福建福州", "陕西西安", "辽宁沈阳", "安徽合肥"]  # fmt: skip
SCHOOLS = ["北京大学", "清华大学", "武汉大学", "南京大学", "浙江大学", "复旦大学", "江城大学",
           "华中科技大学", "中山大学", "四川大学"]  # fmt: skip
MAJORS = ["法学", "汉语言文学", "临床医学", "机械工程", "计算机科学与技术", "经济学", "历史学",
          "物理学", "化学", "会计学", "新闻学", "建筑学"]  # fmt: skip
UNITS = [f"江城{x}" for x in ("大学", "第一中学", "第二中学", "人民医院", "中心医院", "律师事务所",
         "市图书馆", "日报社", "科学院", "设计研究院", "实验小学", "职业技术学院")] + [
         f"江城市{x}局" for x in ("教育", "卫生健康", "文化和旅游", "司法", "财政",
                                  "科技")]  # fmt: skip
TITLES = ["教授", "副教授", "讲师", "助教", "高级教师", "一级教师", "主任医师", "副主任医师",
          "主治医师", "高级工程师", "工程师", "研究员", "副研究员", "律师", ""]  # fmt: skip
JOBS = ["", "", "", "教师", "主任", "副主任", "医师", "工程师", "处长", "副处长", "科长", "院长"]
UNIT_NATURES = ["10", "20", "20", "20", "30", "40", "60", "70"]
SECTORS = ["education", "culture", "press", "science", "health", "economy", "law", "welfare",
           "other"]  # fmt: skip
ETHNIC = ["01"] * 18 + ["03", "11", "08", "02"]
PARTY_POSTS = [["支部主委"], ["支部副主委"], ["支部委员"], ["支部副主委", "宣传委员"]]


def member_rows(n: int, seed: int = 7):
    """N synthetic members of the city's branches, as export.member_rows yields them."""
    from tongxin.core import codes
    from tongxin.core.idnumber import make_id_number

    sys.path.insert(0, str(BENCH))
    import roster  # the roster benchmark's names and code weights

    rng = random.Random(seed)
    branches = [o["code"] for o in org_spec() if o["kind"] == "branch"]
    areas = ["420102", "420103", "420104", "420105", "420106", "420111", "420115", "420117"]
    birth0, birth_days = date(1950, 1, 1), (date(2000, 12, 31) - date(1950, 1, 1)).days
    admit0 = date(1985, 1, 1)
    admit_days = (date.today() - timedelta(days=30) - admit0).days
    seen: set[str] = set()
    for i in range(n):
        while True:
            birth = birth0 + timedelta(days=rng.randrange(birth_days))
            seq = rng.randrange(1000)
            number = make_id_number(rng.choice(areas), birth, seq)
            if number not in seen:
                seen.add(number)
                break
        s, sp = rng.choice(roster.SURNAMES)
        given = [rng.choice(roster.GIVEN) for _ in range(1 + (rng.random() < 0.7))]
        title = rng.choice(TITLES)
        yield {
            "name": s + "".join(g[0] for g in given),
            "id_number": number,
            "gender": "1" if seq % 2 else "2",
            "birth_date": birth,
            "ethnicity": rng.choice(ETHNIC),
            "native_place": rng.choice(NATIVE),
            "education": rng.choice(roster.EDUCATION),
            "degree": rng.choice(roster.DEGREE),
            "school_major": f"{rng.choice(SCHOOLS)} {rng.choice(MAJORS)}",
            "title": title,
            "title_level": codes.title_level_for(title),
            "work_unit": rng.choice(UNITS),
            "unit_nature": rng.choice(UNIT_NATURES),
            "job_post": rng.choice(JOBS),
            "sector": rng.choice(SECTORS),
            "is_retired": rng.random() < 0.2,
            "is_cross_member": rng.random() < 0.03,
            "upper_middle": rng.choice([None] * 7 + [True] * 2 + [False]),
            "admitted_on": admit0 + timedelta(days=rng.randrange(admit_days)),
            "phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            "email": f"{sp}{i + 1}@example.com" if rng.random() < 0.5 else "",
            "note": "",
            "org_code": rng.choice(branches),
            "admin_rank": rng.choice(["131", "132", "141", "142"]) if rng.random() < 0.08 else "",
            "party_posts": rng.choice(PARTY_POSTS) if rng.random() < 0.05 else [],
        }


def write_rows(fp, org_rows, member_rows) -> int:
    """The real writer when it is there; else the same two sheets with openpyxl write-only."""
    try:
        from tongxin.io.workbook import write_workbook
    except ImportError:
        write_workbook = None
    if write_workbook is not None:
        return write_workbook(fp, org_rows, member_rows)
    from openpyxl import Workbook

    from tongxin.io.columns import (
        MEMBER_COLUMNS,
        MEMBER_SHEET,
        ORG_COLUMNS,
        ORG_SHEET,
        format_value,
        header_label,
    )

    wb = Workbook(write_only=True)
    count = 0
    for name, columns, rows in ((ORG_SHEET, ORG_COLUMNS, org_rows),
                                (MEMBER_SHEET, MEMBER_COLUMNS, member_rows)):  # fmt: skip
        ws = wb.create_sheet(name)
        ws.append([header_label(c) for c in columns])
        for row in rows:
            ws.append([format_value(c, row.get(c.key)) for c in columns])
            count += name == MEMBER_SHEET
    wb.save(fp)
    return count


def workbook_path(rows: int) -> Path:
    return DATA / f"import-{rows}.xlsx"


# --- child phases (each in its own process) ---------------------------------------------------


def phase_generate(args) -> dict:
    from django.core.management import call_command

    # The workbook's drop-down lists read the organization kinds, a table since issue 18.
    call_command("migrate", verbosity=0)
    path = workbook_path(args.rows)
    t = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fp:
        count = write_rows(fp, org_spec(), member_rows(args.rows))
    tmp.replace(path)
    try:
        import tongxin.io.workbook  # noqa: F401

        writer = "tongxin.io.workbook.write_workbook"
    except ImportError:
        writer = "openpyxl write-only fallback (tongxin.io.workbook missing)"
    return {"seconds": time.perf_counter() - t, "members": count, "bytes": path.stat().st_size,
            "writer": writer}  # fmt: skip


def phase_prepare(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t
    create_orgs()
    get_user_model().objects.create_superuser("bench", password="bench-only")
    return {"migrate": t_migrate, "total": time.perf_counter() - t}


def phase_parse(args) -> dict:
    from python_calamine import load_workbook

    data = workbook_path(args.rows).read_bytes()
    base = rss_mib()
    cpu = cpu_seconds()
    t = time.perf_counter()
    import io

    wb = load_workbook(io.BytesIO(data))
    rows = {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    seconds = time.perf_counter() - t
    return {"parse": seconds, "parse_cpu": cpu_seconds() - cpu,
            "rows": {k: len(v) for k, v in rows.items()}, "rss_base": base}  # fmt: skip


def _profiled(args, label, fn):
    if not args.profile:
        return fn()
    import cProfile
    import pstats

    prof = cProfile.Profile()
    result = prof.runcall(fn)
    out = DATA / f"import-{args.rows}-{args.db}-{label}.prof"
    prof.dump_stats(out)
    with open(out.with_suffix(".txt"), "w") as fp:
        stats = pstats.Stats(prof, stream=fp).strip_dirs()
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
    return result


def _import_once(args, expect_unchanged: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from tongxin.core.scope import Scope
    from tongxin.io import importer
    from tongxin.io.models import BatchChange, ImportBatch
    from tongxin.people.models import MembershipSpell, Person, Post

    path = workbook_path(args.rows)
    data = path.read_bytes()
    user = get_user_model().objects.get(username="bench")
    on = timezone.localdate()
    connection.ensure_connection()
    base = rss_mib()

    cpu, server = cpu_seconds(), server_cpu_seconds()
    t = time.perf_counter()
    plan = _profiled(args, "check" + ("-again" if expect_unchanged else ""), lambda: importer.check(
        data=data, filename=path.name, scope=Scope.for_user(user), effective_date=on))  # fmt: skip
    t_check = time.perf_counter() - t
    cpu_check, server_check = cpu_seconds() - cpu, server_cpu_seconds() - server
    rss_check = rss_mib()
    if plan.errors:
        raise SystemExit(f"the check found {len(plan.errors)} errors, first: {plan.errors[:3]}")
    counts = {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged,
              "transferred": plan.transferred, "orgs_created": plan.orgs_created,
              "orgs_updated": plan.orgs_updated}  # fmt: skip
    if expect_unchanged:
        assert (plan.created, plan.updated, plan.unchanged) == (0, 0, args.rows), counts
    else:
        assert plan.created == args.rows, counts
    assert (plan.orgs_created, plan.orgs_updated) == (0, 0), counts

    batch = ImportBatch.objects.create(
        created_by=user, file_name=path.name, file_hash=hashlib.sha256(data).hexdigest(),
        content=data, effective_date=on, status=ImportBatch.Status.WRITING,
        total_rows=plan.total_rows,
    )  # fmt: skip
    cpu, server = cpu_seconds(), server_cpu_seconds()
    t = time.perf_counter()
    _profiled(args, "apply" + ("-again" if expect_unchanged else ""),
              lambda: importer.apply(batch=batch, plan=plan))  # fmt: skip
    t_apply = time.perf_counter() - t
    cpu_apply, server_apply = cpu_seconds() - cpu, server_cpu_seconds() - server
    written = BatchChange.objects.filter(batch=batch).count()
    if expect_unchanged:
        assert written == 0, f"an unchanged re-import recorded {written} changes"
    return {
        "check": t_check,
        "apply": t_apply,
        "check_cpu": cpu_check,
        "apply_cpu": cpu_apply,
        "check_server_cpu": server_check,
        "apply_server_cpu": server_apply,
        "counts": counts,
        "batch_changes": written,
        "people": Person.objects.count(),
        "spells": MembershipSpell.objects.count(),
        "posts": Post.objects.count(),
        "rss_base": base,
        "rss_after_check": rss_check,
    }


def phase_import(args) -> dict:
    return _import_once(args, expect_unchanged=False)


def phase_reimport(args) -> dict:
    return _import_once(args, expect_unchanged=True)


def phase_undo(args) -> dict:
    from django.contrib.auth import get_user_model

    from tongxin.io import importer
    from tongxin.io.models import ImportBatch
    from tongxin.people.models import Person

    user = get_user_model().objects.get(username="bench")
    batch = ImportBatch.objects.filter(status=ImportBatch.Status.DONE).earliest("pk")
    base = rss_mib()
    t = time.perf_counter()
    blockers = importer.undo_blockers(batch, limit=5)  # what the batch page asks
    t_blockers = time.perf_counter() - t
    assert blockers == [], blockers
    t = time.perf_counter()
    importer.undo(batch=batch, by=user)
    t_undo = time.perf_counter() - t
    left = Person.objects.count()
    assert left == 0, f"{left} people left after the undo"
    return {"blockers": t_blockers, "undo": t_undo, "rss_base": base}


def phase_export(args) -> dict:
    from django.db import connection
    from django.utils import timezone

    from tongxin.core.scope import Scope
    from tongxin.io import export
    from tongxin.orgs.models import Organization

    connection.ensure_connection()
    city = Organization.objects.get(code=CITY)
    scope, on = Scope(everything=True), timezone.localdate()
    out = DATA / f"import-{args.rows}-{args.db}.export.xlsx"
    base = rss_mib()
    t = time.perf_counter()
    with open(out, "wb") as fp:
        count = write_rows(fp, export.organization_rows(scope=scope, org=city, on=on),
                           export.member_rows(scope=scope, org=city, on=on))  # fmt: skip
    seconds = time.perf_counter() - t
    size = out.stat().st_size
    out.unlink()
    assert count in (args.rows, None), count
    return {"export": seconds, "members": count, "bytes": size, "rss_base": base}


def die_resources():
    """What a Django developer would write with django-import-export for this workbook: the
    Chinese headers mapped to the model fields, labels turned into the stored codes."""
    from import_export import fields, resources, widgets

    from tongxin.core import codes
    from tongxin.core.pinyin import name_pinyin
    from tongxin.orgs.models import Organization
    from tongxin.people.models import MembershipSpell, Person

    class LabelWidget(widgets.Widget):
        def __init__(self, choices, extra=None):
            super().__init__()
            self.table = {label: value for value, label in choices.choices} | (extra or {})

        def clean(self, value, row=None, **kwargs):
            if value in (None, ""):
                return ""
            return self.table[str(value).strip()]

    class YesNoWidget(widgets.Widget):
        def __init__(self, yes="是", no="否", blank=False):
            super().__init__()
            self.table, self.blank = {yes: True, no: False}, blank

        def clean(self, value, row=None, **kwargs):
            if value in (None, ""):
                return self.blank
            return self.table[str(value).strip()]

    def text(attr, header):
        return fields.Field(attribute=attr, column_name=header, widget=widgets.CharWidget())

    def label(attr, header, choices, extra=None):
        return fields.Field(attribute=attr, column_name=header, widget=LabelWidget(choices, extra))

    def day(attr, header):
        return fields.Field(attribute=attr, column_name=header, widget=widgets.DateWidget())

    class PersonByIdNumberWidget(widgets.ForeignKeyWidget):
        # ID numbers are encrypted: a person is found through the lookup hash.
        def get_queryset(self, value, row, *args, **kwargs):
            return Person.objects.with_id_number(value)

        def get_lookup_kwargs(self, value, row=None, **kwargs):
            return {}

    class PersonResource(resources.ModelResource):
        name = text("name", "姓名")
        id_number = text("id_number", "身份证号")
        gender = label("gender", "性别", codes.Gender)
        birth_date = day("birth_date", "出生日期")
        ethnicity = label("ethnicity", "民族", codes.Ethnicity)
        native_place = text("native_place", "籍贯")
        education = label("education", "学历", codes.Education)
        degree = label("degree", "学位", codes.Degree, {"无": ""})
        school_major = text("school_major", "毕业院校及专业")
        title = text("title", "专业技术职务")
        title_level = label("title_level", "职称级别", codes.TitleLevel, {"无": ""})
        work_unit = text("work_unit", "工作单位")
        unit_nature = label("unit_nature", "单位性质", codes.UnitNature)
        job_post = text("job_post", "职务")
        sector = label("sector", "界别", codes.Sector)
        is_retired = fields.Field(attribute="is_retired", column_name="在职状态",
                                  widget=YesNoWidget("离退休", "在职"))  # fmt: skip
        is_cross_member = fields.Field(attribute="is_cross_member", column_name="是否中共党员",
                                       widget=YesNoWidget())  # fmt: skip
        upper_middle = fields.Field(attribute="upper_middle", column_name="中上层人士",
                                    widget=YesNoWidget(blank=None))  # fmt: skip
        admitted_on = day("admitted_on", "入会日期")
        phone = text("phone", "手机")
        email = text("email", "电子邮箱")
        note = text("note", "备注")

        class Meta:
            model = Person
            import_id_fields = ("id_number",)
            fields = ("name", "id_number", "gender", "birth_date", "ethnicity", "native_place",
                      "education", "degree", "school_major", "title", "title_level", "work_unit",
                      "unit_nature", "job_post", "sector", "is_retired", "is_cross_member",
                      "upper_middle", "admitted_on", "phone", "email", "note")  # fmt: skip

        def get_instance(self, instance_loader, row):
            return Person.objects.with_id_number(row.get("身份证号") or "").first()

        def before_save_instance(self, instance, row, **kwargs):
            instance.name_pinyin, instance.name_initials = name_pinyin(instance.name)

    class SpellResource(resources.ModelResource):
        person = fields.Field(attribute="person", column_name="身份证号",
                              widget=PersonByIdNumberWidget(Person, "id_number"))  # fmt: skip
        org = fields.Field(attribute="org", column_name="所在组织编码",
                           widget=widgets.ForeignKeyWidget(Organization, "code"))  # fmt: skip
        start = day("start", "入会日期")

        class Meta:
            model = MembershipSpell
            import_id_fields = ("person",)
            fields = ("person", "org", "start")

        def before_save_instance(self, instance, row, **kwargs):
            instance.start_reason = codes.SpellReason.ADMITTED

    return PersonResource, SpellResource


def _die_dataset(args):
    import tablib

    from tongxin.io.columns import MEMBER_SHEET

    data = workbook_path(args.rows).read_bytes()
    book = tablib.Databook()
    book.load(data, format="xlsx")
    return next(s for s in book.sheets() if s.title == MEMBER_SHEET)


def _die_run(args, dry_run: bool) -> dict:
    from django.db import connection

    from tongxin.people.models import MembershipSpell, Person

    connection.ensure_connection()
    PersonResource, SpellResource = die_resources()
    base = rss_mib()
    t = time.perf_counter()
    dataset = _die_dataset(args)
    t_load = time.perf_counter() - t
    assert len(dataset) == args.rows, len(dataset)
    t = time.perf_counter()
    result = PersonResource().import_data(dataset, dry_run=dry_run, use_transactions=True)
    t_person = time.perf_counter() - t
    assert not result.has_errors() and not result.has_validation_errors(), (
        result.base_errors
        or [r.errors for r in result.rows if r.errors][:3]
        or result.invalid_rows[:3]
    )
    totals = dict(result.totals)
    out = {"load": t_load, "person": t_person, "person_totals": totals, "rss_base": base}
    del result
    if not dry_run:
        t = time.perf_counter()
        result = SpellResource().import_data(dataset, dry_run=False, use_transactions=True)
        out["spell"] = time.perf_counter() - t
        assert not result.has_errors() and not result.has_validation_errors()
        out["spell_totals"] = dict(result.totals)
        out["people"], out["spells"] = Person.objects.count(), MembershipSpell.objects.count()
    return out


def phase_die_dry(args) -> dict:
    return _die_run(args, dry_run=True)


def phase_die(args) -> dict:
    return _die_run(args, dry_run=False)


PHASES = {
    "generate": phase_generate,
    "prepare": phase_prepare,
    "parse": phase_parse,
    "import": phase_import,
    "reimport": phase_reimport,
    "export": phase_export,
    "undo": phase_undo,
    "die_dry": phase_die_dry,
    "die": phase_die,
}


def child(args) -> None:
    settings = "bench.settings_bench" if args.child.startswith("die") else "tongxin.settings"
    setup_django(args.db_url, settings)
    result = PHASES[args.child](args)
    result["rss_peak"] = rss_mib()
    print("RESULT " + json.dumps(result, default=str), flush=True)


# --- the parent: databases and child processes ------------------------------------------------


class Postgres:
    """A throw-away cluster: initdb into a temp dir (as user postgres when run as root), or
    into ``work``, which is kept (and reused by the next start) for a bench that loads a large
    database once (bench/stats.py)."""

    def __init__(self, port: int = PG_PORT, work: Path | None = None):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        if not self.bin:
            raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
        self.bin = self.bin[-1]
        self.port = port
        self.admin_url = f"postgresql://tongxin@127.0.0.1:{port}/postgres"
        self.keep = work is not None
        if work is not None:
            work.mkdir(parents=True, exist_ok=True)
        self.work = work or Path(tempfile.mkdtemp(prefix="tongxin-bench-pg."))
        self.version = ""

    def _run(self, cmd: str) -> None:
        if os.getuid() == 0:
            subprocess.run(["su", "postgres", "-s", "/bin/bash", "-c", cmd], check=True)
        else:
            subprocess.run(["bash", "-c", cmd], check=True)

    def start(self) -> None:
        if os.getuid() == 0:
            shutil.chown(self.work, "postgres")
        data, log = self.work / "data", self.work / "log"
        if not (data / "PG_VERSION").exists():
            self._run(f"{self.bin}/initdb -D {data} -A trust -U tongxin -E UTF8 --locale=C.UTF-8 "
                      "--locale-provider=icu --icu-locale=zh-Hans-CN >/dev/null")  # fmt: skip
        import psycopg

        opts = shlex.quote(f"-h 127.0.0.1 -p {self.port} -k {self.work}")
        if not (self.keep and self._answers(psycopg)):
            self._run(f"{self.bin}/pg_ctl -D {data} -l {log} -w -o {opts} start >/dev/null")

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            self.version = conn.execute("SHOW server_version").fetchone()[0]

    def _answers(self, psycopg) -> bool:
        """A kept cluster may still run from an earlier start."""
        try:
            psycopg.connect(self.admin_url, connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def stop(self) -> None:
        try:
            self._run(f"{self.bin}/pg_ctl -D {self.work / 'data'} -m fast stop >/dev/null")
        finally:
            if not self.keep:
                shutil.rmtree(self.work, ignore_errors=True)

    def fresh(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://tongxin@127.0.0.1:{self.port}/{name}"


def fresh_sqlite(name: str) -> str:
    path = DATA / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def run_child(phase: str, rows: int, db: str, db_url: str, profile: bool = False) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", phase, "--rows", str(rows),
           "--db", db, "--db-url", db_url] + (["--profile"] if profile else [])  # fmt: skip
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"phase {phase} ({rows} rows, {db}) failed")
    line = next(x for x in reversed(proc.stdout.splitlines()) if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["wall"] = wall
    print(f"  {phase}: {json.dumps(result, ensure_ascii=False)}", flush=True)
    return result


def measure(rows: int, db: str, pg: Postgres | None, profile: bool, skip_die: bool) -> dict:
    def fresh(name):
        return pg.fresh(name) if db == "postgres" else fresh_sqlite(name)

    res: dict = {"rows": rows, "db": db, "load_before": os.getloadavg()[0]}
    url = fresh(f"import-{rows}")
    res["prepare"] = run_child("prepare", rows, db, url)
    res["parse"] = run_child("parse", rows, db, url)
    res["import"] = run_child("import", rows, db, url, profile)
    res["reimport"] = run_child("reimport", rows, db, url, profile)
    res["export"] = run_child("export", rows, db, url)
    res["load_after_import"] = os.getloadavg()[0]
    res["undo"] = run_child("undo", rows, db, url)
    if not skip_die:
        url = fresh(f"die-{rows}")
        run_child("prepare", rows, db, url)
        res["die_dry"] = run_child("die_dry", rows, db, url)
        res["die"] = run_child("die", rows, db, url)
    return res


def mib(x: float) -> str:
    return f"{x:,.0f}"


def report(results: list[dict], meta: dict) -> str:
    lines = [
        f"Code: {meta['code']}. django-import-export {meta['die_version']}, tablib "
        f"{meta['tablib_version']}; PostgreSQL {meta.get('pg_version') or '–'}; "
        f"SQLite {meta['sqlite_version']}. Workbook writer: {meta['writer']}.",
        "",
        "| rows | db | parse floor | check | write | check + write (÷ floor) "
        "| re-import check / write | export | undo check / undo "
        "| peak RSS import / re-import / export (MiB) | django-import-export: load + "
        "Person + spells = total | ours ÷ theirs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        imp, again, exp, undo = r["import"], r["reimport"], r["export"], r.get("undo")
        undo_cell = f"{undo['blockers']:.2f} / {undo['undo']:.2f} s" if undo else "–"
        ours = imp["check"] + imp["apply"]
        die = r.get("die")
        if die:
            theirs = die["load"] + die["person"] + die["spell"]
            die_cell = (f"{die['load']:.1f} + {die['person']:.1f} + {die['spell']:.1f} = "
                        f"**{theirs:.1f} s** (peak {mib(die['rss_peak'])} MiB)")  # fmt: skip
            ratio = f"{ours / theirs:.2f}×"
        else:
            die_cell = ratio = "–"
        lines.append(
            f"| {r['rows']:,} | {r['db']} | {r['parse']['parse']:.2f} s | {imp['check']:.2f} s "
            f"| {imp['apply']:.2f} s | **{ours:.2f} s** ({ours / r['parse']['parse']:.1f}×) "
            f"| {again['check']:.2f} / {again['apply']:.2f} s | {exp['export']:.2f} s "
            f"| {undo_cell} | {mib(imp['rss_peak'])} / "
            f"{mib(again['rss_peak'])} / {mib(exp['rss_peak'])} | {die_cell} | {ratio} |"
        )
    lines += [
        "",
        "CPU seconds (user + system; the PostgreSQL backend's own CPU after the +), and the "
        "1-minute load average before the run and after its import:",
        "",
        "| rows | db | parse floor CPU | check CPU | write CPU | check + write CPU (÷ floor CPU) "
        "| load before / after |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        imp, floor = r["import"], r["parse"].get("parse_cpu")
        if floor is None or "check_cpu" not in imp:
            continue
        ours = imp["check_cpu"] + imp["apply_cpu"]
        server = imp["check_server_cpu"] + imp["apply_server_cpu"]

        def cell(own, srv, pg=r["db"] == "postgres"):
            return f"{own:.2f}" + (f" + {srv:.2f}" if pg else "") + " s"

        lines.append(
            f"| {r['rows']:,} | {r['db']} | {floor:.2f} s "
            f"| {cell(imp['check_cpu'], imp['check_server_cpu'])} "
            f"| {cell(imp['apply_cpu'], imp['apply_server_cpu'])} "
            f"| **{cell(ours, server)}** ({(ours + server) / floor:.1f}×) "
            f"| {r.get('load_before', 0):.2f} / {r.get('load_after_import', 0):.2f} |"
        )
    dry = [r for r in results if r.get("die_dry")]
    if dry:
        lines += [
            "",
            "| rows | db | our check (dry run) | django-import-export dry run: load + Person "
            "| ours ÷ theirs |",
            "|---:|---|---:|---:|---:|",
        ]
        for r in dry:
            d = r["die_dry"]
            theirs = d["load"] + d["person"]
            lines.append(
                f"| {r['rows']:,} | {r['db']} | {r['import']['check']:.2f} s | "
                f"{d['load']:.1f} + {d['person']:.1f} = {theirs:.1f} s | "
                f"{r['import']['check'] / theirs:.2f}× |"
            )
    return "\n".join(lines)


def code_state() -> str:
    def git(*a):
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout

    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = [
        x[3:] for x in git("status", "--porcelain").splitlines() if not x[3:].startswith("bench/")
    ]
    return head + (f" + uncommitted changes to {', '.join(dirty)}" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, action="append", help="repeatable; default 10000 and 100000"
    )
    parser.add_argument("--db", choices=DATABASES, action="append", help="repeatable; default both")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile check and apply: bench/data/import-*.prof/.txt")  # fmt: skip
    parser.add_argument("--skip-die", action="store_true", help="leave out django-import-export")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the workbooks")
    parser.add_argument("--child", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    if args.child:
        args.rows, args.db = args.rows[0], args.db[0]
        return child(args)

    sizes, dbs = args.rows or list(SIZES), args.db or list(DATABASES)
    import sqlite3
    from importlib.metadata import version

    meta = {"code": code_state(), "die_version": version("django-import-export"),
            "tablib_version": version("tablib"), "sqlite_version": sqlite3.sqlite_version,
            "writer": "?"}  # fmt: skip
    for rows in sizes:
        if args.regenerate or not workbook_path(rows).exists():
            print(f"writing {workbook_path(rows)} …", flush=True)
            meta["writer"] = run_child("generate", rows, "sqlite", fresh_sqlite("generate"))[
                "writer"
            ]
        else:
            meta["writer"] = "tongxin.io.workbook.write_workbook (cached file; --regenerate)"
    pg = None
    results = []
    try:
        if "postgres" in dbs:
            pg = Postgres()
            pg.start()
            meta["pg_version"] = pg.version
        for rows in sizes:
            for db in dbs:
                print(f"{rows:,} rows on {db} …", flush=True)
                r = measure(rows, db, pg, args.profile, args.skip_die)
                results.append(r)
                (DATA / f"import-{rows}-{db}.results.json").write_text(
                    json.dumps({"meta": meta, **r}, indent=2, ensure_ascii=False)
                )
    finally:
        if pg is not None:
            pg.stop()
    print()
    print(report(results, meta))


if __name__ == "__main__":
    main()
