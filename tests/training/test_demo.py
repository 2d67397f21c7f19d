"""The demo's training: two years of classes with enrolment and attendance, a class whose
attendance is missing, the rules, and one reserve candidate who has not completed training."""

import random
from datetime import date, timedelta

import pytest
from django.db import transaction

from tongxin.core.dates import age_on
from tongxin.core.scope import Scope
from tongxin.people import demo as people_demo
from tongxin.training import demo, selectors
from tongxin.training.models import (
    Attendance,
    ClassType,
    Enrollment,
    ExternalTraining,
    TrainingClass,
    TrainingRequirement,
)

TODAY = date(2025, 6, 30)
SEED = 11


def _build(members=people_demo.DEFAULT_MEMBERS):
    people_demo.build_demo(seed=SEED, today=TODAY, members=members)
    root = people_demo.demo_root()
    return root, demo.seed_demo(root=root, today=TODAY, rng=random.Random(SEED))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _snapshot():
    return (
        sorted(TrainingClass.objects.values_list("name", "org__code", "start", "end", "hours")),
        sorted(
            Enrollment.objects.values_list(
                "training_class__name", "person__id_number", "status", "result"
            )
        ),
        sorted(
            Attendance.objects.values_list(
                "session__date", "enrollment__person__id_number", "status"
            ),
            key=repr,
        ),
        sorted(ExternalTraining.objects.values_list("person__id_number", "name", "end", "hours")),
    )


@pytest.mark.django_db
def test_two_years_of_classes_of_every_usual_type(seeded):
    classes = TrainingClass.objects.all()
    assert classes.count() >= 10
    assert min(c.start for c in classes) >= TODAY - timedelta(days=731)
    assert {c.class_type for c in classes} >= {
        ClassType.NEW_MEMBER, ClassType.YOUNG_BACKBONE, ClassType.GRASSROOTS,
        ClassType.NON_PARTY, ClassType.STUDY_TOUR,
    }  # fmt: skip
    assert all(c.enrollments.exists() for c in classes)
    assert Attendance.objects.count() > 400
    assert ExternalTraining.objects.count() >= 10


@pytest.mark.django_db
def test_new_member_classes_take_the_recent_admissions(seeded):
    for cls in TrainingClass.objects.filter(class_type=ClassType.NEW_MEMBER):
        for e in cls.enrollments.select_related("person"):
            admitted = e.person.spells.filter(start_reason="admitted").order_by("start").first()
            assert cls.start - timedelta(days=365) < admitted.start <= cls.start, e


@pytest.mark.django_db
def test_backbone_classes_take_members_under_45_with_mid_titles(seeded):
    for cls in TrainingClass.objects.filter(class_type=ClassType.YOUNG_BACKBONE):
        assert cls.level == "academy"
        for e in cls.enrollments.select_related("person"):
            assert age_on(e.person.birth_date, cls.start) < 45
            assert e.person.title_level in ("1", "2", "3")


@pytest.mark.django_db
def test_one_reserve_candidate_has_not_completed_training_and_is_refused(seeded):
    _root, lines = seeded
    assert TrainingRequirement.objects.filter(is_active=True).count() == 3
    [line] = [line for line in lines if line.startswith("未完成培训的后备人选")]
    name = line.split("：")[1].split("（")[0]
    dropout = Enrollment.objects.get(person__name=name, status="not_completed").person
    [breach] = selectors.training_requirement_check(
        person=dropout, post_kind="government", title="副局长", on=TODAY
    )
    assert breach.blocking and breach.rule == "不培训不上岗（实职安排）"
    completed = Enrollment.objects.filter(
        status="completed", training_class__class_type=ClassType.YOUNG_BACKBONE
    ).first()
    assert (
        selectors.training_requirement_check(
            person=completed.person, post_kind="government", title="副局长", on=TODAY
        )
        == []
    )


@pytest.mark.django_db
def test_a_class_that_just_ended_waits_for_its_attendance(seeded):
    root, _ = seeded
    missing = selectors.classes_in(scope=Scope(everything=True), org=root).filter(
        selectors.missing_attendance_q(TODAY)
    )
    assert missing.count() == 1
    assert missing.get().end < TODAY


@pytest.mark.django_db
def test_the_same_seed_and_day_give_the_same_training_and_reset_removes_it():
    people_demo.reset_demo()  # the module's build; rolled back with the test
    _build(members=80)
    first = _snapshot()
    people_demo.reset_demo()
    assert not TrainingClass.objects.exists()
    _build(members=80)
    assert _snapshot() == first
