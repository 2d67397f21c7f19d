"""Importing roster workbooks: whole-file checks, updates not duplicates, transfers, undo."""

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import make_member
from tests.io.helpers import member, workbook_bytes
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.io.models import BatchChange, ImportBatch
from tongxin.orgs.models import Organization, OrganizationKind
from tongxin.people.models import MembershipSpell, Person, Post
from tongxin.people.services import affiliation_start

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)
ON = date(2025, 3, 1)


def run(data, user, *, scope=EVERYTHING, on=ON, name="名册.xlsx"):
    plan = importer.check(data=data, filename=name, scope=scope, effective_date=on)
    if plan.errors:
        return plan, None
    batch = ImportBatch.objects.create(
        created_by=user, file_name=name, file_hash="x", content=data, effective_date=on
    )
    importer.apply(batch=batch, plan=plan)
    return plan, batch


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


def hand_filled():
    return workbook_bytes(
        orgs=[
            {
                "组织编码": "C1-N",
                "组织名称": "江城法律支部",
                "上级组织编码": "C1",
                "组织类型": "支部",
                "组织类别": "直属支部、界别支部",
                "成立日期": "2010/3/1",
            }
        ],
        members=[
            member(
                "张敏",
                "C1-A",
                身份证号="11010519491231002X",
                学历="硕士",
                学位="硕士",
                专业技术职务="副教授",
                工作单位="江城大学",
                界别="教育",
                会内职务="支部主委",
            ),
            member(
                "周明",
                "C1-N",
                性别="男",
                出生日期=date(1970, 2, 3),
                学历="本科",
                行政级别="县处级副职",
                职务="副区长",
                在职状态="在职",
                手机="13812345678",
            ),
            member(
                "王芳",
                "C1-B",
                身份证号="120103198806018241",
                入会日期="2019年7月1日",
                民族="回",
                是否中共党员="是",
            ),
        ],
    )


def test_a_hand_filled_workbook_imports(world, admin):
    plan, batch = run(hand_filled(), admin)
    assert plan.errors == []
    assert (batch.created, batch.updated, batch.unchanged, batch.orgs_created) == (3, 0, 0, 1)
    zhang = Person.objects.get(name="张敏")
    assert (zhang.gender, zhang.birth_date, zhang.education, zhang.title_level) == (
        "2",
        date(1949, 12, 31),
        "14",
        "2",
    )
    assert zhang.name_initials == "zm"
    assert zhang.spells.get().org == world.branch_a
    assert zhang.posts.get().title == "支部主委"
    zhou = Person.objects.get(name="周明")
    assert zhou.spells.get().org.name == "江城法律支部"
    assert zhou.posts.get(kind="government").rank == "132"
    new_branch = Organization.objects.get(code="C1-N")
    assert Organization.objects.get_parent(new_branch) == world.city
    assert sorted(new_branch.categories.values_list("name", flat=True)) == ["界别支部", "直属支部"]
    wang = Person.objects.get(name="王芳")
    assert wang.ethnicity == "03" and wang.is_cross_member and wang.admitted_on == date(2019, 7, 1)


def test_the_same_workbook_twice_changes_nothing_the_second_time(world, admin):
    run(hand_filled(), admin)
    before = (Person.objects.count(), MembershipSpell.objects.count(), Post.objects.count())
    plan, batch = run(hand_filled(), admin)
    assert (batch.created, batch.updated, batch.unchanged, batch.orgs_created) == (0, 0, 3, 0)
    assert (Person.objects.count(), MembershipSpell.objects.count(), Post.objects.count()) == before


def test_a_person_without_id_number_or_birth_date_is_found_by_name_and_branch(world, admin):
    data = workbook_bytes(members=[member("赵刚", "C1-A")], org_sheet=False)
    run(data, admin)
    _plan, batch = run(data, admin)
    assert (batch.created, batch.unchanged) == (0, 1)
    assert Person.objects.filter(name="赵刚").count() == 1


def test_a_changed_organization_code_is_a_dated_transfer(world, admin):
    person = make_member(world.branch_a, name="李华", start=date(2010, 1, 1))
    data = workbook_bytes(
        members=[
            member(
                "李华",
                "C1-B",
                身份证号=person.id_number,
                出生日期=person.birth_date,
                性别="男",
                入会日期=date(2010, 1, 1),
            )
        ]
    )
    plan, batch = run(data, admin)
    assert batch.transferred == 1
    old, new = person.spells.order_by("start")
    assert (old.org, old.end, old.end_reason) == (world.branch_a, ON, "transferred_out")
    assert (new.org, new.start, new.start_reason) == (world.branch_b, ON, "transferred_in")


