"""Branch B's training records for the scope walk (tests/test_scope_walk.py)."""

from datetime import date
from decimal import Decimal

from tests.factories import make_member
from tests.training.helpers import attend_all, make_class
from tongxin.training import services
from tongxin.training.models import (
    Attendance,
    ClassSession,
    Enrollment,
    ExternalTraining,
    TrainingClass,
)

CLASS_NAME = "医药卫生支部骨干学习班"
PERSON_NAME = "诸葛蓓"
EXTERNAL_NAME = "省社院党外干部进修班"


def b_records(world) -> dict:
    person = make_member(world.branch_b, name=PERSON_NAME)
    cls = make_class(world.branch_b, name=CLASS_NAME, start=date(2024, 5, 6))
    [enrollment] = services.enrollment_add(training_class=cls, people=[person], on=date(2024, 5, 1))
    attend_all(cls)
    external = services.external_training_save(
        record=ExternalTraining(
            person=person,
            name=EXTERNAL_NAME,
            organizer="某省社会主义学院",
            start=date(2024, 9, 1),
            end=date(2024, 9, 3),
            hours=Decimal("24"),
        )
    )
    return {
        "class": cls,
        "session": cls.sessions.first(),
        "enrollment": enrollment,
        "person": person,
        "external": external,
    }


def argument(name, arg, records):
    if not name.startswith("training:"):
        return None
    key = {
        "pk": "class",
        "session_pk": "session",
        "enrollment_pk": "enrollment",
        "person_pk": "person",
        "record_pk": "external",
    }.get(arg)
    return str(records[key].pk) if key else None


def markers(records) -> list[str]:
    return [CLASS_NAME, PERSON_NAME, EXTERNAL_NAME]


def snapshot():
    return (
        sorted(TrainingClass.objects.values_list("pk", "name", "start", "end", "hours")),
        sorted(ClassSession.objects.values_list("pk", "date", "hours", "recorded_at")),
        sorted(Enrollment.objects.values_list("pk", "person_id", "status", "result")),
        sorted(Attendance.objects.values_list("pk", "enrollment_id", "status")),
        sorted(ExternalTraining.objects.values_list("pk", "name", "hours")),
    )


EXPECTED = [
    "training:class_detail",
    "training:class_edit",
    "training:class_delete",
    "training:session_create",
    "training:session_edit",
    "training:session_delete",
    "training:attendance",
    "training:attendance_workbook",
    "training:attendance_upload",
    "training:enrol",
    "training:enrollment_remove",
    "training:completion",
    "training:external_create",
    "training:external_edit",
    "training:external_delete",
]
