"""Writes over training: each one transaction, keyword-only, refusing bad input in Chinese."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    Enrollment,
    EnrollmentStatus,
    ExternalTraining,
    TrainingClass,
)

# A class of more days than this gets no meeting a day made for it: it is a term, not a course.
MAX_DAILY_SESSIONS = 31


def _check_org(training_class: TrainingClass) -> None:
    org = training_class.org
    if org.dissolved and org.dissolved <= training_class.start:
        raise ValidationError(
            {"org": f"「{org}」已于 {org.dissolved:%Y-%m-%d} 撤销，不能在此之后举办培训班"}
        )


def _daily_hours(total: Decimal, days: int) -> list[Decimal]:
    """``total`` hours over ``days`` meetings, in half hours, the remainder on the last day."""
    each = (total / days / Decimal("0.5")).quantize(Decimal("1"), ROUND_DOWN) * Decimal("0.5")
    each = max(each, Decimal("0.5"))
    hours = [each] * days
    hours[-1] = max(total - each * (days - 1), Decimal("0.5"))
    return hours


@transaction.atomic
def class_create(*, training_class: TrainingClass, daily_sessions: bool = False) -> TrainingClass:
    """Record a class; with ``daily_sessions``, one meeting a day from start to end sharing the
    planned hours (the usual short course), so that attendance can be taken at once."""
    training_class.full_clean()
    _check_org(training_class)
    days = (training_class.end - training_class.start).days + 1
    if daily_sessions:
        if days > MAX_DAILY_SESSIONS:
            raise ValidationError(
                f"培训班共 {days} 天，超过 {MAX_DAILY_SESSIONS} 天不自动生成课次，请逐次添加"
            )
        if training_class.hours < Decimal("0.5") * days:
            raise ValidationError(
                {"hours": f"计划学时不足以每天安排一次课（{days} 天至少 {days * 0.5:g} 学时）"}
            )
    training_class.save()
    if daily_sessions:
        ClassSession.objects.bulk_create(
            ClassSession(
                training_class=training_class,
                date=training_class.start + timedelta(days=i),
                hours=hours,
            )
            for i, hours in enumerate(_daily_hours(training_class.hours, days))
        )
    return training_class


@transaction.atomic
def class_update(*, training_class: TrainingClass) -> TrainingClass:
    training_class.full_clean()
    _check_org(training_class)
    outside = training_class.sessions.exclude(
        date__gte=training_class.start, date__lte=training_class.end
    ).first()
    if outside is not None:
        raise ValidationError(
            f"{outside.date:%Y-%m-%d} 的课次不在新的培训日期内，请先修改或删除该课次"
        )
    training_class.save()
    return training_class


@transaction.atomic
def class_delete(*, training_class: TrainingClass) -> None:
    if training_class.enrollments.exists():
        raise ValidationError("培训班已有学员，不能删除；请先移除学员")
    training_class.delete()


@transaction.atomic
def session_save(*, session: ClassSession) -> ClassSession:
    session.full_clean()
    cls = session.training_class
    if not cls.start <= session.date <= cls.end:
        raise ValidationError(
            {"date": f"上课日期须在培训日期内（{cls.start:%Y-%m-%d} 至 {cls.end:%Y-%m-%d}）"}
        )
    session.save()
    return session


@transaction.atomic
def session_delete(*, session: ClassSession) -> None:
    if session.recorded_at is not None:
        raise ValidationError(f"{session.date:%Y-%m-%d} 的课次已记录考勤，不能删除")
    session.delete()


@transaction.atomic
def enrollment_add(*, training_class: TrainingClass, people, on: date) -> list[Enrollment]:
    """Enrol ``people`` (already checked to be candidates in the user's scope) in the class;
    people already enrolled are refused by name, and nobody is enrolled then."""
    people = list(people)
    if not people:
        raise ValidationError("请至少选择一名学员")
    already = set(
        training_class.enrollments.filter(person__in=people).values_list("person__name", flat=True)
    )
    if already:
        raise ValidationError(f"已在学员名单中：{'、'.join(sorted(already))}")
    enrollments = [
        Enrollment(training_class=training_class, person=person, enrolled_on=on)
        for person in people
    ]
    for enrollment in enrollments:
        enrollment.full_clean()
        enrollment.save()
    return enrollments


@transaction.atomic
def enrollment_remove(*, enrollment: Enrollment) -> None:
    """Take a person off the list, as long as nothing was recorded for them: a person who came
    to a meeting leaves with 中途退出 instead, so that their hours stay."""
    if enrollment.attendance.filter(status=AttendanceStatus.PRESENT).exists():
        raise ValidationError(
            f"{enrollment.person.name} 已有出勤记录，不能移除；请将结业情况登记为「中途退出」"
        )
    if enrollment.status == EnrollmentStatus.COMPLETED:
        raise ValidationError(f"{enrollment.person.name} 已结业，不能移除")
    enrollment.delete()


@transaction.atomic
def attendance_record(*, session: ClassSession, marks: dict[int, str], by, on: date) -> int:
    """Record who came to ``session``: ``marks`` maps each enrolment of the class (those who
    withdrew before the meeting may be left out) to an ``AttendanceStatus``. The whole sheet is
    written at once; a sheet recorded again replaces the earlier marks. Returns the number
    present."""
    if session.date > on:
        raise ValidationError(f"课次日期 {session.date:%Y-%m-%d} 还未到，不能记录考勤")
    enrollments = {e.pk: e for e in session.training_class.enrollments.select_related("person")}
    if not enrollments:
        raise ValidationError("培训班还没有学员，请先添加学员再记录考勤")
    unknown = set(marks) - set(enrollments)
    if unknown:
        raise ValidationError("考勤表中有不属于本培训班的学员，请刷新页面后重新记录")
    bad = [
        enrollments[pk].person.name for pk, s in marks.items() if s not in AttendanceStatus.values
    ]
    if bad:
        raise ValidationError(f"以下学员的出勤情况无效：{'、'.join(bad)}")
    unmarked = [
        e.person.name
        for pk, e in enrollments.items()
        if pk not in marks and e.status != EnrollmentStatus.WITHDREW
    ]
    if unmarked:
        raise ValidationError(f"以下学员未选择出勤情况：{'、'.join(unmarked)}")
    existing = {a.enrollment_id: a for a in session.attendance.all()}
    for pk, status in marks.items():
        row = existing.get(pk)
        if row is None:
            # With its session and enrolment at hand, the audit log names the row without
            # reading them again.
            Attendance.objects.create(session=session, enrollment=enrollments[pk], status=status)
        elif row.status != status:
            row.enrollment = enrollments[pk]
            row.status = status
            row.save(update_fields=["status"])
    session.recorded_at = timezone.now()
    session.recorded_by = by
    session.save(update_fields=["recorded_at", "recorded_by"])
    return sum(1 for s in marks.values() if s == AttendanceStatus.PRESENT)


@transaction.atomic
def attendance_import(*, marks_by_session: dict[ClassSession, dict[int, str]], by, on: date) -> int:
    """Record several meetings' sheets at once (a workbook): all of them or none. Returns the
    number present over all of them."""
    return sum(
        attendance_record(session=session, marks=marks, by=by, on=on)
        for session, marks in marks_by_session.items()
    )


@transaction.atomic
def completion_record(
    *, training_class: TrainingClass, outcomes: dict[int, tuple[str, str]], on: date
) -> int:
    """Record completion (结业) for the enrolments named in ``outcomes``: enrolment id →
    (status, result). 已结业 is dated the class's last day; a class not yet over can only
    record 中途退出. Returns the number completed."""
    enrollments = {e.pk: e for e in training_class.enrollments.select_related("person")}
    unknown = set(outcomes) - set(enrollments)
    if unknown:
        raise ValidationError("结业登记中有不属于本培训班的学员，请刷新页面后重新登记")
    over = training_class.end <= on
    problems = []
    for pk, (status, result) in outcomes.items():
        name = enrollments[pk].person.name
        if status not in EnrollmentStatus.values:
            problems.append(f"{name}：结业情况无效")
        elif not over and status in (EnrollmentStatus.COMPLETED, EnrollmentStatus.NOT_COMPLETED):
            problems.append(
                f"{name}：培训班 {training_class.end:%Y-%m-%d} 结束，结束前不能登记结业或未结业"
            )
        elif result and status != EnrollmentStatus.COMPLETED:
            problems.append(f"{name}：只有已结业的学员才有考核结果")
    if problems:
        raise ValidationError(problems)
    completed = 0
    for pk, (status, result) in outcomes.items():
        enrollment = enrollments[pk]
        enrollment.status = status
        enrollment.result = result
        enrollment.completed_on = (
            training_class.end if status == EnrollmentStatus.COMPLETED else None
        )
        enrollment.full_clean()
        enrollment.save()
        completed += status == EnrollmentStatus.COMPLETED
    return completed


@transaction.atomic
def external_training_save(*, record: ExternalTraining) -> ExternalTraining:
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def external_training_delete(*, record: ExternalTraining) -> None:
    record.delete()
