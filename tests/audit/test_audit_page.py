"""The audit page: the audit administrator alone reads, filters and exports the log."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.audit.helpers import person_edit_data
from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.audit.models import Event
from tongxin.audit.services import Kind, record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(db):
    return make_user("auditor", roles=(Role.AUDIT_ADMIN,))


@pytest.mark.parametrize(
    "roles", [(Role.STAFF,), (Role.SYSTEM_ADMIN,), (Role.SECURITY_ADMIN,)], ids=str
)
def test_only_the_audit_administrator_gets_the_page(client, world, roles):
    client.force_login(make_user("someone", world.city, roles=roles))
    assert client.get(reverse("audit:index")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert reverse("audit:index") not in client.get(reverse("workbench")).content.decode()


def test_the_audit_administrator_gets_the_page_and_its_menu_item(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "系统管理" in body and 'href="/audit/"' in body and "审计日志" in body


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_auditor_finds_a_login_an_edit_with_old_and_new_values_and_an_export(
    client, world, auditor
):
    staff = make_user("city_staff", world.city)
    person = make_member(world.branch_a, name="李新", work_unit="江城一中")
    login = {"username": "city_staff", "password": "correct-horse-9"}
    assert client.post(reverse("login"), login).status_code == 302  # the real login page
    data = person_edit_data(person, work_unit="江城师范学院", education="14")
    assert client.post(reverse("people:edit", args=[person.pk]), data).status_code == 302
    b"".join(client.get(reverse("io:export"), {"org": world.branch_a.pk}).streaming_content)
    client.logout()

    client.force_login(auditor)
    body = client.get(reverse("audit:index"), {"user": "city_staff"}).content.decode()
    assert "用户 city_staff 登录" in body
    assert "人员：李新" in body
    assert "工作单位：</span><del>江城一中</del> → 江城师范学院" in body
    assert "导出成员名册：江城大学第一支部（C1-A）" in body

    edits = client.get(reverse("audit:index"), {"kind": "update", "q": "李新"})
    rows = edits.context["page"].object_list
    assert [r.target for r in rows] == ["人员：李新"]
    assert ("工作单位", "江城一中", "江城师范学院") in rows[0].changes
    assert rows[0].username == "city_staff" and staff.username == "city_staff"

    exports = client.get(reverse("audit:index"), {"kind": "export"}).context["page"]
    assert [r.rows for r in exports.object_list] == [1]


def test_the_list_is_newest_first_and_paginated_with_filters_kept(client, auditor, settings):
    settings.TONGXIN_AUDIT_PAGE_SIZE = 2
    for n in range(5):
        record_event(Kind.LOGIN_FAILED, username=f"guess{n}", summary=f"失败 {n}")
    client.force_login(auditor)
    page = client.get(reverse("audit:index"), {"kind": "login_failed"}).context["page"]
    assert page.paginator.count == 5
    assert [r.summary for r in page.object_list] == ["失败 4", "失败 3"]
    response = client.get(reverse("audit:index"), {"kind": "login_failed", "page": 3})
    assert [r.summary for r in response.context["page"].object_list] == ["失败 0"]
    assert "kind=login_failed&amp;page=2" in response.content.decode()


def test_the_free_text_finds_chinese_in_the_detail(client, auditor):
    record_event(Kind.REVEAL, username="x", summary="查看", detail={"人员": "欧阳修"})
    record_event(Kind.REVEAL, username="x", summary="查看", detail={"人员": "王安石"})
    client.force_login(auditor)
    page = client.get(reverse("audit:index"), {"q": "欧阳"}).context["page"]
    assert page.paginator.count == 1


def test_dates_filter_the_list_and_a_bad_date_is_explained(client, auditor):
    event = record_event(Kind.LOGIN, user=auditor)
    client.force_login(auditor)
    today = event.time.astimezone().date().isoformat()
    page = client.get(reverse("audit:index"), {"start": today, "end": today}).context["page"]
    assert page.paginator.count >= 1
    page = client.get(reverse("audit:index"), {"start": "2001-01-01", "end": "2001-01-02"})
    assert page.context["page"].paginator.count == 0
    response = client.get(reverse("audit:index"), {"start": "2024-13-01", "end": "2024-01-01"})
    body = response.content.decode()
    assert response.status_code == 200 and "起始日期：日期格式应为 YYYY-MM-DD" in body
    response = client.get(reverse("audit:index"), {"start": "2024-02-01", "end": "2024-01-01"})
    assert "截止日期早于起始日期" in response.content.decode()


def test_the_export_writes_the_filtered_entries_and_is_itself_recorded(client, world, auditor):
    make_member(world.branch_a, name="李新")
    for n in range(3):
        record_event(Kind.LOGIN_FAILED, username="guess", summary=f"失败 {n}")
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"kind": "login_failed"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "用户", "类型", "对象", "内容")
    assert [r[4] for r in rows[1:]] == ["失败 2", "失败 1", "失败 0"]
    event = Event.objects.get(kind=Kind.EXPORT)
    assert (event.user, event.rows) == (auditor, 3)
    assert event.detail["筛选"]["类型"] == "登录失败"
    assert "导出审计日志 3 条（类型：登录失败）" == event.summary

    response = client.get(reverse("audit:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))[1:]
    assert any(r[2] == "新增" and r[3] == "人员：李新" for r in rows)
    assert Event.objects.filter(kind=Kind.EXPORT).latest("pk").rows == len(rows)
