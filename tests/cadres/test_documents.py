"""The cadre registration form (干部基本情况登记表): a real Word document with the person's facts,
resume, assessments, pools and honours; the ID number masked unless the user may see it; every
download audited."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from docx import Document

from tests.cadres.conftest import enter
from tongxin.audit.models import Event
from tongxin.cadres import services
from tongxin.cadres.models import AnnualAssessment, PracticeAssignment
from tongxin.core.codes import AdminRank, PostKind
from tongxin.people.models import Honor, HonorLevel, Post

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
                for inner in cell.tables:
                    parts.extend(c.text for r in inner.rows for c in r.cells)
    return "\n".join(parts)


@pytest.fixture
def filled(reserve, young_member):
    person = young_member
    enter(reserve, person)
    services.assessment_save(
        assessment=AnnualAssessment(person=person, year=2024, grade="excellent")
    )
    services.practice_save(
        assignment=PracticeAssignment(
            person=person,
            kind="secondment",
            place="江城市江南区人民政府",
            to_post="区长助理",
            start=date(2023, 3, 1),
            end=date(2024, 2, 28),
        )
    )
    Post.objects.create(
        person=person,
        kind=PostKind.GOVERNMENT,
        title="副局长",
        unit="江城市教育局",
        rank=AdminRank.DIVISION_DEPUTY,
        start=date(2024, 6, 1),
    )
    Honor.objects.create(
        person=person,
        title="优秀盟员",
        level=HonorLevel.CITY,
        conferred_by="民盟江城市委",
        conferred_on=date(2022, 12, 1),
    )
    return person


def test_the_form_holds_the_persons_record_with_the_id_number_masked(client, city_staff, filled):
    client.force_login(city_staff)
    response = client.get(reverse("cadres:registration_form", args=[filled.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    text = _text(response.content)
    assert "干部基本情况登记表" in text
    for expected in (
        "李青",
        "女",
        "1988.05（",
        "讲师",
        "县处级副职",
        "2023.03—2024.02　挂职：江城市江南区人民政府区长助理",
        "2024.06—至今　江城市教育局副局长",
        "2024年度优秀",
        "列入「后备干部」",
        "民盟江城市委授予“优秀盟员”",
        "家庭主要成员及重要社会关系",
        "称谓",
        "（照片）",
    ):
        assert expected in text, expected
    assert filled.id_number not in text
    assert filled.id_number[0] + "*" * 16 + filled.id_number[-1] in text
    event = Event.objects.get(kind="export")
    assert event.user == city_staff and "干部基本情况登记表" in event.summary


def test_a_user_who_may_see_numbers_gets_them_only_when_asking(client, city_staff, filled):
    client.force_login(city_staff)
    asked = client.get(reverse("cadres:registration_form", args=[filled.pk]) + "?full=1")
    assert filled.id_number not in _text(asked.content)
    city_staff.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    client.force_login(city_staff)
    full = client.get(reverse("cadres:registration_form", args=[filled.pk]) + "?full=1")
    assert filled.id_number in _text(full.content)
    assert Event.objects.filter(kind="export", detail__完整号码=True).count() == 1


def test_a_branch_chair_without_export_rights_gets_no_form(client, world, filled):
    from tests.factories import make_user
    from tongxin.accounts.roles import Role

    reader = make_user("reader_a", world.branch_a, roles=(Role.READER,))
    client.force_login(reader)
    assert client.get(reverse("cadres:registration_form", args=[filled.pk])).status_code == 403
    assert not Event.objects.filter(kind="export").exists()
