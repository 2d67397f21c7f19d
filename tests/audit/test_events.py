"""Audit events: logins, failed logins, logouts, exports and imports, each with who and what."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import make_member
from tests.io.test_import_pages import imported
from tongxin.audit.models import Event
from tongxin.audit.services import Kind, record_event
from tongxin.io import jobs

pytestmark = pytest.mark.django_db


def test_a_login_and_a_logout_are_recorded_with_user_and_address(client, city_staff):
    response = client.post(
        reverse("login"),
        {"username": "city_staff", "password": "correct-horse-9"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    login = Event.objects.get(kind=Kind.LOGIN)
    assert (login.user, login.username, login.ip, login.path) == (
        city_staff,
        "city_staff",
        "10.1.2.3",
        "/login/",
    )
    assert login.summary == "用户 city_staff 登录"
    client.post(reverse("logout"))
    assert Event.objects.get(kind=Kind.LOGOUT).user == city_staff


def test_a_failed_login_records_the_attempted_username(client, city_staff):
    client.post(reverse("login"), {"username": "city_staff", "password": "wrong"})
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    failed = Event.objects.filter(kind=Kind.LOGIN_FAILED).order_by("pk")
    assert [(e.username, e.user) for e in failed] == [("city_staff", None), ("nobody", None)]
    assert "wrong" not in str([e.detail for e in failed])
    assert failed[1].summary == "以用户名“nobody”登录失败"


def test_record_event_takes_the_user_and_address_from_the_request(city_staff):
    request = RequestFactory().get("/people/1/?reveal=id", REMOTE_ADDR="192.168.0.9")
    request.user = city_staff
    event = record_event(
        "reveal", request=request, summary="查看完整身份证号：李新", detail={"人员": 1}
    )
    event.refresh_from_db()
    assert (event.user, event.ip, event.path, event.kind) == (
        city_staff,
        "192.168.0.9",
        "/people/1/?reveal=id",
        "reveal",
    )
    assert event.get_kind_display() == "查看完整信息"
    with pytest.raises(ValueError, match="未知的审计事件类型"):
        record_event("coffee")


def test_an_event_can_be_neither_changed_nor_deleted(city_staff):
    event = record_event(Kind.LOGIN, user=city_staff)
    event.summary = "改过"
    with pytest.raises(PermissionError, match="不能修改"):
        event.save()
    with pytest.raises(PermissionError, match="不能删除"):
        event.delete()
    assert Event.objects.get(pk=event.pk).summary == ""


def test_a_roster_export_records_who_what_filter_and_the_row_count(client, world, city_staff):
    for name in ("李新", "王芳", "赵敏"):
        make_member(world.branch_a, name=name)
    make_member(world.branch_b, name="周明")
    client.force_login(city_staff)
    response = client.get(reverse("io:export"), {"org": world.branch_a.pk, "as_of": "2024-06-30"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = Event.objects.get(kind=Kind.EXPORT)
    assert (event.user, event.rows) == (city_staff, 3)
    assert event.detail == {
        "对象": "成员名册",
        "组织编码": "C1-A",
        "组织名称": "江城大学第一支部",
        "在册日期": "2024-06-30",
        "个人信息": "标准：身份证号、手机号、电子邮箱脱敏",
        "遮蔽": True,
    }
    assert "标准" in event.summary
    assert event.path.startswith("/io/export/?org=")


def test_the_export_command_records_an_event_without_user(world, tmp_path):
    make_member(world.branch_a, name="李新")
    make_member(world.other_branch, name="周明", start=date(2016, 1, 1))
    call_command("export_roster", "--org", "C1", "-o", str(tmp_path / "out.xlsx"))
    event = Event.objects.get(kind=Kind.EXPORT)
    assert (event.user, event.username, event.rows, event.ip) == (None, "", 1, None)
    assert event.summary.startswith("命令行导出成员名册：民盟江城市委员会（C1）")
    assert event.detail["遮蔽"] is False


def test_the_template_download_is_not_an_export(client, world, city_staff):
    client.force_login(city_staff)
    client.get(reverse("io:template"))
    assert not Event.objects.filter(kind=Kind.EXPORT).exists()


def test_import_confirm_and_undo_are_recorded_with_batch_and_counts(
    client, world, city_staff, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    batch = imported(client, city_staff)
    event = Event.objects.get(kind=Kind.IMPORT)
    assert (event.user, event.rows) == (city_staff, 1)
    assert event.detail["批次"] == batch.pk and event.detail["文件名"] == "名册.xlsx"
    assert event.detail["新增人员"] == 1
    client.post(reverse("io:undo", args=[batch.pk]))
    jobs.run_pending()
    undo = Event.objects.get(kind=Kind.IMPORT_UNDO)
    assert undo.user == city_staff and undo.detail["批次"] == batch.pk
    assert f"撤销导入：批次 {batch.pk}" in undo.summary


def test_a_failed_login_storm_is_recorded_with_the_lockout(client, world):
    from tests.factories import make_user

    make_user("target", world.city)
    for _ in range(5):
        client.post(reverse("login"), {"username": "target", "password": "wrong-Horse-1"})
    response = client.post(reverse("login"), {"username": "target", "password": "correct-horse-9"})
    assert response.status_code == 429
    failed = Event.objects.filter(kind=Kind.LOGIN_FAILED, username="target")
    assert failed.count() >= 5
    assert Event.objects.filter(kind=Kind.LOCKOUT, username="target").exists()
    assert not Event.objects.filter(kind=Kind.LOGIN, username="target").exists()
