"""The ``training`` section of the statistics: each figure and the list it drills down to."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.factories import make_member
from tests.training.helpers import attend_all, complete, make_class
from tongxin.core.figures import leaves, values
from tongxin.core.scope import Scope
from tongxin.training import services
from tongxin.training.models import ExternalTraining
from tongxin.training.stats import compute

pytestmark = pytest.mark.django_db

ZEROS_TYPE = {
    "新成员培训班": 0, "中青年骨干培训班": 0, "基层干部学习班": 0, "党外干部培训班": 0,
    "考察学习": 0, "其他培训": 0,
}  # fmt: skip
ZEROS_LEVEL = {"自办": 0, "社会主义学院": 0, "其他单位": 0}


@pytest.fixture
def year(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    c = make_member(world.branch_g1, name="丙三")
    far = make_member(world.other_branch, name="远方")
    # Opened in the period, held in the city: counted.
    new = make_class(world.city, name="新成员班", start=date(2024, 3, 4), days=2, hours="12")
    services.enrollment_add(training_class=new, people=[a, b, c], on=date(2024, 3, 1))
    attend_all(new, absent=[c])
    complete(new, [a, b])
    services.completion_record(
        training_class=new,
        outcomes={new.enrollments.get(person=c).pk: ("not_completed", "")},
        on=date(2024, 3, 5),
    )
    backbone = make_class(
        world.city, name="骨干班", class_type="young_backbone", level="academy",
        start=date(2024, 10, 8), days=1, hours="8",
    )  # fmt: skip
    services.enrollment_add(training_class=backbone, people=[a], on=date(2024, 10, 1))
    attend_all(backbone)
    in_b = make_class(world.branch_b, name="B学习班", class_type="grassroots",
                      start=date(2024, 6, 3), days=1, hours="4")  # fmt: skip
    services.enrollment_add(training_class=in_b, people=[b], on=date(2024, 6, 1))
    # Not counted: opened before the period, or held in the other city.
    old = make_class(world.city, name="去年的班", start=date(2023, 12, 30), days=3, hours="12")
    services.enrollment_add(training_class=old, people=[a], on=date(2023, 12, 1))
    attend_all(old)  # 4 hours of it fall on 2024-01-01: in the period
    elsewhere = make_class(world.other_city, name="河城班", start=date(2024, 5, 6), days=1)
    services.enrollment_add(training_class=elsewhere, people=[far], on=date(2024, 5, 1))
    attend_all(elsewhere)
    ExternalTraining.objects.create(
        person=c, name="省委会研修", organizer="民盟某省委员会", start=date(2024, 7, 1),
        end=date(2024, 7, 2), hours=Decimal("10.5"),
    )  # fmt: skip
    return compute(
        scope=Scope(everything=True), org=world.city, as_of=date(2024, 12, 31),
        period_start=date(2024, 1, 1),
    )  # fmt: skip


def test_the_section_counts_classes_participants_completion_and_hours(year):
    assert values(year) == {
        "classes": {
            "total": 3,
            "by_type": {
                **ZEROS_TYPE, "新成员培训班": 1, "中青年骨干培训班": 1, "基层干部学习班": 1,
            },
            "by_level": {**ZEROS_LEVEL, "自办": 2, "社会主义学院": 1},
        },
        "participants": {
            "total": 5,
            "by_type": {
                **ZEROS_TYPE, "新成员培训班": 3, "中青年骨干培训班": 1, "基层干部学习班": 1,
            },
            "by_level": {**ZEROS_LEVEL, "自办": 4, "社会主义学院": 1},
        },
        "completion": {
            "completed": 2, "not_completed": 1, "withdrew": 0, "in_progress": 2, "rate": 40.0,
        },
        # 甲一 12 + 8 + 4 (the old class's last day), 乙二 12, 丙三 10.5 external
        "hours": {
            "total": 46.5, "in_classes": 36.0, "external": 10.5, "people": 3, "per_person": 15.5,
        },
    }  # fmt: skip


def test_every_figure_drills_down_to_a_list_of_exactly_its_records(client, city_staff, year):
    client.force_login(city_staff)
    for path, figure in leaves(year):
        page = client.get(figure.url).content.decode()
        where = "/".join(path)
        # The list's length marker (read by the report's own drill-down test) is the count, or
        # for a sum or a share the number of records it is taken over.
        expected = figure.value if figure.is_count else figure.records.count()
        assert f'data-count="{expected}"' in page, where
        list_path = urlparse(figure.url).path
        if list_path == reverse("training:index"):
            assert f"共 {figure.value} 个培训班" in page, where
            assert figure.records.count() == figure.value, where
        elif list_path == reverse("training:participants"):
            expected = figure.records.count() if path[-1] == "rate" else figure.value
            assert f"共 {expected} 人次" in page, where
        else:
            assert list_path == reverse("training:hours"), where
            people = year["hours"]["people"].value
            total = year["hours"]["total"].value
            assert f"共 {people} 人，合计 {total:g} 学时" in page, where
            assert figure.records.count() == people, where


def test_a_branch_counts_its_own_classes_and_its_members_hours(world, year):
    figures = values(
        compute(
            scope=Scope(everything=True), org=world.branch_b, as_of=date(2024, 12, 31),
            period_start=date(2024, 1, 1),
        )
    )  # fmt: skip
    assert figures["classes"]["total"] == 1  # its own 学习班, not the city's classes
    assert figures["participants"]["total"] == 1
    # 乙二's hours count wherever the class was held (12 at the city's); the branch's own
    # class has no attendance recorded, so it gives no hours yet.
    assert figures["hours"]["total"] == 12.0 and figures["hours"]["people"] == 1
