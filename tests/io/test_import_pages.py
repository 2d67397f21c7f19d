"""The import pages: upload → check report → confirm → progress → done → undo, in scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_user
from tests.io.helpers import member, workbook_bytes
from tongxin.io import jobs
from tongxin.io.models import ImportBatch
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db


def upload(client, data, name="名册.xlsx"):
    return client.post(
        reverse("io:upload"),
        {
            "file": SimpleUploadedFile(name, data),
            "effective_date": "2025-03-01",
        },
    )


def imported(client, user) -> ImportBatch:
    """A one-member workbook uploaded, checked, confirmed and written by ``user``."""
    client.force_login(user)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    client.post(reverse("io:confirm", args=[batch.pk]))
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    return batch


def test_upload_check_confirm_write_and_undo(client, world, city_staff, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(city_staff)
    response = upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("io:batch", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "排队等待" in page and 'hx-trigger="every 1s"' in page
    assert jobs.run_pending() == 1
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "检查通过" in page and "将新增 <strong>1</strong> 人" in page
    assert not Person.objects.exists()
    client.post(reverse("io:confirm", args=[batch.pk]))
    jobs.run_pending()
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "已导入：新增 1 人" in page
    assert reverse("io:undo_status", args=[batch.pk]) in page  # loaded after the page
    assert jobs.read_progress(batch.pk) == {"phase": "write", "done": 1, "total": 1}
    undo_area = client.get(reverse("io:undo_status", args=[batch.pk])).content.decode()
    assert "撤销此次导入" in undo_area and reverse("io:undo", args=[batch.pk]) in undo_area
    client.post(reverse("io:undo", args=[batch.pk]))
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "撤销已提交" in page and 'hx-trigger="every 1s"' in page  # the worker undoes it
    assert Person.objects.exists()
    assert jobs.run_pending() == 1
    assert not Person.objects.exists()
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "已撤销" in page and "数据已恢复到导入之前" in page


def test_a_refused_file_lists_its_errors_and_writes_nothing(
    client, world, city_staff, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(city_staff)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A", 身份证号="360426199101010072")]))
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "未导入任何数据" in page and "校验位" in page and "360426199101010072" in page
    assert client.post(reverse("io:confirm", args=[batch.pk])).status_code == 302
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED


def test_a_file_that_is_not_a_workbook_is_refused_at_upload(client, world, city_staff):
    client.force_login(city_staff)
    response = upload(client, b"%PDF-1.4", name="名册.pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert "「名册.pdf」的类型不能作为名册文件上传：只接受 XLSX 或 CSV 文件" in page
    assert not ImportBatch.objects.exists()


def test_another_users_batch_is_not_found(client, world, city_staff):
    client.force_login(city_staff)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")]))
    batch = ImportBatch.objects.get()
    client.force_login(make_user("staff_a", world.branch_a))
    for name in ("io:batch", "io:confirm", "io:undo"):
        assert client.post(reverse(name, args=[batch.pk])).status_code == 404
    assert client.get(reverse("io:undo_status", args=[batch.pk])).status_code == 404


def test_a_branch_chair_may_not_import(client, world, chair_a):
    client.force_login(chair_a)
    for name in ("io:index", "io:template", "io:upload"):
        assert client.get(reverse(name)).status_code == 403
    response = upload(client, workbook_bytes(members=[member("张敏", "C1-A")]))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_the_template_downloads_as_a_workbook(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("io:template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_the_export_is_limited_to_the_scope(client, world, chair_a):
    client.force_login(chair_a)
    assert client.get(reverse("io:export"), {"org": world.branch_b.pk}).status_code == 404
    response = client.get(reverse("io:export"), {"org": world.branch_a.pk})
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"


def _exported_members(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["成员名册"]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]


def test_the_export_masks_id_numbers_and_phones_unless_asked_by_a_user_who_may_see_them(
    client, world, chair_a, django_user_model
):
    from tests.factories import make_member

    person = make_member(world.branch_a, name="张敏", phone="13812345678")
    masked = person.id_number[0] + "*" * 16 + person.id_number[-1]
    client.force_login(chair_a)
    [row] = _exported_members(client.get(reverse("io:export"), {"org": world.branch_a.pk}))
    assert (row["身份证号"], row["手机"]) == (masked, "138****5678")
    # A user without the permission cannot ask for the full numbers.
    response = client.get(reverse("io:export"), {"org": world.branch_a.pk, "profile": "full"})
    assert response.status_code == 400
    assert "个人信息" in response.content.decode()
    admin = make_user("root", superuser=True)
    client.force_login(admin)
    [row] = _exported_members(client.get(reverse("io:export"), {"org": world.branch_a.pk}))
    assert row["身份证号"] == masked
    full = client.get(reverse("io:export"), {"org": world.branch_a.pk, "profile": "full"})
    [row] = _exported_members(full)
    assert (row["身份证号"], row["手机"]) == (person.id_number, "13812345678")


def test_the_public_notice_export_leaves_out_id_numbers_phones_emails_and_birth_dates(
    client, world, chair_a
):
    from tests.factories import make_member

    person = make_member(
        world.branch_a, name="张敏", phone="13812345678", email="zhangmin@example.com"
    )
    client.force_login(chair_a)
    response = client.get(reverse("io:export"), {"org": world.branch_a.pk, "profile": "public"})
    [row] = _exported_members(response)
    assert row["姓名"] == "张敏"
    assert not {"身份证号", "手机", "电子邮箱", "出生日期"} & set(row)
    assert not any(
        str(v)
        in (
            person.id_number,
            "13812345678",
            "zhangmin@example.com",
            "1975-06-01",
            "1975-06-01 00:00:00",
        )
        for v in row.values()
    )


def test_a_user_of_another_subtree_cannot_import_into_it(client, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    other = make_user("other", world.other_city)
    client.force_login(other)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors[0]["reason"] == "该组织不在您的管理范围内"


def test_the_undo_area_says_why_a_batch_can_no_longer_be_undone(
    client, world, city_staff, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    batch = imported(client, city_staff)
    person = Person.objects.get(name="张敏")
    person.work_unit = "后来改的"
    person.save()  # as the person form does
    area = client.get(reverse("io:undo_status", args=[batch.pk])).content.decode()
    assert "此批次已不能整体撤销" in area and "张敏" in area and "撤销此次导入" not in area


def test_an_undo_the_worker_refuses_leaves_the_import_and_says_why(
    client, world, city_staff, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    batch = imported(client, city_staff)
    client.post(reverse("io:undo", args=[batch.pk]))
    person = Person.objects.get(name="张敏")
    person.work_unit = "撤销排队时改的"
    person.save()
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.undone_by is None
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "不能撤销" in page and "在导入后又被修改过" in page
    assert Person.objects.filter(name="张敏").exists()
    # A second request while one waits is refused at once.
    client.post(reverse("io:undo", args=[batch.pk]))
    response = client.post(reverse("io:undo", args=[batch.pk]), follow=True)
    assert "不能撤销" in response.content.decode()


def test_a_write_that_crashes_fails_the_batch_and_writes_nothing(
    client, world, city_staff, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    client.force_login(city_staff)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    client.post(reverse("io:confirm", args=[batch.pk]))

    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs.importer, "apply", crash)
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert (
        batch.message == "导入程序出错，未写入任何数据：程序内部错误，已记入日志，请联系系统管理员"
    )
    assert not Person.objects.exists()


def test_an_undo_that_crashes_leaves_the_import_standing(
    client, world, city_staff, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    batch = imported(client, city_staff)
    client.post(reverse("io:undo", args=[batch.pk]))

    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs.importer, "undo", crash)
    jobs.run_pending()
    batch.refresh_from_db()
    assert (batch.status, batch.undone_by) == (ImportBatch.Status.DONE, None)
    assert batch.message == "撤销时程序出错，数据未改变：程序内部错误，已记入日志，请联系系统管理员"
    assert Person.objects.filter(name="张敏").exists()
    assert "撤销时程序出错" in client.get(reverse("io:batch", args=[batch.pk])).content.decode()


def test_an_import_is_not_written_once_the_uploader_lost_the_right_to_change(
    client, world, city_staff
):
    from tongxin.accounts.roles import Role
    from tongxin.accounts.services import grant_roles

    client.force_login(city_staff)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")]))
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKED
    client.post(reverse("io:confirm", args=[batch.pk]))
    grant_roles(city_staff, [Role.READER])  # between the confirmation and the worker
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert "没有录入和修改的权限" in batch.message
    assert not Person.objects.exists()


def test_a_write_that_meets_a_locked_database_says_so_in_chinese(
    client, world, city_staff, settings, tmp_path, monkeypatch
):
    from django.db import OperationalError

    settings.VAR_DIR = tmp_path
    client.force_login(city_staff)
    upload(client, workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False))
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    client.post(reverse("io:confirm", args=[batch.pk]))

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(jobs.importer, "apply", locked)
    jobs.run_pending()
    page = client.get(reverse("io:batch", args=[batch.pk])).content.decode()
    assert "数据库暂时无法读写" in page
    assert "OperationalError" not in page and "locked" not in page
    assert not Person.objects.exists()
