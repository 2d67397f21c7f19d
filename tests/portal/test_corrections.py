"""Corrections: a member proposes changes to their own non-identity fields; the branch chair
and then staff review; accepted ones change the record as the person form would."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from tongxin.core import codes
from tongxin.core.scope import Scope
from tongxin.people.models import Person
from tongxin.portal import services
from tongxin.portal.models import CorrectionRequest, IdentityCorrection

pytestmark = pytest.mark.django_db


def _propose(client, member, **fields):
    client.force_login(member.user)
    return client.post(reverse("member:corrections"), fields)


def test_a_correction_passes_the_chair_then_staff_and_changes_the_record(
    client, world, chair_a, city_staff, member_a
):
    _propose(client, member_a, work_unit="江城理工大学", title="副教授", note="调动")
    request = CorrectionRequest.objects.get()
    assert request.state == "chair"
    assert request.changes["work_unit"] == ["江城大学", "江城理工大学"]
    # Staff cannot skip the chair.
    client.force_login(city_staff)
    client.post(reverse("portal:correction_staff", args=[request.pk]), {"decision": "accept"})
    assert CorrectionRequest.objects.get().state == "chair"
    client.force_login(chair_a)
    client.post(
        reverse("portal:correction_chair", args=[request.pk]),
        {"decision": "accept", "opinion": "情况属实"},
    )
    assert CorrectionRequest.objects.get().state == "staff"
    assert Person.objects.get(pk=member_a.pk).work_unit == "江城大学"
    client.force_login(city_staff)
    client.post(reverse("portal:correction_staff", args=[request.pk]), {"decision": "accept"})
    person = Person.objects.get(pk=member_a.pk)
    assert CorrectionRequest.objects.get().state == "accepted"
    assert person.work_unit == "江城理工大学"
    # As the person form does: the title's level follows from the title.
    assert person.title == "副教授" and person.title_level == codes.title_level_for("副教授")
    assert person.phone == "13811112222"  # untouched
    # The audit log keeps both steps and the record's change.
    steps = LogEntry.objects.get_for_object(request).count()
    assert steps >= 3
    change = (
        LogEntry.objects.get_for_object(person)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert change.changes_dict["work_unit"] == ["江城大学", "江城理工大学"]


def test_a_rejection_keeps_its_reason_and_changes_nothing(client, world, chair_a, member_a):
    _propose(client, member_a, phone="13900001111")
    request = CorrectionRequest.objects.get()
    client.force_login(chair_a)
    response = client.post(
        reverse("portal:correction_chair", args=[request.pk]), {"decision": "reject"}, follow=True
    )
    assert "不同意时须写明理由" in response.content.decode()
    assert CorrectionRequest.objects.get().state == "chair"
    client.post(
        reverse("portal:correction_chair", args=[request.pk]),
        {"decision": "reject", "opinion": "号码有误"},
    )
    request.refresh_from_db()
    assert (request.state, request.reason) == ("rejected", "号码有误")
    assert "13900001111" not in str(request.changes)  # the new number is kept masked
    assert Person.objects.get(pk=member_a.pk).phone == "13811112222"
    client.force_login(member_a.user)
    assert "号码有误" in client.get(reverse("member:corrections")).content.decode()


def test_a_bad_value_is_refused_as_the_person_form_refuses_it(client, member_a):
    response = _propose(client, member_a, phone="1234")
    assert response.status_code == 200
    assert 'data-testid="error-phone"' in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_identity_fields_are_locked_for_members(member_a):
    with pytest.raises(ValidationError, match="不能在此更正"):
        services.correction_propose(person=member_a, changes={"name": "林大满"})
    with pytest.raises(ValidationError, match="不能在此更正"):
        services.correction_propose(person=member_a, changes={"admitted_on": "2010-01-01"})
    assert not CorrectionRequest.objects.exists()


def test_staff_correct_an_identity_field_with_a_written_reason(client, world, city_staff, member_a):
    client.force_login(city_staff)
    url = reverse("portal:identity", args=[member_a.pk])
    response = client.post(url, {"name": "林晓满"})
    assert (
        "此字段是必填项" in response.content.decode() or "error-reason" in response.content.decode()
    )
    assert Person.objects.get(pk=member_a.pk).name == "林小满"
    client.post(url, {"name": "林晓满", "reason": "依户籍证明更正"})
    person = Person.objects.get(pk=member_a.pk)
    assert person.name == "林晓满"
    correction = IdentityCorrection.objects.get()
    assert (correction.fields, correction.reason) == ("姓名", "依户籍证明更正")
    assert LogEntry.objects.get_for_object(correction).exists()
    change = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert change.changes_dict["name"] == ["林小满", "林晓满"]


def test_a_chair_of_another_branch_gets_404(client, world, member_b, chair_a):
    _propose(client, member_b, work_unit="新单位")
    request = CorrectionRequest.objects.get()
    client.force_login(chair_a)
    response = client.post(
        reverse("portal:correction_chair", args=[request.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    assert "欧阳乙" not in client.get(reverse("portal:corrections")).content.decode()
    assert CorrectionRequest.objects.get().state == "chair"
    assert client.get(reverse("portal:identity", args=[member_b.pk])).status_code in (403, 404)


def test_a_second_request_waits_for_the_first(client, member_a):
    services.correction_propose(person=member_a, changes={"work_unit": "甲单位"})
    with pytest.raises(ValidationError, match="待审核"):
        services.correction_propose(person=member_a, changes={"work_unit": "乙单位"})
    assert Scope.for_user(member_a.user).paths == ()
    # The page says so instead of offering a form that would be refused.
    client.force_login(member_a.user)
    page = client.get(reverse("member:corrections")).content.decode()
    assert "待支部审核，审核完成后可以再提出新的更正" in page
    assert "提交更正申请" not in page


def test_the_workbench_card_counts_the_list_it_opens(client, world, chair_a, member_a):
    import re

    _propose(client, member_a, work_unit="江城理工大学")
    client.force_login(chair_a)
    page = client.get(reverse("workbench")).content.decode()
    assert "信息更正待支部审核" in page
    url = re.search(r'href="(/portal/corrections/\?org=\d+&amp;state=chair)"', page).group(1)
    listed = client.get(url.replace("&amp;", "&")).content.decode()
    assert listed.count('action="/portal/corrections/') == 1


def test_the_person_file_shows_the_account_and_the_corrections(client, city_staff, member_a):
    services.correction_propose(person=member_a, changes={"work_unit": "甲单位"})
    client.force_login(city_staff)
    page = client.get(reverse("people:detail", args=[member_a.pk]), {"tab": "portal"})
    text = page.content.decode()
    assert "已激活：用户名 linxm" in text and "待支部审核" in text
    assert reverse("portal:identity", args=[member_a.pk]) in text


def test_a_bad_id_number_is_refused_by_the_person_forms_rule(client, city_staff, member_a):
    client.force_login(city_staff)
    url = reverse("portal:identity", args=[member_a.pk])
    response = client.post(url, {"id_number": "420102197506011234", "reason": "更正"})
    assert response.status_code == 200
    assert 'data-testid="error-id_number"' in response.content.decode()
    assert Person.objects.get(pk=member_a.pk).id_number == member_a.id_number
    assert not IdentityCorrection.objects.exists()
