"""不培训不上岗: the check other apps call before a recommendation or an appointment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_member
from tests.training.helpers import attend_all, make_class, make_rule, trained
from tongxin.training import services
from tongxin.training.models import ClassType, ExternalTraining
from tongxin.training.selectors import RuleBreach, training_requirement_check

pytestmark = pytest.mark.django_db

ON = date(2025, 3, 1)


def check(person, kind="government", title="副区长", on=ON):
    return training_requirement_check(person=person, post_kind=kind, title=title, on=on)


def test_an_untrained_person_is_refused_with_the_rule_named(world):
    person = make_member(world.branch_a, name="林立")
    rule = make_rule()
    [breach] = check(person)
    assert breach == RuleBreach(
        rule="不培训不上岗（实职安排）",
        reason="林立在 2020-03-01 至 2025-03-01 期间没有「中青年骨干培训班」的结业记录",
        blocking=True,
        requirement_id=rule.pk,
    )
    assert breach.message.startswith("违反「不培训不上岗（实职安排）」：林立")


def test_a_completed_class_of_the_required_type_meets_the_rule(world):
    person = make_member(world.branch_a)
    make_rule()
    trained(world.city, person, start=date(2023, 4, 10))
    assert check(person) == []


def test_a_class_attended_but_not_completed_does_not_count(world):
    person = make_member(world.branch_a)
    make_rule()
    cls = make_class(world.city, class_type=ClassType.YOUNG_BACKBONE, start=date(2023, 4, 10))
    services.enrollment_add(training_class=cls, people=[person], on=date(2023, 4, 1))
    attend_all(cls)
    assert len(check(person)) == 1


def test_a_completion_older_than_the_window_or_after_the_day_does_not_count(world):
    person = make_member(world.branch_a)
    make_rule(within_years=2)
    trained(world.city, person, start=date(2022, 6, 1))
    assert len(check(person, on=date(2025, 3, 1))) == 1  # more than two years before
    assert check(person, on=date(2024, 3, 1)) == []
    assert len(check(person, on=date(2022, 6, 2))) == 1  # the class ends on 2022-06-03


def test_a_warning_rule_does_not_block(world):
    person = make_member(world.branch_a)
    make_rule(name="不培训不上岗（政治安排）", post_kind="political", enforcement="warn")
    [breach] = check(person, kind="political", title="政协委员")
    assert breach.blocking is False
    assert check(person) == []  # no rule for government posts


def test_a_rule_naming_titles_applies_to_those_titles_only(world):
    person = make_member(world.branch_a)
    make_rule(
        name="不培训不上岗（支部主委）",
        post_kind="party",
        titles="支部主委、支部副主委",
        class_types=[ClassType.GRASSROOTS],
    )
    assert len(check(person, kind="party", title="支部主委")) == 1
    assert len(check(person, kind="party", title=" 支部副主委 ")) == 1
    assert check(person, kind="party", title="委员") == []


def test_an_inactive_rule_is_not_checked(world):
    person = make_member(world.branch_a)
    make_rule(is_active=False)
    assert check(person) == []


def test_hours_rules_count_attended_meetings_and_external_records(world):
    person = make_member(world.branch_a, name="高远")
    make_rule(class_types=[], min_hours=Decimal("40"), within_years=3, enforcement="warn")
    cls = make_class(world.city, start=date(2024, 5, 6), days=3, hours="24")
    services.enrollment_add(training_class=cls, people=[person], on=date(2024, 5, 1))
    first = cls.sessions.first()
    services.attendance_record(
        session=first, marks={cls.enrollments.get().pk: "present"}, by=None, on=first.date
    )
    [breach] = check(person)
    assert breach.reason == "高远在 2022-03-01 至 2025-03-01 期间累计培训 8 学时，不足 40 学时"
    assert breach.blocking is False
    ExternalTraining.objects.create(
        person=person,
        name="省委会骨干研修班",
        organizer="民盟某省委员会",
        start=date(2024, 9, 1),
        end=date(2024, 9, 5),
        hours=Decimal("32"),
    )
    assert check(person) == []


def test_an_external_record_of_the_required_type_counts_as_completion(world):
    person = make_member(world.branch_a)
    make_rule(class_types=[ClassType.NON_PARTY, ClassType.YOUNG_BACKBONE])
    ExternalTraining.objects.create(
        person=person,
        name="中央社会主义学院党外干部培训班",
        organizer="中央社会主义学院",
        class_type=ClassType.NON_PARTY,
        start=date(2024, 3, 1),
        end=date(2024, 3, 20),
        hours=Decimal("80"),
    )
    assert check(person) == []


def test_refusals_come_before_warnings(world):
    person = make_member(world.branch_a)
    make_rule(name="乙：提醒", enforcement="warn")
    make_rule(name="甲：拒绝", class_types=[], min_hours=Decimal("10"))
    assert [b.blocking for b in check(person)] == [True, False]


def test_a_rule_must_require_something(world):
    with pytest.raises(ValidationError, match="请至少规定一项要求"):
        make_rule(class_types=[], min_hours=Decimal("0"))
    with pytest.raises(ValidationError, match="未知的培训类型"):
        make_rule(class_types=["party_school"])
