"""The cadres pages as staff use them: what they show, what they change, and 404 for a record
of another subtree."""

from datetime import date

import pytest
from django.urls import reverse

from tests.cadres.conftest import enter, make_pool
from tests.factories import make_member, make_user
from tongxin.cadres import services
from tongxin.cadres.models import (
    AnnualAssessment,
    CandidateStatus,
    EntrySource,
    PoolCandidate,
    PoolKind,
    PracticeAssignment,
    Recommendation,
)
from tongxin.core.codes import AssessmentGrade

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, city_staff):
    client.force_login(city_staff)
    return client


def test_the_menu_shows_cadres_and_the_index_lists_the_pools(staff, world, reserve, young_member):
    enter(reserve, young_member)
    page = staff.get(reverse("cadres:index"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "干部人才" in text and "后备干部" in text
    assert "45周岁及以下，中级及以上职称" in text


def test_an_empty_index_says_what_to_do(staff, world):
    text = staff.get(reverse("cadres:index")).content.decode()
    assert "本组织还没有人才库" in text and "新建人才库" in text


def test_staff_create_a_pool_with_an_exclusion(staff, world, reserve):
    response = staff.post(
        reverse("cadres:pool_create"),
        {
            "owner": world.city.pk,
            "name": "优秀青年干部",
            "kind": PoolKind.YOUNG,
            "max_age": 40,
            "excludes": [reserve.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    reserve.refresh_from_db()
    assert [p.name for p in reserve.excludes.all()] == ["优秀青年干部"]


def test_a_level_is_added_to_a_pool(staff, reserve):
    staff.post(
        reverse("cadres:pool_level_add", args=[reserve.pk]),
        {"rank_group": "division", "position": "principal", "horizon": "near", "order": 1},
    )
    assert [level.label for level in reserve.levels.all()] == ["县处级正职·近期"]


def test_the_survey_page_lists_the_eligible_and_starts_a_candidate(staff, reserve, young_member):
    page = staff.get(reverse("cadres:survey", args=[reserve.pk]))
    assert "李青" in page.content.decode()
    assert "共 1 人" in page.content.decode()
    response = staff.post(
        reverse("cadres:candidate_create", args=[reserve.pk]),
        {"person": young_member.pk, "on": "2025-07-01", "source": EntrySource.SURVEY},
    )
    candidate = PoolCandidate.objects.get()
    assert response["Location"] == reverse("cadres:candidate", args=[candidate.pk])
    after = staff.get(reverse("cadres:survey", args=[reserve.pk])).content.decode()
    assert "已将 李青 列为「后备干部」的考察人选" in after
    assert "共 0 人" in after


def test_a_candidate_is_talked_to_listed_and_entered_through_the_page(
    staff, reserve, young_member, city_staff
):
    candidate = services.candidate_start(
        pool=reserve, person=young_member, on=date(2025, 7, 1), source=EntrySource.SURVEY
    )
    url = lambda step: reverse("cadres:candidate_step", args=[candidate.pk, step])  # noqa: E731
    staff.post(url("talk"), {"on": "2025-07-02", "talkers": "王主委", "summary": "表示愿意"})
    staff.post(
        url("opinion"),
        {"on": "2025-07-03", "body": "江城大学党委", "conclusion": "agree", "text": ""},
    )
    staff.post(
        url("vote"),
        {"on": "2025-07-04", "meeting": "支部大会", "participants": 20, "votes_for": 18},
    )
    staff.post(url("list"), {"on": "2025-07-05"})
    staff.post(url("decide"), {"on": "2025-07-10", "meeting": "主委会议", "document_no": ""})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ENTERED
    page = staff.get(reverse("cadres:candidate", args=[candidate.pk])).content.decode()
    for step in ("谈心谈话", "征求意见", "民主推荐", "列入初步人选", "研究决定入库"):
        assert step in page
    assert "city_staff" in page  # attributed


def test_a_step_refused_by_a_rule_says_why_and_changes_nothing(staff, reserve, young_member):
    candidate = services.candidate_start(
        pool=reserve, person=young_member, on=date(2025, 7, 1), source=EntrySource.SURVEY
    )
    response = staff.post(
        reverse("cadres:candidate_step", args=[candidate.pk, "list"]), {"on": "2025-07-05"}
    )
    assert response.status_code == 200
    assert "列入初步人选前须记录谈心谈话和所在单位党组织意见" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.SURVEYING


def test_an_exclusive_pool_is_refused_on_the_entry_page_with_both_names(
    staff, world, reserve, young_member
):
    young = make_pool(world.city, name="优秀青年干部", kind=PoolKind.YOUNG, excludes=[reserve])
    enter(reserve, young_member)
    response = staff.post(
        reverse("cadres:entry_create", args=[young.pk]) + f"?person={young_member.pk}",
        {
            "person": young_member.pk,
            "start": "2025-06-01",
            "source": EntrySource.ORGANIZATION,
            "decision_meeting": "主委会议",
            "decision_date": "2025-06-01",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "「后备干部」与「优秀青年干部」互斥" in text
    assert not young.entries.exists()


def test_a_person_typed_by_name_is_found_in_scope(staff, reserve, young_member):
    staff.post(
        reverse("cadres:entry_create", args=[reserve.pk]),
        {
            "person_text": "李青",
            "start": "2025-06-01",
            "source": EntrySource.UNIT,
            "decision_meeting": "主委会议",
            "decision_date": "2025-06-01",
        },
    )
    assert reserve.entries.get().person == young_member


def test_a_non_party_cadre_is_registered_on_the_page(staff, world):
    pool = make_pool(world.city, name="党外干部", kind=PoolKind.NON_PARTY)
    response = staff.post(
        reverse("cadres:register", args=[pool.pk]),
        {
            "org": world.branch_b.pk,
            "start": "2025-06-01",
            "source": EntrySource.UNIT,
            "decision_meeting": "部务会",
            "decision_date": "2025-06-01",
            "name": "钱党外",
            "id_number": "11010519491231002X",
            "work_unit": "江城市水务局",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = pool.entries.get()
    assert entry.person.affiliations.get().org == world.branch_b
    page = staff.get(reverse("people:detail", args=[entry.person.pk]) + "?tab=cadres")
    assert "党外干部" in page.content.decode()


def test_the_entries_list_filters_by_exit_reason_and_period(staff, world, reserve, young_member):
    entry = enter(reserve, young_member)
    services.pool_entry_end(entry=entry, on=date(2025, 9, 1), reason="promoted")
    enter(reserve, make_member(world.branch_a, name="王留", title_level="2"))
    query = "?exit_reason=promoted&ended_from=2025-01-01&ended_to=2025-12-31"
    text = staff.get(reverse("cadres:entries") + query).content.decode()
    assert "共 1 条" in text and "李青" in text and "王留" not in text


def test_the_review_page_lists_who_is_over_age_and_records_a_decision(
    staff, world, reserve, city_staff
):
    old = make_member(world.branch_a, name="老周", birth_date=date(1970, 1, 1), title_level="2")
    entry = enter(reserve, old, on=date(2015, 6, 1))
    page = staff.get(reverse("cadres:review", args=[reserve.pk]) + "?year=2025")
    text = page.content.decode()
    assert "老周" in text and "超龄" in text
    response = staff.post(
        reverse("cadres:review", args=[reserve.pk]) + "?year=2025",
        {
            "entry": entry.pk,
            "year": 2025,
            "decision": "exit",
            "exit_reason": "over_age",
            "reason": "超过45周岁",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.get_exit_reason_display() == "超龄"
    review = entry.reviews.get()
    assert (review.year, review.decision, review.recorded_by) == (2025, "exit", city_staff)


def test_keeping_someone_needs_a_reason(staff, world, reserve):
    old = make_member(world.branch_a, name="老周", birth_date=date(1970, 1, 1), title_level="2")
    entry = enter(reserve, old, on=date(2015, 6, 1))
    response = staff.post(
        reverse("cadres:review", args=[reserve.pk]),
        {"entry": entry.pk, "year": 2025, "decision": "keep", "exit_reason": "", "reason": ""},
    )
    assert response.status_code == 200
    assert not entry.reviews.exists()


def test_an_assessment_is_entered_from_the_person_file(staff, young_member):
    response = staff.post(
        reverse("cadres:assessment_create") + f"?person={young_member.pk}",
        {"person": young_member.pk, "year": 2024, "grade": AssessmentGrade.EXCELLENT, "reason": ""},
    )
    assert response.status_code == 302
    assert AnnualAssessment.objects.get().person == young_member
    tab = staff.get(reverse("people:detail", args=[young_member.pk]) + "?tab=cadres")
    assert "2024" in tab.content.decode() and "优秀" in tab.content.decode()


def test_an_assessment_form_names_the_missing_reason(staff, young_member):
    response = staff.post(
        reverse("cadres:assessment_create") + f"?person={young_member.pk}",
        {"person": young_member.pk, "year": 2024, "grade": AssessmentGrade.NOT_ASSESSED},
    )
    assert "不进行考核须填写原因" in response.content.decode()
    assert not AnnualAssessment.objects.exists()


def test_practice_is_recorded_and_shown_on_the_person_tab(staff, young_member):
    response = staff.post(
        reverse("cadres:practice_create") + f"?person={young_member.pk}",
        {
            "person": young_member.pk,
            "kind": "secondment",
            "place": "江城市江南区人民政府",
            "to_post": "区长助理",
            "start": "2024-03-01",
            "end": "2025-02-28",
            "result": "excellent",
            "evaluated_on": "2025-03-10",
            "evaluation": "工作扎实",
        },
    )
    assert response.status_code == 302
    assert PracticeAssignment.objects.get().to_post == "区长助理"
    tab = staff.get(reverse("people:detail", args=[young_member.pk]) + "?tab=practice")
    assert "区长助理" in tab.content.decode()


def test_a_contact_names_its_people(staff, world, young_member):
    response = staff.post(
        reverse("cadres:contact_create"),
        {
            "owner": world.city.pk,
            "kind": "pairing",
            "on": "2025-01-01",
            "leader": "王书记",
            "leader_post": "区委副书记",
            "people_text": "李青",
            "subject": "结对联系",
        },
    )
    assert response.status_code == 302
    tab = staff.get(reverse("people:detail", args=[young_member.pk]) + "?tab=recommendations")
    assert "结对联系" in tab.content.decode()


def test_the_workbench_counts_missing_assessments_and_links_to_them(
    staff, world, reserve, young_member
):
    enter(reserve, young_member)
    text = staff.get(reverse("workbench")).content.decode()
    assert "年度考核未录入" in text
    missing = staff.get(reverse("cadres:assessments_missing") + f"?org={world.city.pk}")
    assert "李青" in missing.content.decode() and "共 1 人" in missing.content.decode()


@pytest.mark.parametrize(
    "name",
    ["cadres:pool", "cadres:pool_edit", "cadres:survey", "cadres:review", "cadres:entry_create"],
)
def test_a_pool_of_another_subtree_is_404(client, world, name):
    other = make_pool(world.other_city, name="河城后备干部")
    client.force_login(make_user("staff_a", world.branch_a))
    assert client.get(reverse(name, args=[other.pk])).status_code == 404


def test_records_of_another_subtree_are_404(client, world):
    far = make_member(world.other_branch, name="司马远")
    pool = make_pool(world.other_city, name="河城后备干部")
    entry = enter(pool, far)
    other = make_member(world.other_branch, name="欧阳远")
    candidate = services.candidate_start(
        pool=pool, person=other, on=date(2025, 3, 1), source="unit"
    )
    assessment = services.assessment_save(
        assessment=AnnualAssessment(person=far, year=2024, grade="excellent")
    )
    client.force_login(make_user("staff_c", world.city))
    for url in (
        reverse("cadres:entry_exit", args=[entry.pk]),
        reverse("cadres:candidate", args=[candidate.pk]),
        reverse("cadres:assessment_edit", args=[assessment.pk]),
        reverse("cadres:registration_form", args=[far.pk]),
        reverse("cadres:assessment_create") + f"?person={far.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert not Recommendation.objects.exists()
