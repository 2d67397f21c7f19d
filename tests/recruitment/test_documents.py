"""The Word documents: the application form, the approval and filing list of a batch, and the
公示 list without ID numbers, phones or birth dates — read back with python-docx."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from docx import Document

from tests.factories import make_user
from tests.recruitment.helpers import apply, candidate, introducers, walk
from tongxin.audit.models import Event

pytestmark = pytest.mark.django_db

ID_NUMBER = "513101198201130014"
PHONE = "13912345678"


@pytest.fixture
def staff(world):
    return make_user("city_staff", world.city)


@pytest.fixture
def admitted(world, staff):
    person = candidate(name="林新", id_number=ID_NUMBER, gender="1", birth_date=None, phone=PHONE)
    return walk(apply(person, world.branch_a, staff), staff, introducers(world.branch_a))


def text_of(response) -> str:
    document = Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_application_form_lists_every_step_with_numbers_masked(client, admitted, staff):
    client.force_login(staff)
    response = client.get(reverse("recruitment:form_docx", args=[admitted.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = text_of(response)
    assert "民盟江城市委员会入会申请表" in text
    assert "林新" in text and "1982年1月" in text
    assert "5****************4" in text and ID_NUMBER not in text
    assert "139****5678" in text and PHONE not in text
    assert "介绍人：介绍人甲、介绍人乙" in text
    assert "应到 9 人，实到 7 人；赞成 6 票，反对 1 票，弃权 0 票" in text
    assert "2025年9月13日" in text  # 入会, 250 days after the application
    event = Event.objects.get(kind="export")
    assert "林新 的入会申请表（隐藏身份证号和手机号）" in event.summary


def test_a_user_who_may_reveal_gets_the_full_numbers(client, admitted, staff):
    staff.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    client.force_login(staff)
    text = text_of(client.get(reverse("recruitment:form_docx", args=[admitted.pk])))
    assert ID_NUMBER in text and PHONE in text


def test_the_approval_list_covers_exactly_the_filtered_applications(client, world, staff):
    sponsors = introducers(world.branch_a)
    first = walk(
        apply(candidate(name="林新"), world.branch_a, staff), staff, sponsors, until="市委会审批"
    )
    walk(apply(candidate(name="韩雪"), world.branch_g1, staff), staff, sponsors, until="考察")
    client.force_login(staff)
    params = {"org": world.city.pk, "stage": "市委会审批", "as_of": "2025-12-31"}
    response = client.get(reverse("recruitment:approval_docx"), params)
    text = text_of(response)
    assert "民盟江城市委员会新成员审批备案表" in text and "共 1 人" in text
    assert "林新" in text and "韩雪" not in text
    assert "2025年7月25日" in text and "2025年8月24日" in text  # 支部讨论, 市委会审批
    assert "介绍人甲、介绍人乙" in text
    event = Event.objects.get(kind="export")
    assert event.rows == 1 and event.detail["筛选"]["stage"] == "市委会审批"
    assert event.summary == "导出「民盟江城市委员会」新成员审批备案表"
    assert first.status == "open"


def test_the_publicity_list_has_no_id_number_phone_or_birth_date(client, admitted, staff, world):
    client.force_login(staff)
    params = {"org": world.city.pk, "status": "admitted", "as_of": "2025-12-31"}
    response = client.get(reverse("recruitment:publicity_docx"), params)
    text = text_of(response)
    assert "拟发展成员公示" in text and "林新" in text and "江城大学" in text
    for private in (ID_NUMBER, ID_NUMBER[-4:], PHONE, PHONE[-4:], "1982"):
        assert private not in text
    assert Event.objects.get(kind="export").rows == 1


def test_documents_of_another_subtree_are_refused(client, admitted, world):
    client.force_login(make_user("staff_b", world.branch_b))
    assert client.get(reverse("recruitment:form_docx", args=[admitted.pk])).status_code == 404
    response = client.get(reverse("recruitment:approval_docx"), {"org": world.branch_a.pk})
    assert response.status_code == 404
    mine = client.get(reverse("recruitment:publicity_docx"), {"status": "all"})
    assert "林新" not in text_of(mine)
