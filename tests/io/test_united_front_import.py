"""Files of non-members through the roster workbook (ROSTER_TEMPLATE.md, united-front
deployments): 人员类别, 政治面貌, 任职日期; the same whole-file check, batch and undo, and an
export that imports back unchanged."""

import io
from datetime import date

import pytest

from tests.cadres.conftest import enter, make_pool
from tests.factories import make_member, make_org
from tests.io.helpers import member, workbook_bytes
from tests.io.test_import import EVERYTHING, ON, admin, run  # noqa: F401
from tongxin.cadres.models import EntrySource, PoolKind
from tongxin.cadres.nonparty_stats import non_party_section
from tongxin.core.figures import values
from tongxin.core.idnumber import make_id_number
from tongxin.io import export, importer
from tongxin.io.workbook import write_workbook
from tongxin.people.models import Affiliation, Person, Post

pytestmark = pytest.mark.django_db
SUN = make_id_number("110105", date(1980, 1, 1), 11)
LI = make_id_number("110105", date(1982, 3, 4), 22)
WANG = make_id_number("110105", date(1970, 1, 1), 13)


@pytest.fixture
def bureau(world):
    return make_org(world.city, code="C1-BJ", name="区教育局", kind="bureau")


def cadre_row(**cells):
    row = {
        "姓名": "孙正",
        "身份证号": SUN,
        "人员类别": "党外干部",
        "政治面貌": "无党派人士",
        "所在组织编码": "C1-BJ",
        "工作单位": "区教育局",
        "职务": "局长",
        "行政级别": "县处级正职",
        "任职日期": "2025-02-01",
    }
    row.update(cells)
    return row


def test_a_non_member_is_imported_as_a_file_with_a_dated_post(world, bureau, admin):  # noqa: F811
    li = make_member(
        world.branch_a, name="李双", id_number=LI, gender="2", birth_date=date(1982, 3, 4)
    )
    data = workbook_bytes(
        members=[
            cadre_row(),
            # A member of branch A whose file the bureau keeps too: one person, two links.
            {"姓名": "李双", "身份证号": LI, "人员类别": "党外干部",
             "所在组织编码": "C1-BJ"},
        ]
    )  # fmt: skip
    plan, batch = run(data, admin)
    assert plan.errors == [] and (batch.created, batch.updated) == (1, 1)
    sun = Person.objects.get(name="孙正")
    assert sun.political_status == "12" and sun.admitted_on is None
    assert not sun.spells.exists()
    (kept,) = Affiliation.objects.filter(person=sun)
    assert (kept.org, kept.kind, kept.start) == (bureau, "non_party_cadre", ON)
    (post,) = Post.objects.filter(person=sun)
    assert (post.rank, post.start, post.title) == ("131", date(2025, 2, 1), "局长")
    assert li.spells.filter(end__isnull=True).get().org == world.branch_a
    assert Affiliation.objects.filter(person=li, org=bureau).exists()

    # A pool entry, and the person is in each figure that concerns them; 李 counts once.
    pool = make_pool(world.city, name="党外后备干部", kind=PoolKind.NON_PARTY_RESERVE)
    enter(pool, sun, on=date(2025, 3, 2), source=EntrySource.UNIT, recommending_unit=bureau)
    got = values(
        non_party_section.compute(
            scope=EVERYTHING, org=world.city, as_of=date(2025, 12, 31),
            period_start=date(2025, 1, 1),
        )
    )  # fmt: skip
    assert got["files"] == 2
    assert got["leaders"]["县处级"] == got["principal"]["县处级"] == 1
    assert got["appointed"]["县处级"] == 1
    assert got["entered"] == got["entered_by_unit_kind"]["部委办局"] == 1
    assert got["recommending_units"] == 1

    # The same file again changes nothing.
    again = importer.check(data=data, filename="名册.xlsx", scope=EVERYTHING, effective_date=ON)
    assert again.errors == [] and (again.created, again.updated) == (0, 0)


def test_undo_removes_the_file_and_the_person_it_created(world, bureau, admin):  # noqa: F811
    _plan, batch = run(workbook_bytes(members=[cadre_row()]), admin)
    assert Affiliation.objects.count() == 1
    importer.undo(batch=batch, by=admin)
    assert not Person.objects.filter(name="孙正").exists()
    assert not Affiliation.objects.exists() and not Post.objects.exists()


def test_a_member_without_admission_date_is_an_error_naming_the_row(world, bureau, admin):  # noqa: F811
    data = workbook_bytes(
        members=[member("周明", "C1-A", 入会日期=None), cadre_row(人员类别="党外人士")]
    )
    plan, batch = run(data, admin)
    assert batch is None and not Person.objects.exists()
    found = {(e["row"], e["column"], e["reason"].split("，")[0]) for e in plan.errors}
    assert (2, "入会日期", "“入会日期”必须填写（成员）") in found
    assert any(e["column"] == "人员类别" and "党外人士" in e["value"] for e in plan.errors)


