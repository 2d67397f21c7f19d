"""A member who transferred out is seen by the old branch as they were while it held them: their
time there and the transfer, not the new branch, the unit, the phone and the honours since."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.cadres.test_assessments import _workbook
from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.cadres import assessment_import
from tongxin.cadres.models import AnnualAssessment, PracticeAssignment
from tongxin.core import extensions
from tongxin.core.scope import Scope
from tongxin.people import selectors, services
from tongxin.people.models import Honor
from tongxin.training.models import ExternalTraining

pytestmark = pytest.mark.django_db

TRANSFER = date(2024, 6, 1)


@pytest.fixture
def moved(world):
    """林晓 of branch A since 2015, honoured in 2019, transferred to branch B on 2024-06-01;
    since then a new unit and phone, and an honour in 2025."""
    person = make_member(
        world.branch_a,
        name="林晓",
        work_unit="江城大学化学系",
        phone="13800001111",
        start=date(2015, 1, 1),
    )
    Honor.objects.create(
        person=person,
        title="优秀盟员",
        level="city",
        conferred_by="民盟江城市委",
        conferred_on=date(2019, 7, 1),
    )
    services.membership_transfer(person=person, to_org=world.branch_b, on=TRANSFER)
    person.work_unit = "江城第三医院"
    person.phone = "13900002222"
    services.person_update(person=person)
    Honor.objects.create(
        person=person,
        title="三八红旗手",
        level="provincial",
        conferred_by="省妇联",
        conferred_on=date(2025, 3, 8),
    )
    return person


def _page(client, person, tab="basic") -> str:
    response = client.get(reverse("people:detail", args=[person.pk]), {"tab": tab})
    assert response.status_code == 200
    return response.content.decode()


def test_the_old_branch_sees_the_members_time_there_and_not_their_life_since(
    client, world, chair_a, moved
):
    client.force_login(chair_a)
    basic = _page(client, moved)
    assert "该成员已于 2024-06-01 转出本组织，以下仅显示其在本组织期间的记录" in basic
    assert "林晓" in basic
    for later in ("江城第三医院", "医药卫生支部", "13900002222", "1390"):
        assert later not in basic
    membership = _page(client, moved, "membership")
    assert "江城大学第一支部" in membership and "2024-06-01" in membership
    assert "转出" in membership
    assert "医药卫生支部" not in membership
    honours = _page(client, moved, "honours")
    assert "优秀盟员" in honours
    assert "三八红旗手" not in honours


def test_the_old_branch_may_not_read_or_change_the_members_current_record(
    client, world, staff_a, moved
):
    client.force_login(staff_a)
    assert client.get(reverse("people:edit", args=[moved.pk])).status_code == 403
    assert client.get(reverse("cadres:registration_form", args=[moved.pk])).status_code == 403
    assert "编辑基本信息" not in _page(client, moved)
    for tab in extensions.get("person_tabs"):
        text = _page(client, moved, tab.key)
        assert "江城第三医院" not in text and "三八红旗手" not in text, tab.key
    assert 'data-testid="registration-form"' not in _page(client, moved, "cadres")
    later = Honor.objects.get(title="三八红旗手")
    assert client.get(reverse("evaluation:honor_edit", args=[later.pk])).status_code == 404
    assert client.post(reverse("evaluation:honor_delete", args=[later.pk])).status_code == 404
    assert Honor.objects.filter(pk=later.pk).exists()
    earlier = Honor.objects.get(title="优秀盟员")
    assert client.get(reverse("evaluation:honor_edit", args=[earlier.pk])).status_code == 200


def test_the_new_branch_sees_everything_current(client, world, moved):
    client.force_login(make_user("chair_b", world.branch_b, roles=(Role.BRANCH_CHAIR,)))
    basic = _page(client, moved)
    assert "江城第三医院" in basic and "医药卫生支部" in basic
    assert "转出本组织" not in basic
    membership = _page(client, moved, "membership")
    assert "江城大学第一支部" in membership and "医药卫生支部" in membership
    honours = _page(client, moved, "honours")
    assert "优秀盟员" in honours and "三八红旗手" in honours


def test_a_scope_over_both_branches_and_a_member_who_only_left_see_the_whole_file(world, moved):
    city = Scope.of([world.city.path])
    assert selectors.left_scope_on(scope=city, person=moved, on=date(2026, 1, 1)) is None
    branch_a = Scope.of([world.branch_a.path])
    assert selectors.left_scope_on(scope=branch_a, person=moved, on=date(2026, 1, 1)) == TRANSFER
    # Before the transfer, branch A held the member.
    assert selectors.left_scope_on(scope=branch_a, person=moved, on=date(2024, 5, 31)) is None
    gone = make_member(world.branch_a, name="周默", start=date(2015, 1, 1))
    services.membership_end(person=gone, on=date(2023, 1, 1), reason="withdrew")
    # Nothing followed the exit: branch A's file of the former member stays whole.
    assert selectors.left_scope_on(scope=branch_a, person=gone, on=date(2026, 1, 1)) is None


def _records(person) -> dict:
    """Before the transfer: the 2023 assessment, a secondment and a course; after it (the new
    branch's): the 2024 and 2025 assessments, a posting and a course."""
    assessments = {
        year: AnnualAssessment.objects.create(person=person, year=year, grade="excellent")
        for year in (2023, 2024, 2025)
    }
    practice = {
        place: PracticeAssignment.objects.create(
            person=person, kind="secondment", place=place, start=start
        )
        for place, start in (("甲县挂职单位", date(2022, 3, 1)), ("乙县挂职单位", date(2024, 9, 1)))
    }
    courses = {
        name: ExternalTraining.objects.create(
            person=person, name=name, organizer="民盟某省委员会", start=on, end=on, hours=Decimal(8)
        )
        for name, on in (("甲研修班", date(2023, 5, 1)), ("乙研修班", date(2024, 10, 1)))
    }
    return {"assessment": assessments, "practice": practice, "course": courses}


def _edit_status(client, person, records) -> dict:
    pages = [
        *(
            ("assessment", k, reverse("cadres:assessment_edit", args=[r.pk]))
            for k, r in records["assessment"].items()
        ),
        *(
            ("practice", k, reverse("cadres:practice_edit", args=[r.pk]))
            for k, r in records["practice"].items()
        ),
        *(
            ("course", k, reverse("training:external_edit", args=[person.pk, r.pk]))
            for k, r in records["course"].items()
        ),
    ]
    return {(kind, key): client.get(url).status_code for kind, key, url in pages}


def _listed(client, records) -> set:
    assessments = client.get(reverse("cadres:assessments")).content.decode()
    practice = client.get(reverse("cadres:practice")).content.decode()
    return {
        *(
            year
            for year, r in records["assessment"].items()
            if reverse("cadres:assessment_edit", args=[r.pk]) in assessments
        ),
        *(place for place in records["practice"] if place in practice),
    }


def test_the_old_branch_lists_and_edits_only_the_records_dated_before_the_transfer(
    client, world, staff_a, moved
):
    records = _records(moved)
    client.force_login(staff_a)
    assert _listed(client, records) == {2023, "甲县挂职单位"}
    assert _edit_status(client, moved, records) == {
        ("assessment", 2023): 200,
        ("assessment", 2024): 404,
        ("assessment", 2025): 404,
        ("practice", "甲县挂职单位"): 200,
        ("practice", "乙县挂职单位"): 404,
        ("course", "甲研修班"): 200,
        ("course", "乙研修班"): 404,
    }
    later = records["course"]["乙研修班"]
    response = client.post(reverse("training:external_delete", args=[moved.pk, later.pk]))
    assert response.status_code == 404
    assert ExternalTraining.objects.filter(pk=later.pk).exists()


def test_the_new_branch_lists_and_edits_all_the_members_records(client, world, moved):
    records = _records(moved)
    client.force_login(make_user("staff_b", world.branch_b))
    assert _listed(client, records) == {2023, 2024, 2025, "甲县挂职单位", "乙县挂职单位"}
    assert set(_edit_status(client, moved, records).values()) == {200}


def test_the_branch_keeps_the_records_of_a_member_who_left_for_no_other_organization(
    client, world, staff_a
):
    gone = make_member(world.branch_a, name="周默", start=date(2015, 1, 1))
    services.membership_end(person=gone, on=date(2024, 6, 1), reason="withdrew")
    records = _records(gone)
    client.force_login(staff_a)
    assert _listed(client, records) == {2023, 2024, 2025, "甲县挂职单位", "乙县挂职单位"}
    assert set(_edit_status(client, gone, records).values()) == {200}


def _lives(world):
    """Members of branch A: one moved to B, one moved to B and left it, one moved to B and
    came back, one withdrew, one kept by A under an affiliation after moving to B."""
    moved = make_member(world.branch_a, name="甲", start=date(2015, 1, 1))
    services.membership_transfer(person=moved, to_org=world.branch_b, on=TRANSFER)
    left_b = make_member(world.branch_a, name="乙", start=date(2015, 1, 1))
    services.membership_transfer(person=left_b, to_org=world.branch_b, on=TRANSFER)
    services.membership_end(person=left_b, on=date(2025, 1, 1), reason="withdrew")
    back = make_member(world.branch_a, name="丙", start=date(2015, 1, 1))
    services.membership_transfer(person=back, to_org=world.branch_b, on=TRANSFER)
    services.membership_transfer(person=back, to_org=world.branch_a, on=date(2025, 1, 1))
    gone = make_member(world.branch_a, name="丁", start=date(2015, 1, 1))
    services.membership_end(person=gone, on=TRANSFER, reason="withdrew")
    kept = make_member(world.branch_a, name="戊", start=date(2015, 1, 1))
    services.membership_transfer(person=kept, to_org=world.branch_b, on=TRANSFER)
    services.affiliation_start(person=kept, org=world.branch_a, kind="talent", on=TRANSFER)
    return [moved, left_b, back, gone, kept]


def test_a_record_is_found_by_the_old_branch_exactly_when_its_person_file_shows_it(world):
    branch_a = Scope.of([world.branch_a.path])
    today = date(2026, 1, 1)
    for person in _lives(world):
        days = (date(2024, 5, 31), TRANSFER, date(2024, 12, 1), date(2025, 6, 1))
        for on in days:
            PracticeAssignment.objects.create(
                person=person, kind="secondment", place=on.isoformat(), start=on
            )
        found = set(
            PracticeAssignment.objects.filter(
                selectors.seen_then_q(scope=branch_a, on="start"), person=person
            ).values_list("start", flat=True)
        )
        until = selectors.left_scope_on(scope=branch_a, person=person, on=today)
        shown = {on for on in days if until is None or on < until}
        assert found == shown, person.name


def _post_records(client, person, year, start) -> list[str]:
    """Post an assessment of ``year``, a practice posting and an external course begun on
    ``start`` for ``person``; the pages' answers, as text."""
    answers = [
        client.post(
            reverse("cadres:assessment_create") + f"?person={person.pk}",
            {"person": person.pk, "year": year, "grade": "excellent", "reason": ""},
        ),
        client.post(
            reverse("cadres:practice_create") + f"?person={person.pk}",
            {"person": person.pk, "kind": "secondment", "place": "丙县挂职单位", "start": start},
        ),
        client.post(
            reverse("training:external_create", args=[person.pk]),
            {
                "name": "丙研修班",
                "organizer": "民盟某省委员会",
                "class_type": "non_party",
                "level": "academy",
                "start": start,
                "end": start,
                "hours": "8",
            },
        ),
    ]
    return [a.content.decode() if a.status_code == 200 else str(a.status_code) for a in answers]


def _written(person) -> int:
    return (
        person.assessments.count()
        + person.practice_assignments.count()
        + person.external_trainings.count()
    )


def test_the_old_branch_may_not_record_for_the_time_after_the_member_left(
    client, world, staff_a, moved
):
    client.force_login(staff_a)
    answers = _post_records(client, moved, 2024, "2024-09-01")
    assert "2024年度考核在林晓转出本组织（2024-06-01）之后，应由其现在所在组织登记" in answers[0]
    assert "开始于 2024-09-01 的实践锻炼在林晓转出本组织（2024-06-01）之后" in answers[1]
    assert "开始于 2024-09-01 的培训在林晓转出本组织（2024-06-01）之后" in answers[2]
    assert _written(moved) == 0
    # What happened while branch A held the member is still A's to record.
    assert _post_records(client, moved, 2023, "2024-05-01") == ["302", "302", "302"]
    assert _written(moved) == 3


def test_the_new_branch_records_the_time_after_the_transfer(client, world, moved):
    client.force_login(make_user("staff_b", world.branch_b))
    assert _post_records(client, moved, 2024, "2024-09-01") == ["302", "302", "302"]
    assert _written(moved) == 3


def test_an_assessment_workbook_may_not_write_the_years_after_the_member_left(world, moved):
    rows = [("林晓", moved.id_number, year, "优秀", "", "", "") for year in (2023, 2024)]
    result = assessment_import.import_file(
        data=_workbook(rows), filename="考核.xlsx", scope=Scope.of([world.branch_a.path]), by=None
    )
    assert not result.ok
    assert any(
        "2024年度考核在林晓转出本组织（2024-06-01）之后，应由其现在所在组织登记" in message
        for message in result.messages()
    ), result.messages()
    assert not AnnualAssessment.objects.exists()
    result = assessment_import.import_file(
        data=_workbook(rows), filename="考核.xlsx", scope=Scope.of([world.branch_b.path]), by=None
    )
    assert result.ok, result.messages()
