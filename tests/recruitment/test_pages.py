"""The 组织发展 pages as staff use them: the list by step, a new application, the timeline and
its step forms (refusals in red with the rule named, warnings asking for a reason), ending an
application, attachments, the procedure page, the person tab and the workbench."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_user
from tests.recruitment.helpers import APPLIED, apply, candidate, introducers, walk
from tongxin.accounts.roles import Role
from tongxin.audit.models import Event
from tongxin.people.models import Person
from tongxin.recruitment.models import (
    Application,
    Attachment,
    Procedure,
    Refusal,
    StepRecord,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return make_user("city_staff", world.city)


@pytest.fixture
def sponsors(world):
    return introducers(world.branch_a)


def _step_url(application, name):
    step = application.procedure.steps.get(name=name)
    return reverse("recruitment:step", args=[application.pk, step.pk]), f"step{step.pk}"


def test_the_list_shows_applications_by_step_and_each_count_opens_its_list(
    client, world, staff, sponsors
):
    walk(apply(candidate(name="林新"), world.branch_a, staff), staff, sponsors, until="考察")
    apply(candidate(name="韩雪"), world.branch_g1, staff)
    client.force_login(staff)
    page = client.get(reverse("recruitment:index"), {"org": world.city.pk})
    assert page.status_code == 200
    by_stage = page.context["by_stage"]
    assert (by_stage["申请"].value, by_stage["考察"].value, by_stage["介绍人"].value) == (1, 1, 0)
    for name, figure in by_stage.items():
        listed = client.get(figure.url)
        assert listed.context["page"].paginator.count == figure.value, name
    only_inspected = client.get(by_stage["考察"].url)
    assert [r["application"].person.name for r in only_inspected.context["rows"]] == ["林新"]


def test_a_new_person_applies_and_is_in_the_branchs_scope(client, world, staff):
    client.force_login(staff)
    response = client.post(
        reverse("recruitment:create") + f"?org={world.city.pk}",
        {
            "person-name": "林新",
            "person-id_number": "513101198201130014",
            "person-gender": "1",
            "person-education": "14",
            "person-title": "副教授",
            "person-work_unit": "江城大学",
            "person-sector": "education",
            "app-branch": world.branch_a.pk,
            "app-applied_on": "2025-01-06",
            "app-opinion": "提交书面申请",
        },
        follow=True,
    )
    assert "已登记 林新 申请加入「江城大学第一支部」" in response.content.decode()
    application = Application.objects.get()
    assert (application.person.birth_date.isoformat(), application.person.title_level) == (
        "1982-01-13",
        "2",
    )
    assert application.affiliation.org == world.branch_a
    client.force_login(make_user("staff_a", world.branch_a))
    assert client.get(reverse("people:detail", args=[application.person.pk])).status_code == 200
    client.force_login(make_user("staff_b", world.branch_b))
    assert client.get(reverse("people:detail", args=[application.person.pk])).status_code == 404


def test_a_warning_on_a_new_application_asks_for_a_reason_and_changes_nothing(client, world, staff):
    client.force_login(staff)
    data = {
        "person-name": "林新",
        "person-birth_date": "1960-02-01",
        "person-gender": "1",
        "person-education": "14",
        "person-title": "教授",
        "person-work_unit": "江城大学",
        "person-sector": "education",
        "app-branch": world.branch_a.pk,
        "app-applied_on": "2025-01-06",
    }
    url = reverse("recruitment:create") + f"?org={world.city.pk}"
    response = client.post(url, data)
    body = response.content.decode()
    assert "以下规则为提醒" in body and "不符合规则「年龄一般不超过55周岁」" in body
    assert not Person.objects.exists()
    rule_pk = response.context["warnings"][0][0].rule.pk
    response = client.post(url, {**data, f"reason_{rule_pk}": "学科带头人"}, follow=True)
    assert "已登记 林新" in response.content.decode()


def test_a_refused_step_shows_the_rule_in_red_and_the_refusal_stays_on_the_timeline(
    client, world, staff, sponsors
):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    client.force_login(staff)
    url, prefix = _step_url(application, "支部讨论")
    response = client.post(
        url,
        {
            f"{prefix}-on": (APPLIED + timedelta(days=100)).isoformat(),
            f"{prefix}-expected": 9,
            f"{prefix}-present": 7,
            f"{prefix}-votes_for": 6,
            f"{prefix}-votes_against": 1,
            f"{prefix}-votes_abstain": 0,
        },
    )
    body = response.content.decode()
    assert "不符合规则「培养考察期不少于6个月」" in body
    assert 'data-testid="refusal-record"' in body
    assert Refusal.objects.filter(application=application).count() == 1
    assert not application.records.filter(step__name="支部讨论").exists()


def test_the_introducers_are_named_and_a_name_outside_the_scope_is_bad_input(
    client, world, staff, sponsors
):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="征求所在单位党组织意见"
    )
    client.force_login(staff)
    url, prefix = _step_url(application, "介绍人")
    on = (APPLIED + timedelta(days=90)).isoformat()
    response = client.post(url, {f"{prefix}-on": on, f"{prefix}-introducers": "无此人"})
    assert "管理范围内没有“无此人”" in response.content.decode()
    names = "、".join(p.name for p in sponsors)
    response = client.post(url, {f"{prefix}-on": on, f"{prefix}-introducers": names}, follow=True)
    assert "已记录「介绍人」（2025-04-06）" in response.content.decode()
    record = application.records.get(step__name="介绍人")
    assert sorted(i.person.name for i in record.introducers.all()) == sorted(names.split("、"))


def test_a_late_step_asks_for_a_reason_then_keeps_it(client, world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="联系培养、谈话"
    )
    client.force_login(staff)
    url, prefix = _step_url(application, "考察")
    data = {f"{prefix}-on": "2026-02-01", f"{prefix}-opinion": "考察合格"}
    response = client.post(url, data)
    assert "请填写继续办理的理由" in response.content.decode()
    assert not application.records.filter(step__name="考察").exists()
    rule = application.procedure.rules.get(name="申请后12个月内完成考察")
    client.post(url, {**data, f"{prefix}-reason_{rule.pk}": "出国访学"})
    warning = application.records.get(step__name="考察").warnings.get()
    assert warning.reason == "出国访学"
    page = client.get(reverse("recruitment:detail", args=[application.pk]))
    assert "提醒「申请后12个月内完成考察」" in page.content.decode()


def test_ending_an_application_says_what_happened(client, world, staff):
    application = apply(candidate(), world.branch_a, staff)
    client.force_login(staff)
    response = client.post(
        reverse("recruitment:end", args=[application.pk]),
        {"end-status": "withdrawn", "end-on": "2025-02-01", "end-reason": "工作调动"},
        follow=True,
    )
    assert "林新 的入会申请已办结：本人撤回" in response.content.decode()


def _pdf(name="意见.pdf", body=b"%PDF-1.4\n%test\ntrailer\n<<>>\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_attachments_are_checked_kept_on_disk_and_served_only_in_scope(
    client, world, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = apply(candidate(), world.branch_a, staff)
    record = application.records.get()
    client.force_login(staff)
    url = reverse("recruitment:attach", args=[application.pk, record.pk])
    response = client.post(url, {"files": [_pdf()]}, follow=True)
    assert "已为「申请」添加附件：意见.pdf" in response.content.decode()
    attachment = Attachment.objects.get()
    assert (tmp_path / attachment.file.name).read_bytes().startswith(b"%PDF")
    download = client.get(reverse("recruitment:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert Event.objects.filter(kind="export", summary__contains="意见.pdf").exists()

    disguised = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url, {"files": [disguised]}, follow=True)
    assert "「病毒.pdf」的内容不是 PDF 文件" in response.content.decode()
    response = client.post(url, {"files": [SimpleUploadedFile("a.exe", b"MZ")]}, follow=True)
    assert "「a.exe」的类型不能作为附件上传" in response.content.decode()
    settings.TONGXIN_ATTACHMENT_MAX_MB = 0
    response = client.post(url, {"files": [_pdf("大.pdf")]}, follow=True)
    assert "「大.pdf」有 0.0 MB，超过每个附件 0 MB 的上限" in response.content.decode()
    assert Attachment.objects.count() == 1

    client.force_login(make_user("staff_b", world.branch_b))
    assert client.get(reverse("recruitment:attachment", args=[attachment.pk])).status_code == 404


def test_a_word_attachment_must_be_a_word_package(client, world, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = apply(candidate(), world.branch_a, staff)
    record = application.records.get()
    client.force_login(staff)
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as package:
        package.writestr("xl/workbook.xml", "<x/>")
    response = client.post(
        reverse("recruitment:attach", args=[application.pk, record.pk]),
        {"files": [SimpleUploadedFile("申请表.docx", fake.getvalue())]},
        follow=True,
    )
    assert "「申请表.docx」的内容不是 Word 文档（.docx）" in response.content.decode()


def test_the_pages_of_another_subtree_are_404(client, world, staff, sponsors):
    application = walk(apply(candidate(), world.branch_b, staff), staff, sponsors, until="考察")
    record = application.records.first()
    client.force_login(make_user("staff_a", world.branch_a))
    step = application.procedure.steps.get(name="征求所在单位党组织意见")
    for url in (
        reverse("recruitment:detail", args=[application.pk]),
        reverse("recruitment:step", args=[application.pk, step.pk]),
        reverse("recruitment:end", args=[application.pk]),
        reverse("recruitment:attach", args=[application.pk, record.pk]),
        reverse("recruitment:form_docx", args=[application.pk]),
        reverse("recruitment:index") + f"?org={world.branch_b.pk}",
    ):
        method = client.post if url.endswith("/end/") or "attachments" in url else client.get
        assert method(url).status_code == 404, url
    listed = client.get(reverse("recruitment:index"))
    assert listed.context["page"].paginator.count == 0


def test_a_branch_chair_reads_but_does_not_record(client, world, staff):
    application = apply(candidate(), world.branch_a, staff)
    chair = make_user("chair_a", world.branch_a, roles=(Role.BRANCH_CHAIR,))
    client.force_login(chair)
    page = client.get(reverse("recruitment:detail", args=[application.pk]))
    assert page.status_code == 200 and "记录「联系培养、谈话」" not in page.content.decode()
    url, prefix = _step_url(application, "联系培养、谈话")
    assert client.post(url, {f"{prefix}-on": "2025-02-01"}).status_code == 403
    assert StepRecord.objects.count() == 1


def test_the_procedure_page_names_the_rules_in_force(client, world, staff):
    client.force_login(staff)
    page = client.get(reverse("recruitment:procedure"), {"org": world.branch_a.pk})
    body = page.content.decode()
    assert "通用入会程序" in body and "培养考察期不少于6个月" in body


def test_the_person_file_lists_the_applications(client, world, staff):
    application = apply(candidate(), world.branch_a, staff)
    client.force_login(staff)
    page = client.get(
        reverse("people:detail", args=[application.person.pk]), {"tab": "recruitment"}
    )
    assert reverse("recruitment:detail", args=[application.pk]) in page.content.decode()


def test_the_workbench_counts_what_waits_and_links_to_it(client, world, staff, sponsors):
    walk(apply(candidate(), world.branch_a, staff), staff, sponsors, until="联系培养、谈话")
    blocked = walk(
        apply(candidate(name="韩雪"), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    url, prefix = _step_url(blocked, "支部讨论")
    client.force_login(staff)
    client.post(url, {f"{prefix}-on": "2025-05-01", f"{prefix}-expected": 9})  # bad input
    client.post(
        url,
        {
            f"{prefix}-on": "2025-05-01",
            f"{prefix}-expected": 9,
            f"{prefix}-present": 7,
            f"{prefix}-votes_for": 6,
            f"{prefix}-votes_against": 1,
            f"{prefix}-votes_abstain": 0,
        },
    )
    page = client.get(reverse("workbench"))
    todos = {card.title: card for card in page.context["cards"][0]["todos"]}
    assert todos["办理中的入会申请"].count == 2
    assert todos["被规则拒绝的申请"].count == 1
    assert todos["超过办理时限的申请"].count == 1  # 考察 due by 2026-01-06
    for card in todos.values():
        if card.url.startswith(reverse("recruitment:index")):
            assert client.get(card.url).context["page"].paginator.count == card.count


def test_the_system_administrator_edits_the_rules_in_the_back_office(client, world):
    from tongxin.accounts.roles import Role

    admin = make_user("xitong", roles=(Role.SYSTEM_ADMIN,))
    client.force_login(admin)
    assert client.get(reverse("admin:recruitment_procedure_changelist")).status_code == 200
    procedure = Procedure.objects.get()
    page = client.get(reverse("admin:recruitment_procedure_change", args=[procedure.pk]))
    assert page.status_code == 200 and "培养考察期不少于6个月" in page.content.decode()
    response = client.post(
        reverse("admin:recruitment_procedure_changelist"),
        {"action": "copy", "_selected_action": [procedure.pk]},
        follow=True,
    )
    assert "已复制 1 个程序" in response.content.decode()
    assert Procedure.objects.filter(name="通用入会程序（副本）").exists()
    client.force_login(make_user("staff_x", world.city))
    assert client.get(reverse("admin:recruitment_procedure_changelist")).status_code == 302


def test_programmes_are_offered_within_the_scope_and_above_it(client, world, staff):
    from tongxin.orgs.models import Organization
    from tongxin.recruitment.models import Programme

    Programme.objects.create(
        org=Organization.objects.get(code="P"), name="省优才", start_year=2025, end_year=2029
    )
    Programme.objects.create(org=world.city, name="江城优才", start_year=2025, end_year=2029)
    Programme.objects.create(org=world.other_city, name="河城优才", start_year=2025, end_year=2029)
    client.force_login(make_user("staff_a", world.branch_a))
    page = client.get(reverse("recruitment:create")).content.decode()
    assert "省优才" in page and "江城优才" in page and "河城优才" not in page


def test_an_existing_non_member_in_scope_is_found_and_applies(client, world, staff):
    from tests.factories import make_member
    from tongxin.core.codes import AffiliationKind
    from tongxin.people import services as people_services

    make_member(world.branch_a, name="张在册")
    cadre = candidate(name="张党外")
    cadre.save()
    people_services.affiliation_start(
        person=cadre, org=world.branch_a, kind=AffiliationKind.NON_PARTY_CADRE, on=APPLIED
    )
    client.force_login(staff)
    page = client.get(reverse("recruitment:create"), {"q": "张"})
    assert [p.name for p in page.context["found"]] == ["张党外"]
    response = client.post(
        reverse("recruitment:create"),
        {"person": cadre.pk, "app-branch": world.branch_a.pk, "app-applied_on": "2025-02-01"},
        follow=True,
    )
    assert "已登记 张党外 申请加入「江城大学第一支部」" in response.content.decode()
    assert Person.objects.filter(name="张党外").count() == 1


def test_the_organization_page_has_a_recruitment_tab(client, world, staff):
    apply(candidate(), world.branch_a, staff)
    client.force_login(staff)
    page = client.get(reverse("orgs:detail", args=[world.city.pk]), {"tab": "recruitment"})
    assert page.status_code == 200
    assert page.context["recruitment_by_stage"]["申请"].value == 1
    assert "本组织没有正在执行的发展计划" in page.content.decode()


def test_the_list_reads_a_pages_applications_once_with_their_people(client, world, staff):
    for name in ("林新", "韩雪", "周明"):
        apply(candidate(name=name), world.branch_a, staff)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("recruitment:index"), {"org": world.city.pk})
    rows = [q["sql"] or "" for q in queries.captured_queries]
    read_with_people = [
        sql
        for sql in rows
        if 'FROM "recruitment_application"' in sql and 'JOIN "people_person"' in sql
    ]
    assert len(read_with_people) == 1
    shown = sorted(r["application"].person.name for r in page.context["rows"])
    assert shown == sorted(["林新", "韩雪", "周明"])
