"""Attendance from a workbook: the sheet downloaded for a class, filled in, uploaded — written
whole, or refused with every mistake named and nothing written."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_member
from tests.training.helpers import make_class
from tongxin.audit.models import Event
from tongxin.training import services
from tongxin.training.models import Attendance, ClassSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def cls(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    cls = make_class(world.city, name="骨干班", start=date(2024, 5, 6), days=2, hours="8")
    services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    return cls


def download(client, cls):
    response = client.get(reverse("training:attendance_workbook", args=[cls.pk]))
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def upload(client, cls, wb, name="考勤.xlsx"):
    out = BytesIO()
    wb.save(out)
    return client.post(
        reverse("training:attendance_upload", args=[cls.pk]),
        {"file": SimpleUploadedFile(name, out.getvalue())},
        follow=True,
    )


def test_the_downloaded_sheet_lists_students_and_meetings_with_choices(client, city_staff, cls):
    client.force_login(city_staff)
    ws = download(client, cls)["考勤"]
    rows = list(ws.values)
    assert rows[0] == ("学员编号", "姓名", "2024-05-06", "2024-05-07")
    assert [r[1] for r in rows[1:]] == ["甲一", "乙二"]
    [choices] = ws.data_validations.dataValidation
    assert choices.formula1 == '"出席,请假,缺席"'
    assert Event.objects.filter(kind="export", user=city_staff, rows=2).exists()


def test_a_filled_sheet_records_the_meetings_it_fills(client, city_staff, cls):
    client.force_login(city_staff)
    wb = download(client, cls)
    ws = wb["考勤"]
    ws["C2"], ws["C3"] = "出席", "请假"  # the first meeting; the second left blank
    response = upload(client, cls, wb)
    assert "已从工作簿导入 1 次课的考勤：出席 1 人次" in response.content.decode()
    first, second = ClassSession.objects.order_by("date")
    assert sorted(first.attendance.values_list("enrollment__person__name", "status")) == [
        ("乙二", "leave"),
        ("甲一", "present"),
    ]
    assert second.recorded_at is None and not second.attendance.exists()
    assert Event.objects.filter(kind="import", user=city_staff).exists()
    # The next download carries what was recorded.
    assert list(download(client, cls)["考勤"].values)[1][2] == "出席"


def test_every_mistake_is_named_and_nothing_is_written(client, city_staff, cls):
    client.force_login(city_staff)
    wb = download(client, cls)
    ws = wb["考勤"]
    ws["C2"] = "到"  # not a choice
    ws["D2"] = "出席"  # 乙二 left blank in the same meeting
    ws["B3"] = "乙三"  # name does not match
    ws["E1"] = "2024-05-09"  # no such meeting
    response = upload(client, cls, wb)
    page = response.content.decode()
    assert response.status_code == 400
    assert "第2行“2024-05-06”列：“到”不是出勤情况" in page
    assert "第3行：学员编号" in page and "与表中姓名“乙三”不符" in page
    assert "第1行第E列：“2024-05-09”不是本培训班的课次日期" in page
    assert "“2024-05-07”列：以下学员未填写出勤情况：乙二" in page
    assert not Attendance.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(client, city_staff, cls):
    client.force_login(city_staff)
    response = client.post(
        reverse("training:attendance_upload", args=[cls.pk]),
        {"file": SimpleUploadedFile("考勤.xlsx", b"not a workbook")},
    )
    assert "文件已损坏或不是 Excel 工作簿" in response.content.decode()
    response = client.post(
        reverse("training:attendance_upload", args=[cls.pk]),
        {"file": SimpleUploadedFile("考勤.csv", b"a,b")},
    )
    assert "「考勤.csv」的类型不能作为考勤表上传：只接受 XLSX 文件" in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_of_another_branch_get_404(client, world, staff_a, cls):
    client.force_login(staff_a)
    assert client.get(reverse("training:attendance_workbook", args=[cls.pk])).status_code == 404
    assert client.get(reverse("training:attendance_upload", args=[cls.pk])).status_code == 404
