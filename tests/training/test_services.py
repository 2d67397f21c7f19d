"""Classes, meetings, enrolment, attendance and completion: what staff record, and what is
refused (in Chinese, changing nothing)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_member
from tests.training.helpers import attend_all, make_class
from tongxin.orgs.services import org_dissolve
from tongxin.training import services
from tongxin.training.models import (
    Attendance,
    ClassSession,
    Enrollment,
    EnrollmentStatus,
    TrainingClass,
)

pytestmark = pytest.mark.django_db


def test_a_class_gets_one_meeting_a_day_sharing_its_hours(world):
    cls = make_class(world.city, start=date(2024, 5, 6), days=3, hours="20")
    assert list(cls.sessions.values_list("date", "hours")) == [
        (date(2024, 5, 6), Decimal("6.5")),
        (date(2024, 5, 7), Decimal("6.5")),
        (date(2024, 5, 8), Decimal("7.0")),
    ]


def test_a_class_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError, match="结业日期不能早于开班日期"):
        services.class_create(
            training_class=TrainingClass(
                name="x",
                org=world.city,
                class_type="other",
                level="own",
                start=date(2024, 5, 6),
                end=date(2024, 5, 1),
                hours=Decimal("8"),
            )
        )
    assert not TrainingClass.objects.exists()


def test_a_dissolved_organization_holds_no_class(world):
    org_dissolve(org=world.branch_b, on=date(2023, 1, 1))
    world.branch_b.refresh_from_db()
    with pytest.raises(ValidationError, match="已于 2023-01-01 撤销"):
        make_class(world.branch_b, start=date(2024, 5, 6))
    assert not TrainingClass.objects.exists()


def test_a_meeting_outside_the_class_dates_is_refused(world):
    cls = make_class(world.city, start=date(2024, 5, 6), days=2, daily_sessions=False)
    with pytest.raises(ValidationError, match="上课日期须在培训日期内"):
        services.session_save(
            session=ClassSession(training_class=cls, date=date(2024, 5, 9), hours=Decimal("4"))
        )
    assert not cls.sessions.exists()


def test_moving_class_dates_away_from_its_meetings_is_refused(world):
    cls = make_class(world.city, start=date(2024, 5, 6), days=3)
    cls.end = date(2024, 5, 7)
    with pytest.raises(ValidationError, match="2024-05-08 的课次不在新的培训日期内"):
        services.class_update(training_class=cls)
    assert TrainingClass.objects.get().end == date(2024, 5, 8)


def test_enrolling_someone_twice_is_refused_by_name(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_a, name="乙二")
    cls = make_class(world.city)
    services.enrollment_add(training_class=cls, people=[a], on=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="已在学员名单中：甲一"):
        services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    assert list(cls.enrollments.values_list("person__name", flat=True)) == ["甲一"]


def test_the_attendance_sheet_records_each_enrolled_person(world, city_staff):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    cls = make_class(world.city, start=date(2024, 5, 6))
    ea, eb = services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    session = cls.sessions.first()
    present = services.attendance_record(
        session=session,
        marks={ea.pk: "present", eb.pk: "leave"},
        by=city_staff,
        on=date(2024, 5, 6),
    )
    assert present == 1
    session.refresh_from_db()
    assert session.recorded_by == city_staff and session.recorded_at is not None
    # Recorded again, the sheet replaces its marks instead of adding rows.
    services.attendance_record(
        session=session,
        marks={ea.pk: "present", eb.pk: "present"},
        by=city_staff,
        on=date(2024, 5, 6),
    )
    assert sorted(session.attendance.values_list("enrollment__person__name", "status")) == [
        ("乙二", "present"),
        ("甲一", "present"),
    ]


def test_an_incomplete_or_future_sheet_is_refused_and_changes_nothing(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_a, name="乙二")
    cls = make_class(world.city, start=date(2024, 5, 6))
    ea, _eb = services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    session = cls.sessions.first()
    with pytest.raises(ValidationError, match="以下学员未选择出勤情况：乙二"):
        services.attendance_record(
            session=session, marks={ea.pk: "present"}, by=None, on=date(2024, 5, 6)
        )
    with pytest.raises(ValidationError, match="还未到"):
        services.attendance_record(
            session=session, marks={ea.pk: "present"}, by=None, on=date(2024, 5, 5)
        )
    other = make_class(world.city, name="另一个班")
    [stranger] = services.enrollment_add(training_class=other, people=[a], on=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="不属于本培训班"):
        services.attendance_record(
            session=session, marks={stranger.pk: "present"}, by=None, on=date(2024, 5, 6)
        )
    assert not Attendance.objects.exists()
    session.refresh_from_db()
    assert session.recorded_at is None


def test_a_withdrawn_person_may_be_left_off_the_sheet(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_a, name="乙二")
    cls = make_class(world.city, start=date(2024, 5, 6))
    ea, eb = services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    services.completion_record(
        training_class=cls, outcomes={eb.pk: ("withdrew", "")}, on=date(2024, 5, 6)
    )
    services.attendance_record(
        session=cls.sessions.first(), marks={ea.pk: "present"}, by=None, on=date(2024, 5, 6)
    )
    assert Attendance.objects.count() == 1


def test_completion_is_dated_the_last_day_and_waits_for_the_end(world):
    a = make_member(world.branch_a, name="甲一")
    cls = make_class(world.city, start=date(2024, 5, 6), days=3)
    [ea] = services.enrollment_add(training_class=cls, people=[a], on=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="结束前不能登记结业"):
        services.completion_record(
            training_class=cls, outcomes={ea.pk: ("completed", "passed")}, on=date(2024, 5, 7)
        )
    with pytest.raises(ValidationError, match="只有已结业的学员才有考核结果"):
        services.completion_record(
            training_class=cls,
            outcomes={ea.pk: ("not_completed", "failed")},
            on=date(2024, 5, 9),
        )
    assert Enrollment.objects.get().status == EnrollmentStatus.ENROLLED
    services.completion_record(
        training_class=cls, outcomes={ea.pk: ("completed", "excellent")}, on=date(2024, 5, 9)
    )
    ea.refresh_from_db()
    assert (ea.status, ea.result, ea.completed_on) == ("completed", "excellent", date(2024, 5, 8))


def test_someone_who_came_is_not_removed_but_withdraws(world):
    a = make_member(world.branch_a, name="甲一")
    cls = make_class(world.city, start=date(2024, 5, 6))
    [ea] = services.enrollment_add(training_class=cls, people=[a], on=date(2024, 5, 1))
    attend_all(cls)
    with pytest.raises(ValidationError, match="中途退出"):
        services.enrollment_remove(enrollment=ea)
    assert Enrollment.objects.count() == 1


def test_a_class_with_students_or_a_recorded_meeting_keeps_them(world):
    a = make_member(world.branch_a)
    cls = make_class(world.city, start=date(2024, 5, 6))
    services.enrollment_add(training_class=cls, people=[a], on=date(2024, 5, 1))
    attend_all(cls)
    with pytest.raises(ValidationError, match="已有学员"):
        services.class_delete(training_class=cls)
    with pytest.raises(ValidationError, match="已记录考勤"):
        services.session_delete(session=cls.sessions.first())
    assert cls.sessions.count() == 3


def test_daily_meetings_are_refused_for_a_long_class_or_too_few_hours(world):
    with pytest.raises(ValidationError, match="超过 31 天不自动生成课次"):
        make_class(world.city, start=date(2024, 3, 1), days=40, hours="200")
    with pytest.raises(ValidationError, match="3 天至少 1.5 学时"):
        make_class(world.city, start=date(2024, 3, 1), days=3, hours="1")
    assert not TrainingClass.objects.exists()
    # Without daily meetings a term-long class is fine: its meetings are added one by one.
    make_class(world.city, start=date(2024, 3, 1), days=40, hours="200", daily_sessions=False)
    assert not ClassSession.objects.exists()
