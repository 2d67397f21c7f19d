"""A branch chair on a phone records the attendance of a meeting the workbench says is
missing: one tap marks the absentee, the sheet saves, and the hours reach the person file."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_roster_flow import log_in
from tests.factories import make_member, make_user
from tests.training.helpers import make_class
from tongxin.accounts.roles import Role
from tongxin.training import services
from tongxin.training.models import Attendance

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_branch_chair_records_attendance_on_a_phone(page, world):
    today = timezone.localdate()
    make_user("chair_a", world.branch_a, roles=(Role.BRANCH_CHAIR,))
    present = make_member(world.branch_a, name="张敏")
    absent = make_member(world.branch_a, name="周明")
    cls = make_class(
        world.branch_a, name="江城大学第一支部学习会", class_type="grassroots",
        start=today - timedelta(days=3), days=1, hours="4",
    )  # fmt: skip
    services.enrollment_add(
        training_class=cls, people=[present, absent], on=today - timedelta(days=10)
    )

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "chair_a")
    card = page.get_by_test_id("todo").filter(has_text="培训班未记考勤")
    expect(card).to_contain_text("1")
    card.click()
    page.get_by_role("link", name="江城大学第一支部学习会").click()
    page.get_by_test_id("take-attendance").click()

    rows = page.get_by_test_id("attendance-row")
    expect(rows).to_have_count(2)
    # Everyone is proposed present; one tap marks 周明 absent.
    expect(page.get_by_role("radio", name="出席").first).to_be_checked()
    page.get_by_test_id("attendance-row").filter(has_text="周明").get_by_text("缺席").click()
    page.get_by_test_id("save-attendance").click()

    expect(page.get_by_role("status")).to_contain_text("出席 1 人，共 2 人")
    expect(page.get_by_test_id("session-present")).to_have_text("出席 1 / 2")
    assert sorted(Attendance.objects.values_list("enrollment__person__name", "status")) == [
        ("周明", "absent"),
        ("张敏", "present"),
    ]

    # The meeting's hours are 张敏's now.
    page.get_by_role("link", name="张敏").click()
    expect(page.get_by_test_id("person-hours")).to_contain_text(str(cls.start.year))
    expect(page.get_by_test_id("person-hours")).to_contain_text("4")
    # ... and the workbench has nothing left to record.
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_test_id("todo").filter(has_text="培训班未记考勤")).to_have_count(0)
