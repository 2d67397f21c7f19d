"""The registry workbook: an export imports back unchanged, a later file shows what is new,
deregistered and changed before anything is written, one bad row refuses the whole file, and
an import can be undone."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.coverage.helpers import make_district, make_new_org
from tests.factories import make_user
from tongxin.core.scope import Scope
from tongxin.coverage import export, registry, services
from tongxin.coverage.models import (
    MassKind,
    NewOrganization,
    PartyForm,
    RegistryImport,
    make_credit_code,
)
from tongxin.io import jobs
from tongxin.orgs.models import Organization

pytestmark = pytest.mark.django_db
ON = date(2025, 6, 30)
SCOPE = Scope(everything=True)


@pytest.fixture
def filled():
    root, east, west, communities = make_district()
    a = make_new_org(communities["TQ0101"], name="甲公司", industry="制造业", employees=120)
    services.party_form_set(new_org=a, form=PartyForm.JOINT, start=date(2021, 3, 1))
    services.mass_org_set(new_org=a, kind=MassKind.UNION, start=date(2021, 5, 1), on=ON)
    services.party_members_record(new_org=a, on=date(2024, 1, 1), count=4)
    b = make_new_org(communities["TQ0201"], name="乙协会", kind="social")
    return root, communities, a, b


def rows_of(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data))[registry.SHEET]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def workbook_of(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = registry.SHEET
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_export_imports_back_unchanged(filled):
    root, *_rest = filled
    before = {o.pk: registry.snapshot(o) for o in NewOrganization.objects.all()}
    data = export.workbook(scope=SCOPE, org=root, on=ON)
    result = registry.run(data=data, filename="名册.xlsx", scope=SCOPE, on=ON, write=True)
    assert result.ok, result.messages()
    assert [p["action"] for p in result.preview] == ["unchanged", "unchanged"]
    assert {o.pk: registry.snapshot(o) for o in NewOrganization.objects.all()} == before


def test_progress_hears_every_row_checked_then_written(filled):
    root, communities, a, b = filled
    rows = rows_of(export.workbook(scope=SCOPE, org=root, on=ON))
    header = rows[0]
    col = {name: header.index(name) for name in header}
    fresh = [None] * len(header)
    fresh[col["统一社会信用代码"]] = make_credit_code(998)
    fresh[col["名称"]] = "丁商贸"
    fresh[col["类型"]] = "企业"
    fresh[col["所在组织编码"]] = "TQ0102"
    data = workbook_of([*rows, fresh])
    heard = []

    def progress(phase, done, total):
        heard.append((phase, done, total))

    user = make_user("admin", superuser=True)
    checked = registry.check_file(
        data=data, filename="名册.xlsx", scope=SCOPE, on=ON, by=user, progress=progress
    )
    assert checked.status == RegistryImport.Status.CHECKED
    assert heard[0] == ("check", 0, 3) and heard[-1] == ("check", 3, 3)
    assert all(0 <= done <= total == 3 for _phase, done, total in heard)
    heard.clear()
    registry.import_file(
        data=data, filename="名册.xlsx", scope=SCOPE, on=ON, by=user, progress=progress
    )
    assert heard[0] == ("write", 0, 3) and heard[-1] == ("write", 3, 3)
    assert NewOrganization.objects.filter(name="丁商贸").exists()


def test_the_worker_writes_the_progress_it_makes(filled, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    root, *_rest = filled
    user = make_user("district", root)
    batch = RegistryImport.objects.create(
        created_by=user,
        file_name="名册.xlsx",
        content=export.workbook(scope=SCOPE, org=root, on=ON),
        effective_date=ON,
        status=RegistryImport.Status.UPLOADED,
    )
    heard = []
    real = jobs.write_progress

    def write_progress(batch_id, phase, done, total, kind="import"):
        real(batch_id, phase, done, total, kind)
        heard.append((kind, jobs.read_progress(batch_id, kind)))

    jobs.write_progress = write_progress
    try:
        assert jobs.run_pending() == 1
    finally:
        jobs.write_progress = real
    assert heard[-1] == ("coverage", {"phase": "check", "done": 2, "total": 2})
    # Named apart from the roster's batches, which are numbered from 1 too.
    assert jobs.read_progress(batch.pk) == {"phase": "", "done": 0, "total": 0}
    batch.refresh_from_db()
    assert batch.status == RegistryImport.Status.CHECKED and batch.unchanged == 2


def test_a_batch_whose_worker_died_is_handed_back(client, filled, tmp_path, settings):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    settings.VAR_DIR = tmp_path
    root, *_rest = filled
    user = make_user("district", root)
    batch = RegistryImport.objects.create(
        created_by=user,
        file_name="名册.xlsx",
        content=export.workbook(scope=SCOPE, org=root, on=ON),
        effective_date=ON,
        status=RegistryImport.Status.WRITING,
    )
    silent = settings.TONGXIN_IMPORT_STALE_SECONDS + 5
    RegistryImport.objects.filter(pk=batch.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=silent)
    )
    client.force_login(user)
    page = client.get(reverse("coverage:batch", args=[batch.pk])).content.decode()
    assert "写入中断" in page and "确认导入" in page
    batch.refresh_from_db()
    assert batch.status == RegistryImport.Status.CHECKED


def test_a_later_file_shows_new_deregistered_and_changed_before_writing(filled, tmp_path):
    root, communities, a, b = filled
    rows = rows_of(export.workbook(scope=SCOPE, org=root, on=ON))
    header = rows[0]
    col = {name: header.index(name) for name in header}
    by_name = {row[col["名称"]]: row for row in rows[1:]}
    by_name["甲公司"][col["党组织形式"]] = "单独组建"
    by_name["甲公司"][col["党组织建立日期"]] = "2025-05-01"
    by_name["甲公司"][col["党员人数"]] = 6
    by_name["乙协会"][col["注销日期"]] = "2025-04-01"
    fresh = [None] * len(header)
    fresh[col["统一社会信用代码"]] = make_credit_code(999)
    fresh[col["名称"]] = "丙科技"
    fresh[col["类型"]] = "企业"
    fresh[col["所在组织编码"]] = "TQ0102"
    data = workbook_of([header, *by_name.values(), fresh])
    path = tmp_path / "市场监管.xlsx"
    path.write_bytes(data)
    make_user("admin", superuser=True)

    out = io.StringIO()
    call_command("import_coverage", str(path), "--dry-run", f"--effective-date={ON}", stdout=out)
    text = out.getvalue()
    assert "变更：甲公司" in text and "联合组建（2021-03-01起） → 单独组建（2025-05-01起）" in text
    assert "党员人数：4 → 6" in text
    assert "注销：乙协会" in text and "新增：丙科技" in text
    # Nothing was written by the check.
    assert not NewOrganization.objects.filter(name="丙科技").exists()
    assert NewOrganization.objects.get(pk=b.pk).deregistered is None

    call_command("import_coverage", str(path), f"--effective-date={ON}", stdout=io.StringIO())
    assert NewOrganization.objects.filter(name="丙科技").exists()
    assert NewOrganization.objects.get(pk=b.pk).deregistered == date(2025, 4, 1)
    assert list(a.forms.order_by("start").values_list("form", flat=True)) == [
        PartyForm.JOINT,
        PartyForm.SINGLE,
    ]
    # The same file again changes nothing.
    out = io.StringIO()
    call_command("import_coverage", str(path), f"--effective-date={ON}", stdout=out)
    assert "新增 0 个，注销 0 个，变更 0 个，未变化 3 个" in out.getvalue()

    # Undo the first import: the file's changes go, the registry is as before.
    first, second = RegistryImport.objects.order_by("pk")
    assert registry.undo_blockers(second) == []
    registry.undo(batch=second, by=second.created_by)  # nothing to put back
    registry.undo(batch=first, by=first.created_by)
    assert not NewOrganization.objects.filter(name="丙科技").exists()
    assert NewOrganization.objects.get(pk=b.pk).deregistered is None
    assert list(a.forms.values_list("form", "end")) == [(PartyForm.JOINT, None)]


def test_one_bad_row_refuses_the_whole_file(filled, tmp_path):
    root, *_rest = filled
    rows = rows_of(export.workbook(scope=SCOPE, org=root, on=ON))
    header = rows[0]
    col = {name: header.index(name) for name in header}
    rows[1][col["名称"]] = "甲公司（改名）"
    code = rows[2][col["统一社会信用代码"]]
    rows[2][col["统一社会信用代码"]] = code[:-1] + ("0" if code[-1] != "0" else "1")
    rows[2][col["党组织形式"]] = "自己建"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_of(rows))
    make_user("admin", superuser=True)
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 处错误"):
        call_command("import_coverage", str(path), stdout=io.StringIO(), stderr=err)
    assert "第3行“统一社会信用代码”列" in err.getvalue() and "校验码" in err.getvalue()
    assert "“党组织形式”列：“自己建”不是可选的党组织形式" in err.getvalue()
    assert not NewOrganization.objects.filter(name="甲公司（改名）").exists()


def test_an_area_outside_the_scope_is_refused(filled):
    root, communities, a, b = filled
    east = Organization.objects.get(code="TQ01")
    rows = rows_of(export.workbook(scope=SCOPE, org=root, on=ON))
    user = make_user("east", east)
    result = registry.run(
        data=workbook_of(rows), filename="x.xlsx", scope=Scope.for_user(user), on=ON, write=False
    )
    assert [p["column"] for p in result.problems] == ["所在组织编码"]
    assert "不在您的管理范围内" in result.problems[0]["reason"]


def test_the_template_has_drop_downs():
    book = load_workbook(io.BytesIO(export.workbook()))
    sheet = book[registry.SHEET]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"单独组建,联合组建,党建工作指导员,无"' in lists
    assert '"企业,社会组织"' in lists


def test_the_web_import_checks_then_writes_then_undoes(client, filled, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.VAR_DIR = tmp_path
    root, communities, a, b = filled
    rows = rows_of(export.workbook(scope=SCOPE, org=root, on=ON))
    rows[1][rows[0].index("名称")] = "甲公司（更名）"
    client.force_login(make_user("district", root))
    assert client.get(reverse("coverage:registry") + f"?org={root.pk}").status_code == 200
    exported = client.get(reverse("coverage:export") + f"?org={root.pk}&as_of={ON}")
    assert (
        rows_of(exported.content)[1:] == rows_of(export.workbook(scope=SCOPE, org=root, on=ON))[1:]
    )
    upload = SimpleUploadedFile("名册.xlsx", workbook_of(rows))
    response = client.post(
        reverse("coverage:upload") + f"?org={root.pk}",
        {"file": upload, "effective_date": ON.isoformat()},
    )
    assert response.status_code == 302
    # The import worker checks it, as it does the roster: until then the page waits, polling.
    page = client.get(response.url).content.decode()
    assert "排队等待：0 / 0 行" in page and "hx-get" in page
    assert jobs.run_pending() == 1
    page = client.get(response.url).content.decode()
    assert "名称：甲公司 → 甲公司（更名）" in page and "确认导入" in page
    assert "已检查 2 行" in page and "hx-get" not in page
    assert not NewOrganization.objects.filter(name="甲公司（更名）").exists()
    batch = RegistryImport.objects.get()
    client.post(reverse("coverage:batch_confirm", args=[batch.pk]))
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "排队等待" in partial and "<html" not in partial
    assert not NewOrganization.objects.filter(name="甲公司（更名）").exists()
    assert jobs.run_pending() == 1
    assert NewOrganization.objects.filter(name="甲公司（更名）").exists()
    page = client.get(reverse("coverage:batch", args=[batch.pk])).content.decode()
    assert "已检查并写入 2 行（写入 1 个组织的变动）" in page
    # Confirmed twice: the second is refused, nothing is written again.
    client.post(reverse("coverage:batch_confirm", args=[batch.pk]))
    assert jobs.run_pending() == 0
    client.post(reverse("coverage:batch_undo", args=[batch.pk]))
    assert NewOrganization.objects.get(pk=a.pk).name == "甲公司"
    # Another user's batch does not exist for them.
    east = Organization.objects.get(code="TQ01")
    client.force_login(make_user("east", east))
    assert client.get(reverse("coverage:batch", args=[batch.pk])).status_code == 404


def test_the_web_import_refuses_an_old_excel_file_and_keeps_nothing(client, filled, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    root = filled[0]
    client.force_login(make_user("district", root))
    old = SimpleUploadedFile("名册.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    response = client.post(
        reverse("coverage:upload") + f"?org={root.pk}",
        {"file": old, "effective_date": ON.isoformat()},
    )
    assert response.status_code == 400
    assert (
        "「名册.xls」的类型不能作为两新组织名册上传：只接受 XLSX 文件；"
        "旧版 .xls 请在 Excel 中另存为 .xlsx"
    ) in response.content.decode()
    settings.TONGXIN_MAX_UPLOAD_MB = 0
    response = client.post(
        reverse("coverage:upload") + f"?org={root.pk}",
        {"file": SimpleUploadedFile("名册.xlsx", b"PK\x03\x04"), "effective_date": ON.isoformat()},
    )
    assert "「名册.xlsx」有 0.0 MB，超过每次导入 0 MB 的上限" in response.content.decode()
    assert not RegistryImport.objects.exists()
