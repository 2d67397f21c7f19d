"""Builders for training tests: real classes, meetings and attendance through the services."""

from datetime import date, timedelta
from decimal import Decimal

from tongxin.training import services
from tongxin.training.models import (
    ClassLevel,
    ClassType,
    EnrollmentStatus,
    TrainingClass,
    TrainingRequirement,
)


def make_class(
    org,
    *,
    name="新成员培训班",
    class_type=ClassType.NEW_MEMBER,
    level=ClassLevel.OWN,
    start=date(2024, 5, 6),
    days=3,
    hours="24",
    daily_sessions=True,
    **fields,
) -> TrainingClass:
    return services.class_create(
        training_class=TrainingClass(
            name=name,
            org=org,
            class_type=class_type,
            level=level,
            start=start,
            end=start + timedelta(days=days - 1),
            hours=Decimal(hours),
            **fields,
        ),
        daily_sessions=daily_sessions,
    )


def attend_all(training_class, *, absent=(), by=None, on=None):
    """Record every meeting: everyone present but the people in ``absent``."""
    absent_ids = {p.pk for p in absent}
    for session in training_class.sessions.all():
        marks = {
            e.pk: "absent" if e.person_id in absent_ids else "present"
            for e in training_class.enrollments.all()
        }
        services.attendance_record(session=session, marks=marks, by=by, on=on or training_class.end)


def complete(training_class, people, *, result="passed", on=None):
    ids = {p.pk for p in people}
    outcomes = {
        e.pk: (EnrollmentStatus.COMPLETED, result)
        for e in training_class.enrollments.all()
        if e.person_id in ids
    }
    services.completion_record(
        training_class=training_class, outcomes=outcomes, on=on or training_class.end
    )


def trained(org, person, *, class_type=ClassType.YOUNG_BACKBONE, start=date(2023, 4, 10)):
    """``person`` enrolled in a three-day class of ``class_type``, present and completed."""
    cls = make_class(
        org,
        name=f"{ClassType(class_type).label}（{start.year}）",
        class_type=class_type,
        start=start,
    )
    services.enrollment_add(training_class=cls, people=[person], on=start)
    attend_all(cls)
    complete(cls, [person])
    return cls


def make_rule(**fields) -> TrainingRequirement:
    values = {
        "name": "不培训不上岗（实职安排）",
        "post_kind": "government",
        "class_types": [ClassType.YOUNG_BACKBONE],
        "within_years": 5,
        "enforcement": "refuse",
    }
    values.update(fields)
    rule = TrainingRequirement(**values)
    rule.full_clean()
    rule.save()
    return rule