def test_a_workbook_with_mistakes_is_refused_whole_with_every_mistake_listed(world, admin):
    data = workbook_bytes(
        members=[
            member("张敏", "C1-A", 身份证号="360426199101010072"),
            member("", "C1-A"),
            member("周明", "NOPE", 学位="硕土"),
            member("王芳", "C1-B"),
        ]
    )
    plan, batch = run(data, admin)
    assert batch is None and not Person.objects.exists()
    found = {(e["row"], e["column"]) for e in plan.errors}
    assert {(2, "身份证号"), (3, "姓名"), (4, "学位"), (4, "所在组织编码")} <= found
    reasons = " ".join(e["reason"] for e in plan.errors)
    assert "校验位" in reasons and "硕土" in " ".join(str(e["value"]) for e in plan.errors)


def test_members_outside_the_users_scope_are_refused(world, chair_a):
    data = workbook_bytes(members=[member("吴军", "C1-B")], org_sheet=False)
    plan = importer.check(
        data=data, filename="x.xlsx", scope=Scope.for_user(chair_a), effective_date=ON
    )
    assert [e["reason"] for e in plan.errors] == ["该组织不在您的管理范围内"]


def test_an_import_is_undone_as_a_whole(world, admin):
    person = make_member(world.branch_a, name="李华", start=date(2010, 1, 1), work_unit="旧单位")
    data = workbook_bytes(
        members=[
            member(
                "李华",
                "C1-B",
                身份证号=person.id_number,
                工作单位="新单位",
                入会日期=date(2010, 1, 1),
            ),
            member("赵刚", "C1-A"),
        ]
    )
    _plan, batch = run(data, admin)
    assert Person.objects.count() == 2
    importer.undo(batch=batch, by=admin)
    person.refresh_from_db()
    assert person.work_unit == "旧单位"
    assert list(Person.objects.values_list("name", flat=True)) == ["李华"]
    spell = person.spells.get()
    assert (spell.org, spell.end) == (world.branch_a, None)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE


def test_an_import_cannot_be_undone_after_a_later_change(world, admin):
    _plan, batch = run(workbook_bytes(members=[member("赵刚", "C1-A")]), admin)
    person = Person.objects.get(name="赵刚")
    person.work_unit = "后来改的"
    person.save()
    with pytest.raises(importer.UndoRefused, match="导入后又被修改过"):
        importer.undo(batch=batch, by=admin)
    assert Person.objects.filter(name="赵刚").exists()


def test_an_import_cannot_be_undone_after_a_later_import_touched_its_people(world, admin):
    _plan, first = run(workbook_bytes(members=[member("赵刚", "C1-A")]), admin)
    number = Person.objects.get(name="赵刚").id_number
    run(workbook_bytes(members=[member("赵刚", "C1-A", 身份证号=number, 工作单位="新单位")]), admin)
    first.refresh_from_db()
    (reason,) = importer.undo_blockers(first)
    assert reason == f"人员#{Person.objects.get().pk}（赵刚）在导入后又被修改过"


def test_an_import_cannot_be_undone_after_its_spell_was_ended_or_its_person_deleted(world, admin):
    _plan, batch = run(
        workbook_bytes(members=[member("赵刚", "C1-A"), member("钱敏", "C1-B")]), admin
    )
    MembershipSpell.objects.filter(person__name="赵刚").update(
        end=date(2025, 6, 1), end_reason="withdrew"
    )
    Person.objects.filter(name="钱敏").delete()  # with her spell
    reasons = importer.undo_blockers(batch)
    assert any("成员关系" in r and "导入后又被修改过" in r for r in reasons)
    assert sum("已被删除" in r for r in reasons) == 2  # 钱敏 and her spell
    assert importer.undo_blockers(batch, limit=2) == reasons[:2]
    with pytest.raises(importer.UndoRefused):
        importer.undo(batch=batch, by=admin)
    assert Person.objects.filter(name="赵刚").exists()


