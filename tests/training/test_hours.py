"""Hours per person: attended meetings plus external records, per year and over a window."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_member
from tests.training.helpers import attend_all, make_class
from tongxin.core.scope import Scope
from tongxin.training import selectors, services
from tongxin.training.models import ExternalTraining
from tongxin.training.selectors import Hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    first = make_class(world.city, start=date(2023, 11, 6), days=2, hours="12")  # 6 + 6
    services.enrollment_add(training_class=first, people=[a, b], on=date(2023, 11, 1))
    attend_all(first, absent=[b])
    second = make_class(world.city, name="骨干班", start=date(2024, 3, 4), days=2, hours="8")
    services.enrollment_add(training_class=second, people=[a, b], on=date(2024, 3, 1))
    s1, s2 = second.sessions.all()
    ea, eb = second.enrollments.order_by("pk")
    services.attendance_record(
        session=s1, marks={ea.pk: "present", eb.pk: "present"}, by=None, on=s1.date
    )
    services.attendance_record(
        session=s2, marks={ea.pk: "leave", eb.pk: "present"}, by=None, on=s2.date
    )
    ExternalTraining.objects.create(
        person=a,
        name="省委会研修班",
        organizer="民盟某省委员会",
        start=date(2024, 6, 1),
        end=date(2024, 6, 3),
        hours=Decimal("16.5"),
    )
    return a, b


def test_hours_per_year_add_meetings_attended_and_external_records(history):
    a, b = history
    assert selectors.person_hours_by_year(person=a) == [
        (2024, Hours(classes=Decimal("4"), external=Decimal("16.5"))),
        (2023, Hours(classes=Decimal("12"), external=Decimal("0"))),
    ]
    assert selectors.person_hours_by_year(person=b) == [(2024, Hours(classes=Decimal("8")))]


def test_hours_in_a_window_leave_out_what_lies_outside(history):
    a, b = history
    assert selectors.person_hours(
        person=a, start=date(2024, 1, 1), end=date(2024, 3, 4)
    ).total == Decimal("4")
    assert selectors.hours_by_person(people=[a.pk, b.pk], start=None, end=None) == {
        a.pk: Hours(Decimal("16"), Decimal("16.5")),
        b.pk: Hours(Decimal("8"), Decimal("0")),
    }


def test_trained_people_of_a_subtree_are_its_members_with_hours(history, world):
    a, b = history
    everything = Scope(everything=True)
    found = selectors.trained_people(
        scope=everything, org=world.branch_a, start=date(2023, 1, 1), end=date(2024, 12, 31)
    )
    assert list(found) == [a]
    in_2023 = selectors.trained_people(
        scope=everything, org=world.city, start=date(2023, 1, 1), end=date(2023, 12, 31)
    )
    assert list(in_2023) == [a]  # b missed the 2023 class


def test_hours_are_written_without_a_trailing_zero():
    assert selectors.format_hours(Decimal("12.0")) == "12"
    assert selectors.format_hours(Decimal("1.5")) == "1.5"
    assert selectors.format_hours(None) == "0"
