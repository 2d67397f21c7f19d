"""Selection: the survey lists who meets a pool's conditions and is not in it; talks, opinions,
votes, the initial list and the decision that enters a candidate, each dated and attributed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.cadres.conftest import enter, make_pool
from tests.factories import PersonFactory, make_member, make_user
from tongxin.cadres import selectors, services
from tongxin.cadres.models import CandidateStatus, EntrySource, OpinionConclusion, PoolKind
from tongxin.core.codes import AdminRank, AffiliationKind, PostKind
from tongxin.core.scope import Scope
from tongxin.people.models import Post
from tongxin.people.services import affiliation_start

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 30)


@pytest.fixture
def people(world):
    """Members of the city on ON, one for each way of meeting or missing the conditions."""

    def member(name, born, **fields):
        return make_member(world.branch_a, name=name, birth_date=born, **fields)

    return {
        "fits": member("合格甲", date(1985, 1, 1), title_level="3", education="21"),
        "turns_46": member("超龄乙", date(1979, 6, 29), title_level="2"),
        "is_45": member("刚好丙", date(1979, 7, 1), title_level="2"),
        "junior": member("初级丁", date(1990, 1, 1), title_level="4"),
        "ranked": member("科长戊", date(1988, 1, 1), title_level=""),
        "far": make_member(world.other_branch, name="外市己", birth_date=date(1985, 1, 1)),
    }


def _survey(pool):
    return set(selectors.eligible(scope=Scope.of([pool.owner.path]), pool=pool, on=ON))


def test_the_survey_lists_members_under_the_age_limit_with_the_title(world, reserve, people):
    found = _survey(reserve)
    assert found == {people["fits"], people["is_45"]}


def test_title_or_rank_either_qualifies(world, people):
    Post.objects.create(
        person=people["ranked"],
        kind=PostKind.GOVERNMENT,
        title="科长",
        unit="江城市教育局",
        rank=AdminRank.SECTION_PRINCIPAL,
        start=date(2020, 1, 1),
    )
    pool = make_pool(world.city, max_age=45, min_title_level="3", min_rank="142")
    assert people["ranked"] in _survey(pool)
    assert people["junior"] not in _survey(pool)


def test_the_education_floor_is_a_group_and_above(world, people):
    pool = make_pool(world.city, min_education="2")
    found = _survey(pool)
    assert people["fits"] in found  # 大学本科毕业
    assert people["is_45"] not in found  # no education recorded


def test_people_already_in_the_pool_or_an_exclusive_one_are_not_listed(world, reserve, people):
    young = make_pool(world.city, name="优秀青年干部", kind=PoolKind.YOUNG, excludes=[reserve])
    enter(young, people["fits"], on=date(2025, 1, 1))
    assert people["fits"] not in _survey(reserve)
    enter(reserve, people["is_45"], on=date(2025, 1, 1))
    assert _survey(reserve) == set()


def test_applicants_are_not_surveyed_but_non_party_cadres_are(world, reserve, people):
    """An applicant's file is kept by the branch while the admission runs: not a pool's
    population. A non-party cadre whose file the committee keeps is."""
    kept = {}
    for name, kind in (
        ("申请庚", AffiliationKind.APPLICANT),
        ("党外辛", AffiliationKind.NON_PARTY_CADRE),
    ):
        person = PersonFactory.build(name=name, birth_date=date(1986, 1, 1), title_level="3")
        person.save()
        affiliation_start(person=person, org=world.branch_a, kind=kind, on=date(2025, 1, 1))
        kept[kind] = person
    applicant, cadre = kept[AffiliationKind.APPLICANT], kept[AffiliationKind.NON_PARTY_CADRE]
    found = _survey(reserve)
    assert cadre in found and applicant not in found


def test_the_survey_of_a_branch_pool_stays_in_the_branch(world, people):
    pool = make_pool(world.branch_b, name="医卫支部人才", max_age=60)
    assert _survey(pool) == set()


@pytest.fixture
def candidate(reserve, people, city_staff):
    return services.candidate_start(
        pool=reserve,
        person=people["fits"],
        on=date(2025, 7, 1),
        source=EntrySource.SURVEY,
        by=city_staff,
    )


def test_a_candidate_is_entered_after_talk_opinion_vote_list_and_decision(
    candidate, reserve, city_staff
):
    talk = services.talk_record(
        candidate=candidate,
        on=date(2025, 7, 5),
        talkers="王主委、李部长",
        summary="愿意",
        by=city_staff,
    )
    with pytest.raises(ValidationError, match="所在单位党组织意见"):
        services.candidate_list(candidate=candidate, on=date(2025, 7, 6), by=city_staff)
    services.opinion_record(
        candidate=candidate,
        on=date(2025, 7, 8),
        body="江城大学党委",
        conclusion=OpinionConclusion.AGREE,
        by=city_staff,
    )
    services.vote_record(
        candidate=candidate,
        on=date(2025, 7, 10),
        meeting="支部全体盟员大会",
        participants=30,
        votes_for=27,
        by=city_staff,
    )
    with pytest.raises(ValidationError, match="须先列入初步人选"):
        services.candidate_decide(candidate=candidate, on=date(2025, 7, 11), meeting="主委会议")
    services.candidate_list(candidate=candidate, on=date(2025, 7, 12), by=city_staff)
    entry = services.candidate_decide(
        candidate=candidate, on=date(2025, 7, 20), meeting="第十二届主委会第三次会议", by=city_staff
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ENTERED
    assert candidate.entry == entry
    assert (entry.source, entry.decision_meeting, entry.decision_date, entry.created_by) == (
        EntrySource.SURVEY,
        "第十二届主委会第三次会议",
        date(2025, 7, 20),
        city_staff,
    )
    assert (talk.recorded_by, candidate.listed_by, candidate.listed_on) == (
        city_staff,
        city_staff,
        date(2025, 7, 12),
    )


def test_a_vote_cannot_exceed_the_participants(candidate):
    with pytest.raises(ValidationError, match="得票数不能多于参加人数"):
        services.vote_record(
            candidate=candidate, on=date(2025, 7, 10), meeting="大会", participants=10, votes_for=11
        )
    assert not candidate.votes.exists()


def test_a_step_cannot_be_dated_before_the_candidate_was_found(candidate):
    with pytest.raises(ValidationError, match="不能早于列入考察的日期"):
        services.talk_record(candidate=candidate, on=date(2025, 6, 1), talkers="王", summary="谈")


def test_a_dropped_candidate_takes_no_more_steps(candidate):
    services.candidate_drop(candidate=candidate, on=date(2025, 7, 3), note="本人婉拒")
    with pytest.raises(ValidationError, match="考察已结束"):
        services.talk_record(candidate=candidate, on=date(2025, 7, 5), talkers="王", summary="谈")


def test_a_candidate_leaves_the_survey_list(candidate, reserve, people):
    assert candidate.person not in _survey(reserve)


def test_a_candidate_from_another_subtree_is_refused(reserve, people):
    with pytest.raises(ValidationError, match="不在「民盟江城市委员会」的管理范围内"):
        services.candidate_start(
            pool=reserve, person=people["far"], on=ON, source=EntrySource.SURVEY
        )


def test_staff_of_branch_a_cannot_reach_a_city_candidate(candidate, world):
    staff = make_user("staff_a2", world.branch_a)
    from tongxin.core.scope import Scope as S

    scope = S.for_user(staff)
    with pytest.raises(Exception) as caught:
        selectors.get_candidate(scope=scope, pk=candidate.pk)
    assert caught.value.__class__.__name__ == "Http404"