def test_the_export_writes_non_members_back_and_imports_unchanged(world, bureau, admin):  # noqa: F811
    make_member(world.branch_a, name="王一", id_number=WANG, birth_date=date(1970, 1, 1))
    run(workbook_bytes(members=[cadre_row()]), admin)
    orgs = list(export.organization_rows(scope=EVERYTHING, org=world.city, on=ON))
    rows = list(export.member_rows(scope=EVERYTHING, org=world.city, on=ON))
    by_name = {r["name"]: r for r in rows}
    assert by_name["王一"]["person_kind"] == "member"
    sun = by_name["孙正"]
    assert (sun["person_kind"], sun["org_code"], sun["political_status"]) == (
        "non_party_cadre", "C1-BJ", "12",
    )  # fmt: skip
    assert (sun["admin_rank"], sun["post_start"]) == ("131", date(2025, 2, 1))
    pool = make_pool(world.city, name="党外干部库", kind=PoolKind.NON_PARTY)
    sun_person = Person.objects.get(name="孙正")
    enter(pool, sun_person, on=ON, source=EntrySource.UNIT, recommending_unit=bureau)
    extra = export.extra_sheets(scope=EVERYTHING, org=world.city, on=ON)
    out = io.BytesIO()
    write_workbook(out, iter(orgs), iter(rows), extra=extra)
    plan = importer.check(
        data=out.getvalue(), filename="导出.xlsx", scope=EVERYTHING, effective_date=ON
    )
    assert plan.errors == []
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 2)
    # The sheet 入库名单 was written back, and its entry is already there.
    (entries,) = [items for sheet, items in plan.extra if sheet.name == "入库名单"]
    assert entries == []
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(out.getvalue()))["入库名单"]
    assert [c.value for c in sheet[2]][:3] == [SUN, "孙正", "党外干部库"]


def with_entries(data: bytes, rows: list[dict]) -> bytes:
    """``data`` with a sheet 入库名单 of ``rows`` (dicts keyed by header)."""
    from openpyxl import load_workbook

    from tongxin.cadres.roster_sheet import COLUMNS, SHEET

    wb = load_workbook(io.BytesIO(data))
    ws = wb.create_sheet(SHEET)
    headers = [c.header for c in COLUMNS]
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_entry_sheet_enters_people_in_pools_with_their_unit(world, bureau, admin):  # noqa: F811
    pool = make_pool(world.city, name="党外后备干部库", kind=PoolKind.NON_PARTY_RESERVE)
    from tongxin.cadres import services
    from tongxin.cadres.models import PoolLevel, RankGroup

    services.pool_level_save(level=PoolLevel(pool=pool, rank_group=RankGroup.DIVISION))
    data = with_entries(
        workbook_bytes(members=[cadre_row()]),
        [{"身份证号": SUN, "人才库": "党外后备干部", "层级": "县处级", "入库日期": "2025-03-05",
          "推荐单位编码": "C1-BJ"}],
    )  # fmt: skip
    plan, batch = run(data, admin)
    assert plan.errors == []
    (entry,) = pool.entries.all()
    assert (entry.person.name, entry.start, entry.recommending_unit) == (
        "孙正",
        date(2025, 3, 5),
        bureau,
    )
    assert entry.level.rank_group == RankGroup.DIVISION
    # Again: nothing new. Undone: the entry goes with the person.
    again = importer.check(data=data, filename="名册.xlsx", scope=EVERYTHING, effective_date=ON)
    assert again.errors == [] and again.extra[0][1] == []
    importer.undo(batch=batch, by=admin)
    assert not pool.entries.exists() and not Person.objects.filter(name="孙正").exists()


def test_a_bad_entry_row_rejects_the_whole_file_naming_the_cell(world, bureau, admin):  # noqa: F811
    make_pool(world.city, name="党外后备干部库", kind=PoolKind.NON_PARTY_RESERVE)
    data = with_entries(
        workbook_bytes(members=[cadre_row()]),
        [
            {"身份证号": SUN, "人才库": "不存在的库", "入库日期": "2025-03-05"},
            # Before the file's own link starts (the import's date): not in the pool's reach.
            {"身份证号": SUN, "人才库": "党外后备干部", "入库日期": "2025-01-05"},
            {"姓名": "无名氏", "人才库": "党外后备干部", "入库日期": "2025-03-05",
             "推荐单位编码": "C2-A"},
        ],
    )  # fmt: skip
    plan, batch = run(data, admin)
    assert batch is None and not Person.objects.exists()
    found = {(e["sheet"], e["row"], e["column"]) for e in plan.errors}
    assert {("入库名单", 2, "人才库"), ("入库名单", 3, "入库日期"), ("入库名单", 4, "姓名"),
            ("入库名单", 4, "推荐单位编码")} <= found  # fmt: skip
    assert all(e["reason"] for e in plan.errors)


def test_a_full_pool_is_named_at_the_row_that_overfills_it(world, bureau, admin):  # noqa: F811
    make_pool(world.city, name="党外后备干部库", kind=PoolKind.NON_PARTY_RESERVE, capacity=1)
    second = make_id_number("110105", date(1981, 1, 1), 13)
    data = with_entries(
        workbook_bytes(members=[cadre_row(), cadre_row(姓名="周全", 身份证号=second)]),
        [
            {"身份证号": SUN, "人才库": "党外后备干部库", "入库日期": "2025-03-05"},
            {"身份证号": second, "人才库": "党外后备干部库", "入库日期": "2025-03-05"},
        ],
    )
    plan, batch = run(data, admin)
    assert batch is None and not Person.objects.exists()
    (found,) = plan.errors
    assert (found["sheet"], found["row"], found["column"]) == ("入库名单", 3, "人才库")
    assert "名额已满（1 人" in found["reason"]
