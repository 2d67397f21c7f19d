"""Drafts of 参政议政 work become contributions the member follows; the member record is
compiled from what staff keep and downloads as a Word document."""

import io
from datetime import date

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from tongxin.branchwork import services as branchwork_services
from tongxin.branchwork.models import Activity, ActivityKind, Adoption, AdoptionRung, Contribution
from tongxin.core.codes import PostKind
from tongxin.core.scope import Scope
from tongxin.people.models import Honor, Post
from tongxin.portal.models import Draft

pytestmark = pytest.mark.django_db


def test_a_draft_becomes_a_contribution_the_member_follows(client, world, city_staff, member_a):
    client.force_login(member_a.user)
    response = client.post(
        reverse("member:drafts"),
        {"kind": "social_report", "title": "关于社区养老的建议", "body": "调研发现……"},
    )
    draft = Draft.objects.get()
    assert response["Location"] == reverse("member:draft", args=[draft.pk])
    client.force_login(city_staff)
    client.post(reverse("portal:draft_take", args=[draft.pk]))
    draft.refresh_from_db()
    contribution = Contribution.objects.get()
    assert draft.state == "taken" and draft.contribution == contribution
    assert contribution.kind == "social_report" and contribution.title == "关于社区养老的建议"
    assert list(contribution.authors.values_list("person__name", flat=True)) == ["林小满"]
    branchwork_services.adoption_save(
        adoption=Adoption(
            contribution=contribution,
            rung=AdoptionRung.CITY,
            on=timezone.localdate(),
            document="江城盟讯2026年第3期",
        )
    )
    client.force_login(member_a.user)
    page = client.get(reverse("member:draft", args=[draft.pk])).content.decode()
    assert "已转为参政议政成果" in page and "市委会采用" in page


def test_an_empty_draft_is_refused(client, member_a):
    client.force_login(member_a.user)
    response = client.post(reverse("member:drafts"), {"kind": "proposal", "title": "", "body": ""})
    assert 'data-testid="error-title"' in response.content.decode()
    assert not Draft.objects.exists()


def test_a_returned_draft_keeps_its_reason(client, city_staff, member_a):
    draft = Draft.objects.create(person=member_a, kind="proposal", title="提案稿", body="内容")
    client.force_login(city_staff)
    response = client.post(reverse("portal:draft_return", args=[draft.pk]), follow=True)
    assert "退回须写明理由" in response.content.decode()
    client.post(reverse("portal:draft_return", args=[draft.pk]), {"opinion": "请补充调研数据"})
    draft.refresh_from_db()
    assert (draft.state, draft.reason) == ("returned", "请补充调研数据")


def test_a_member_gets_404_for_another_members_draft(client, member_a, member_b, chair_a):
    draft = Draft.objects.create(person=member_b, kind="proposal", title="乙的提案稿", body="内容")
    client.force_login(member_a.user)
    assert client.get(reverse("member:draft", args=[draft.pk])).status_code == 404
    assert "乙的提案稿" not in client.get(reverse("member:drafts")).content.decode()
    # Nor does branch A's chair see it, and cannot take it forward.
    client.force_login(chair_a)
    assert "乙的提案稿" not in client.get(reverse("portal:drafts")).content.decode()
    assert client.post(reverse("portal:draft_take", args=[draft.pk])).status_code in (403, 404)


def test_the_record_is_compiled_from_the_records_and_downloads_as_word(
    client, world, member_a, member_b
):
    everything = Scope(everything=True)
    branchwork_services.activity_save(
        activity=Activity(
            org=world.branch_a, date=date(2025, 5, 1), kind=ActivityKind.STUDY, title="五月学习会"
        ),
        expected=[member_a.pk],
        present=[member_a.pk],
        scope=everything,
    )
    Honor.objects.create(
        person=member_a,
        title="市优秀政协委员",
        level="city",
        conferred_by="江城市政协",
        conferred_on=date(2024, 1, 10),
    )
    Post.objects.create(person=member_a, kind=PostKind.SOCIAL, title="理事", unit="江城市侨联")
    Honor.objects.create(
        person=member_b,
        title="乙的荣誉",
        level="city",
        conferred_by="江城市",
        conferred_on=date(2024, 1, 10),
    )
    client.force_login(member_a.user)
    page = client.get(reverse("member:record")).content.decode()
    assert "五月学习会" in page and "市优秀政协委员" in page and "江城市侨联" in page
    assert "乙的荣誉" not in page
    assert "江城大学" in page  # the member's own information, the ID number and phone masked
    assert member_a.id_number not in page and member_a.phone not in page
    response = client.get(reverse("member:record_docx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "林小满 履职档案" in text
    assert "五月学习会" in cells and "市优秀政协委员" in cells
    assert "乙的荣誉" not in cells


def test_an_empty_item_of_the_record_is_said_to_be_empty(client, member_a):
    from tongxin.people.models import Person

    Person.objects.filter(pk=member_a.pk).update(school_major="")
    client.force_login(member_a.user)
    page = client.get(reverse("member:record")).content.decode()
    assert "<span>毕业院校及专业</span> · <span>（未登记）</span>" in page