def test_an_export_imports_back_unchanged(world, admin, tmp_path):
    make_member(
        world.branch_a,
        name="张敏",
        gender="2",
        education="14",
        title="副教授",
        title_level="2",
        work_unit="江城大学",
        sector="education",
        phone="13912345678",
        email="zhangmin@example.com",
    )
    retired = make_member(world.branch_g1, name="周明", is_retired=True, upper_middle=True)
    Post.objects.create(
        person=retired, kind="government", title="处长", rank="131", start=date(2010, 1, 1)
    )
    Post.objects.create(
        person=retired, kind="party", title="支部主委", org=world.branch_g1, start=date(2020, 1, 1)
    )
    out = tmp_path / "export.xlsx"
    call_command("export_roster", "--org", "C1", "-o", str(out), stdout=open("/dev/null", "w"))
    plan = importer.check(
        data=out.read_bytes(), filename="export.xlsx", scope=EVERYTHING, effective_date=date.today()
    )
    assert plan.errors == []
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 2)
    assert (plan.orgs_created, plan.orgs_updated) == (0, 0)


def test_the_command_exports_a_public_notice_without_personal_numbers(world, tmp_path):
    from openpyxl import load_workbook

    person = make_member(world.branch_a, name="张敏", phone="13912345678")
    out = tmp_path / "public.xlsx"
    call_command(
        "export_roster", "--org", "C1", "--profile", "public", "-o", str(out), stdout=io.StringIO()
    )
    sheet = load_workbook(out)["成员名册"]
    headers = [c.value for c in sheet[1]]
    assert "姓名" in headers and not {"身份证号", "手机", "出生日期"} & set(headers)
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert person.id_number not in cells and "13912345678" not in cells
    guide = load_workbook(out)["填写说明"]
    assert "公示" in guide["A2"].value


def test_the_command_lists_every_error_and_exits_non_zero(world, admin, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        workbook_bytes(
            members=[member("张敏", "NOPE"), member("周明", "C1-A", 入会日期="2015-02-30")]
        )
    )
    with pytest.raises(CommandError, match="发现 2 处错误"):
        call_command("import_roster", str(path))
    err = capsys.readouterr().err
    assert "“成员名册”工作表第2行“所在组织编码”列" in err and "第3行“入会日期”列" in err
    assert not Person.objects.exists()


def test_the_command_dry_run_writes_nothing(world, admin, tmp_path, capsys):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(hand_filled())
    call_command("import_roster", str(path), "--dry-run")
    assert "新增 3 人" in capsys.readouterr().out
    assert not Person.objects.exists()
    call_command("import_roster", str(path))
    assert Person.objects.count() == 3


def test_a_finished_batch_keeps_its_file_and_records_its_outcome(world, admin):
    data = workbook_bytes(members=[member("赵刚", "C1-A"), member("钱敏", "C1-B")])
    _plan, batch = run(data, admin)
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert bytes(stored.content) == data
    assert stored.status == ImportBatch.Status.DONE and stored.finished_at is not None
    assert (stored.created, stored.updated, stored.unchanged) == (2, 0, 0)
    assert stored.changes.filter(model="people.person").count() == 2


def test_deleting_a_batch_deletes_its_change_records(world, admin):
    _plan, batch = run(workbook_bytes(members=[member("赵刚", "C1-A")]), admin)
    assert batch.changes.exists()
    batch.delete()
    assert not BatchChange.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ANALYZE after a bulk load is for PostgreSQL's planner",
)
def test_a_large_import_brings_the_planner_statistics_up_to_date(world, admin, monkeypatch):
    monkeypatch.setattr(importer.write, "ANALYZE_AFTER", 2)
    run(workbook_bytes(members=[member("赵刚", "C1-A"), member("钱敏", "C1-B")]), admin)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('people_person', 'people_membershipspell', 'people_post', 'io_batchchange')"
        )
        estimates = dict(cursor.fetchall())
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'people_person'")
        with_statistics = {row[0] for row in cursor.fetchall()}
    # reltuples is -1 until a table is first analyzed; ANALYZE counts the rows it sees.
    assert estimates["people_person"] == 2 and estimates["people_membershipspell"] == 2
    # One undo record per new person, which also stands for the spell created with them.
    assert estimates["io_batchchange"] == 2 and estimates["people_post"] >= 0
    # The columns the roster filters on have statistics; free text waits for autovacuum.
    assert {"gender", "birth_date", "education", "name_pinyin"} <= with_statistics
    assert "note" not in with_statistics


