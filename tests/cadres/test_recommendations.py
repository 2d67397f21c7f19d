"""Recommendation and use: the steps as data, votes, the dated post created on 任用 (and counted
in the statistics' rank groups), and the rule 不培训不上岗 asked of the training app — refusing,
or warning with a written reason kept on the record."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from tongxin.training.models import Enforcement, TrainingRequirement

from tests.cadres.helpers import train
from tests.factories import make_member
from tongxin.cadres import services
from tongxin.cadres.models import (
    Recommendation,
    RecommendationStatus,
    RecommendationStep,
)
from tongxin.core.codes import AdminRank, PoliticalBody, PoliticalLevel, PostKind
from tongxin.core.scope import Scope
from tongxin.people import selectors as people_selectors
from tongxin.people.models import Post

pytestmark = pytest.mark.django_db

STARTED = date(2025, 3, 1)


@pytest.fixture
def member(world):
    return make_member(world.branch_a, name="李青", birth_date=date(1985, 1, 1), title_level="3")


def _government(world, person, **fields):
    values = dict(
        owner=world.city,
        person=person,
        direction="external",
        post_kind=PostKind.GOVERNMENT,
        title="副区长",
        unit="江城市江南区人民政府",
        rank=AdminRank.DIVISION_DEPUTY,
        started_on=STARTED,
    )
    values.update(fields)
    return services.recommendation_create(recommendation=Recommendation(**values))


def _through(recommendation, until: str, day=date(2025, 4, 1), **fields):
    """Complete steps up to (not including) the step named ``until``."""
    while recommendation.current_step and recommendation.current_step.name != until:
        step = recommendation.current_step
        votes = {"participants": 30, "votes_for": 25} if step.role == "vote" else {}
        services.recommendation_advance(recommendation=recommendation, on=day, **votes, **fields)
        recommendation.refresh_from_db()
    return recommendation


def _rule(enforcement=Enforcement.REFUSE, post_kind=PostKind.GOVERNMENT):
    return TrainingRequirement.objects.create(
        name="实职安排须经中青年骨干培训",
        post_kind=post_kind,
        class_types=["young_backbone"],
        within_years=5,
        enforcement=enforcement,
    )


def test_the_default_flow_has_five_steps_ending_with_appointment(world, member):
    recommendation = _government(world, member)
    names = list(RecommendationStep.objects.filter(org=None).values_list("name", flat=True))
    assert names == ["民主推荐", "组织考察", "讨论决定", "公示", "任用"]
    assert recommendation.current_step.name == "民主推荐"


def test_democratic_recommendation_needs_the_votes(world, member):
    recommendation = _government(world, member)
    with pytest.raises(ValidationError, match="参加人数和得票数"):
        services.recommendation_advance(recommendation=recommendation, on=date(2025, 3, 5))
    assert not recommendation.events.exists()


def test_appointment_creates_the_dated_post_counted_in_the_rank_groups(world, member):
    recommendation = _through(_government(world, member), "任用")
    services.recommendation_advance(
        recommendation=recommendation, on=date(2025, 5, 8), document_no="江政任〔2025〕8号"
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.APPOINTED
    post = recommendation.post
    assert (post.person, post.kind, post.rank, post.start, post.document_no) == (
        member,
        PostKind.GOVERNMENT,
        AdminRank.DIVISION_DEPUTY,
        date(2025, 5, 8),
        "江政任〔2025〕8号",
    )
    # The roster's rank-group filter (the statistics' 县处级) finds the member from that day.
    filters = people_selectors.RosterFilter(rank_group="县处级")
    on_day = people_selectors.roster(
        scope=Scope(everything=True), org=world.city, on=date(2025, 5, 8), filters=filters
    )
    before = people_selectors.roster(
        scope=Scope(everything=True), org=world.city, on=date(2025, 5, 7), filters=filters
    )
    assert list(on_day) == [member] and not before.exists()


def test_an_internal_seat_becomes_a_party_post_of_that_committee(world, member):
    recommendation = services.recommendation_create(
        recommendation=Recommendation(
            owner=world.city,
            person=member,
            direction="internal",
            post_kind=PostKind.PARTY,
            title="支部副主委",
            target_org=world.branch_a,
            started_on=STARTED,
        )
    )
    _through(recommendation, "")
    recommendation.refresh_from_db()
    assert (recommendation.post.kind, recommendation.post.org) == (PostKind.PARTY, world.branch_a)


def test_a_political_arrangement_needs_body_and_level(world, member):
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(
            recommendation=Recommendation(
                owner=world.city,
                person=member,
                direction="external",
                post_kind=PostKind.POLITICAL,
                title="政协委员",
                started_on=STARTED,
            )
        )
    assert "政治安排须选择类别" in str(caught.value)
    recommendation = services.recommendation_create(
        recommendation=Recommendation(
            owner=world.city,
            person=member,
            direction="external",
            post_kind=PostKind.POLITICAL,
            title="政协委员",
            body=PoliticalBody.CPPCC_MEMBER,
            level=PoliticalLevel.CITY,
            term="第十五届",
            started_on=STARTED,
        )
    )
    _through(recommendation, "")
    post = Post.objects.get(person=member)
    assert (post.body, post.level, post.term) == ("cppcc_member", "city", "第十五届")


def test_an_internal_recommendation_must_be_a_party_post(world, member):
    with pytest.raises(ValidationError, match="内用推荐的是会内职务"):
        _government(world, member, direction="internal")


def test_the_training_rule_refuses_an_appointment_and_names_the_rule(world, member):
    _rule()
    recommendation = _through(_government(world, member), "任用")
    with pytest.raises(ValidationError) as caught:
        services.recommendation_advance(recommendation=recommendation, on=date(2025, 5, 8))
    message = " ".join(caught.value.messages)
    assert "「实职安排须经中青年骨干培训」" in message and "不能办理「任用」" in message
    recommendation.refresh_from_db()
    assert recommendation.current_step.name == "任用"
    assert not Post.objects.filter(person=member).exists()


def test_a_trained_member_is_appointed_under_the_rule(world, member):
    _rule()
    train(world, member, end=date(2024, 10, 20))
    recommendation = _through(_government(world, member), "任用")
    services.recommendation_advance(recommendation=recommendation, on=date(2025, 5, 8))
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.APPOINTED


def test_a_warning_rule_needs_a_written_reason_kept_on_the_record(world, member):
    _rule(enforcement=Enforcement.WARN)
    recommendation = _through(_government(world, member), "任用")
    with pytest.raises(ValidationError, match="须填写理由"):
        services.recommendation_advance(recommendation=recommendation, on=date(2025, 5, 8))
    event = services.recommendation_advance(
        recommendation=recommendation, on=date(2025, 5, 8), warning_reason="已报名下期培训班"
    )
    assert "实职安排须经中青年骨干培训" in event.rule_warning
    assert event.warning_reason == "已报名下期培训班"
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.APPOINTED


def test_a_step_configured_to_check_refuses_at_recommendation(world, member):
    RecommendationStep.objects.filter(org=None, name="民主推荐").update(checks_training=True)
    _rule()
    recommendation = _government(world, member)
    with pytest.raises(ValidationError, match="实职安排须经中青年骨干培训"):
        services.recommendation_advance(
            recommendation=recommendation, on=date(2025, 3, 5), participants=30, votes_for=25
        )
    assert not recommendation.events.exists()


def test_a_committee_may_set_its_own_steps(world, member):
    for order, (name, role) in enumerate((("考察", "plain"), ("任用", "appoint"))):
        RecommendationStep.objects.create(org=world.city, name=name, order=order, role=role)
    recommendation = _government(world, member)
    assert recommendation.current_step.name == "考察"
    _through(recommendation, "")
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.APPOINTED
    assert recommendation.events.count() == 2


def test_a_stopped_recommendation_takes_no_more_steps(world, member):
    recommendation = _government(world, member)
    services.recommendation_stop(recommendation=recommendation, on=date(2025, 3, 9), reason="调动")
    with pytest.raises(ValidationError, match="已终止"):
        services.recommendation_advance(recommendation=recommendation, on=date(2025, 3, 10))


def test_steps_cannot_go_back_in_time(world, member):
    recommendation = _government(world, member)
    with pytest.raises(ValidationError, match="不能早于"):
        services.recommendation_advance(
            recommendation=recommendation, on=date(2025, 2, 1), participants=3, votes_for=2
        )


# --- the pages -------------------------------------------------------------------------------


def test_the_page_shows_the_refusal_in_red_with_the_rule_and_refuses_the_post(
    client, city_staff, world, member
):
    _rule()
    recommendation = _through(_government(world, member), "任用")
    client.force_login(city_staff)
    page = client.get(reverse("cadres:recommendation", args=[recommendation.pk])).content.decode()
    assert 'data-testid="rule-refusal"' in page and "实职安排须经中青年骨干培训" in page
    response = client.post(
        reverse("cadres:recommendation_advance", args=[recommendation.pk]),
        {"on": "2025-05-08", "opinion": "", "document_no": ""},
    )
    assert response.status_code == 200
    assert "不能办理「任用」" in response.content.decode()
    assert not Post.objects.filter(person=member).exists()


def test_the_page_asks_for_a_reason_when_the_rule_only_warns(client, city_staff, world, member):
    _rule(enforcement=Enforcement.WARN)
    recommendation = _through(_government(world, member), "任用")
    client.force_login(city_staff)
    page = client.get(reverse("cadres:recommendation", args=[recommendation.pk])).content.decode()
    assert 'data-testid="rule-warning"' in page and 'name="warning_reason"' in page
    url = reverse("cadres:recommendation_advance", args=[recommendation.pk])
    refused = client.post(url, {"on": "2025-05-08"})
    assert "须填写理由" in refused.content.decode()
    client.post(url, {"on": "2025-05-08", "warning_reason": "已报名下期培训班"})
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.APPOINTED
    page = client.get(reverse("cadres:recommendation", args=[recommendation.pk])).content.decode()
    assert "已报名下期培训班" in page


def test_staff_recommend_from_the_person_file(client, city_staff, world, member):
    client.force_login(city_staff)
    response = client.post(
        reverse("cadres:recommendation_create") + f"?person={member.pk}",
        {
            "person": member.pk,
            "owner": world.city.pk,
            "direction": "external",
            "post_kind": PostKind.GOVERNMENT,
            "title": "副局长",
            "unit": "江城市科技局",
            "rank": AdminRank.DIVISION_DEPUTY,
            "started_on": "2025-03-01",
        },
    )
    recommendation = Recommendation.objects.get()
    assert response["Location"] == reverse("cadres:recommendation", args=[recommendation.pk])
    tab = client.get(reverse("people:detail", args=[member.pk]) + "?tab=recommendations")
    assert "副局长" in tab.content.decode() and "民主推荐" in tab.content.decode()


def test_a_government_recommendation_without_rank_is_refused_on_the_page(
    client, city_staff, world, member
):
    client.force_login(city_staff)
    response = client.post(
        reverse("cadres:recommendation_create"),
        {
            "person_text": "李青",
            "owner": world.city.pk,
            "direction": "external",
            "post_kind": PostKind.GOVERNMENT,
            "title": "副局长",
            "unit": "江城市科技局",
            "started_on": "2025-03-01",
        },
    )
    assert "实职安排须填写职务级别" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_recommendation_of_another_subtree_is_404(client, world):
    from tests.factories import make_user

    far = make_member(world.other_branch, name="远")
    recommendation = _government(world, far, owner=world.other_city)
    client.force_login(make_user("staff_c", world.city))
    assert client.get(reverse("cadres:recommendation", args=[recommendation.pk])).status_code == 404