def test_an_organization_listed_under_a_new_parent_and_categories_is_moved_and_undone(world, admin):
    row = {"组织编码": "C1-B", "组织名称": "医药卫生支部", "上级组织编码": "C1-G",
           "组织类型": "支部", "组织类别": "界别支部"}  # fmt: skip
    unchanged = {"组织编码": "C1-A", "组织名称": "江城大学第一支部", "上级组织编码": "C1",
                 "组织类型": "支部"}  # fmt: skip
    plan, batch = run(workbook_bytes(orgs=[row, unchanged]), admin)
    assert plan.errors == []
    assert (plan.orgs_created, plan.orgs_updated) == (0, 1)
    moved = Organization.objects.get(code="C1-B")
    assert Organization.objects.get_parent(moved).code == "C1-G"
    assert list(moved.categories.values_list("name", flat=True)) == ["界别支部"]
    importer.undo(batch=batch, by=admin)
    moved.refresh_from_db()
    assert Organization.objects.get_parent(moved).code == "C1"
    assert not moved.categories.exists()


def test_an_import_cannot_be_undone_once_a_person_it_created_has_a_later_record(world, admin):
    # Undoing would delete the person and, with them, the post added after the import.
    _plan, batch = run(
        workbook_bytes(members=[member("赵刚", "C1-A"), member("钱敏", "C1-B")]), admin
    )
    person = Person.objects.get(name="赵刚")
    Post.objects.create(person=person, kind="party", title="支部主委", org=world.branch_a,
                        start=date(2025, 5, 1))  # fmt: skip
    assert importer.undo_blockers(batch) == [
        f"人员#{person.pk}（赵刚）在导入后又有了新的职务与安排记录"
    ]
    with pytest.raises(importer.UndoRefused):
        importer.undo(batch=batch, by=admin)
    assert Post.objects.filter(person=person, title="支部主委").exists()


def with_posts_members():
    return [
        member("赵刚", "C1-A", 会内职务="支部主委、宣传委员", 行政级别="县处级副职"),
        member("钱敏", "C1-B", 身份证号="120103198806018241"),
    ]


def with_posts():
    return workbook_bytes(members=with_posts_members())


def test_a_new_persons_one_undo_record_covers_their_spell_and_posts_and_undo_removes_them(
    world, admin
):
    _plan, batch = run(with_posts(), admin)
    zhao = Person.objects.get(name="赵刚")
    assert zhao.posts.count() == 3 and zhao.spells.count() == 1
    # One record per person created (not one per spell and post), and nothing else.
    assert list(batch.changes.values_list("model", "object_id").order_by("pk")) == [
        ("people.person", pk) for pk in Person.objects.order_by("pk").values_list("pk", flat=True)
    ]
    assert importer.undo_blockers(batch) == []
    importer.undo(batch=batch, by=admin)
    assert not (
        Person.objects.exists() or MembershipSpell.objects.exists() or Post.objects.exists()
    )


def test_an_import_cannot_be_undone_after_a_post_it_created_was_changed_or_deleted(world, admin):
    _plan, batch = run(with_posts(), admin)
    zhao = Person.objects.get(name="赵刚")
    ended, deleted = zhao.posts.filter(kind="party").order_by("pk")
    Post.objects.filter(pk=ended.pk).update(end=date(2025, 6, 1))
    Post.objects.filter(pk=deleted.pk).delete()
    assert sorted(importer.undo_blockers(batch)) == sorted(
        [
            f"职务与安排#{ended.pk}（赵刚 · 支部主委）在导入后又被修改过",
            f"职务与安排#{deleted.pk} 已被删除",
        ]
    )
    with pytest.raises(importer.UndoRefused):
        importer.undo(batch=batch, by=admin)
    assert zhao.posts.count() == 2


def test_an_import_cannot_be_undone_after_a_later_import_moved_a_person_it_created(world, admin):
    _plan, first = run(with_posts(), admin)
    qian = Person.objects.get(name="钱敏")
    spell = qian.spells.get()
    # The later file names her by ID number in another branch: a dated transfer.
    moved = member("钱敏", "C1-A", 身份证号=qian.id_number)
    _plan, later = run(workbook_bytes(members=[moved]), admin)
    assert later.transferred == 1
    first.refresh_from_db()
    spell.refresh_from_db()  # ended by the transfer
    assert importer.undo_blockers(first) == [
        f"成员关系#{spell.pk}（{spell}）在导入后又被修改过",
        f"人员#{qian.pk}（钱敏）在导入后又有了新的成员关系记录",
    ]


def test_a_batch_recorded_one_record_per_spell_and_post_still_undoes(world, admin):
    # Batches written before the person's record covered its spell and posts keep a record of
    # their own for each: they are read and undone as they were.
    _plan, batch = run(with_posts(), admin)
    for change in batch.changes.all():
        covered = change.after.pop("with")
        change.save()
        for label, rows in covered.items():
            for object_id, start, end in rows:
                BatchChange.objects.create(
                    batch=batch, model=label, object_id=object_id, action="created",
                    after={"start": start, "end": end},
                )  # fmt: skip
    assert batch.changes.count() == 2 + 2 + 3
    assert importer.undo_blockers(batch) == []
    importer.undo(batch=batch, by=admin)
    assert not (
        Person.objects.exists() or MembershipSpell.objects.exists() or Post.objects.exists()
    )


def test_an_import_cannot_be_undone_once_a_person_it_created_has_an_affiliation(world, admin):
    # Any record that refers to a person the import created stops the undo, whichever app
    # keeps it: here the 管理关系 of people.services.
    _plan, batch = run(with_posts(), admin)
    qian = Person.objects.get(name="钱敏")
    affiliation_start(person=qian, org=world.branch_b, kind="talent", on=date(2025, 5, 1))
    assert importer.undo_blockers(batch) == [
        f"人员#{qian.pk}（钱敏）在导入后又有了新的管理关系记录"
    ]
    with pytest.raises(importer.UndoRefused):
        importer.undo(batch=batch, by=admin)
    assert qian.affiliations.exists()


def test_undoing_an_import_does_not_log_each_record_it_created_one_by_one(world, admin):
    # Their creation was not logged one by one either: the batch holds them, and the undo
    # is an audit event of its own. Restored values are logged like any other change.
    person = make_member(world.branch_a, name="李华", start=date(2010, 1, 1), work_unit="旧单位")
    data = workbook_bytes(
        members=[
            member("李华", "C1-A", 身份证号=person.id_number, 工作单位="新单位",
                   入会日期=date(2010, 1, 1)),
            *with_posts_members(),
        ]
    )  # fmt: skip
    _plan, batch = run(data, admin)
    logged = LogEntry.objects.count()
    importer.undo(batch=batch, by=admin)
    assert list(Person.objects.all()) == [person]
    new = LogEntry.objects.order_by("pk")[logged:]
    assert [(e.content_type.model, e.object_pk, e.action) for e in new] == [
        ("person", str(person.pk), LogEntry.Action.UPDATE)
    ]


def test_imported_phones_and_emails_are_stored_encrypted_and_read_back(world, admin):
    data = workbook_bytes(
        members=[member("张敏", "C1-A", 手机="13912345678", 电子邮箱="zhangmin@example.com")]
    )
    plan, batch = run(data, admin)
    assert plan.errors == []
    person = Person.objects.get(name="张敏")
    assert (person.phone, person.email) == ("13912345678", "zhangmin@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM people_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("v1:") for value in stored), stored
    assert "13912345678" not in "".join(stored) and "example.com" not in "".join(stored)


def district_orgs(kind):
    return workbook_bytes(
        orgs=[
            {
                "组织编码": "C1-S",
                "组织名称": "东区街道党工委",
                "上级组织编码": "C1",
                "组织类型": kind,
            }
        ]  # fmt: skip
    )


def test_a_street_committee_is_imported_with_its_kind(world, admin):
    plan, _batch = run(district_orgs("街道党工委"), admin)
    assert plan.errors == []
    assert Organization.objects.get(code="C1-S").kind == "street_committee"


def test_an_unknown_kind_is_refused_naming_the_kinds_of_the_table(world, admin):
    OrganizationKind.objects.create(code="area_committee", name="片区党委", order=200)
    plan, _batch = run(district_orgs("片区党工委"), admin)
    (error,) = plan.errors
    assert (error["row"], error["column"]) == (2, "组织类型")
    assert "支部、小组、部门、街道党工委" in error["reason"]
    assert error["reason"].endswith("单位、片区党委")
    assert not Organization.objects.filter(code="C1-S").exists()
    plan, _batch = run(district_orgs("片区党委"), admin)
    assert plan.errors == []
    assert Organization.objects.get(code="C1-S").kind == "area_committee"
