"""The writes of branch work: liaison, activities with their attendance, contributions and their
ladder. Each refusal names what is wrong and changes nothing."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import make_member
from tongxin.branchwork import services
from tongxin.branchwork.models import (
    Activity,
    ActivityKind,
    Adoption,
    AdoptionRung,
    Attendance,
    Contribution,
    ContributionAuthor,
    ContributionKind,
    LiaisonAssignment,
    LiaisonVisit,
)
from tongxin.core.scope import Scope
from tongxin.people import services as people_services

pytestmark = pytest.mark.django_db

EVERYTHING = Scope(everything=True)
DAY = date(2025, 4, 10)


def _activity(org, **fields):
    values = {"date": DAY, "kind": ActivityKind.STUDY, "title": "学习会", **fields}
    return Activity(org=org, **values)


# --- liaison ---------------------------------------------------------------------------------


def test_a_liaison_is_assigned_to_several_branches_at_once(world):
    leader = make_member(world.city, name="张主委")
    made = services.liaison_assign(
        orgs=[world.branch_a, world.branch_b], person=leader, title="副主委", start=DAY
    )
    assert [a.org for a in made] == [world.branch_a, world.branch_b]
    assert all(a.liaison_name == "张主委" for a in made)


def test_an_overlapping_assignment_of_the_same_liaison_is_refused(world):
    leader = make_member(world.city, name="张主委")
    services.liaison_assign(orgs=[world.branch_a], person=leader, start=DAY)
    with pytest.raises(ValidationError, match="张主委 自 2025-04-10 起已联系「江城大学第一支部」"):
        services.liaison_assign(orgs=[world.branch_a], person=leader, start=date(2025, 6, 1))
    assert LiaisonAssignment.objects.count() == 1


def test_an_assignment_needs_someone(world):
    with pytest.raises(ValidationError) as caught:
        services.liaison_assign(orgs=[world.branch_a], start=DAY)
    assert "须选择联系人" in str(caught.value)
    assert not LiaisonAssignment.objects.exists()


def test_a_visit_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="走访日期.*不能晚于今天"):
        services.visit_save(visit=LiaisonVisit(org=world.branch_a, date=tomorrow, topics="座谈"))
    assert not LiaisonVisit.objects.exists()


def test_a_visit_names_a_liaison_of_the_same_branch_within_the_period(world):
    leader = make_member(world.city, name="张主委")
    (assignment,) = services.liaison_assign(
        orgs=[world.branch_b], person=leader, start=DAY, end=date(2025, 12, 31)
    )
    with pytest.raises(ValidationError, match="张主委 联系的是「医药卫生支部」"):
        services.visit_save(
            visit=LiaisonVisit(org=world.branch_a, assignment=assignment, date=DAY, topics="座谈")
        )
    with pytest.raises(ValidationError, match="2026-01-05 不在联系期间内"):
        services.visit_save(
            visit=LiaisonVisit(
                org=world.branch_b, assignment=assignment, date=date(2026, 1, 5), topics="座谈"
            )
        )
    assert not LiaisonVisit.objects.exists()


# --- activities ------------------------------------------------------------------------------


def test_an_activity_records_who_was_expected_and_who_came(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    activity = services.activity_save(
        activity=_activity(world.branch_a),
        expected=[zhang.pk, wang.pk],
        present=[zhang.pk],
        scope=EVERYTHING,
    )
    rows = {a.person.name: (a.expected, a.present) for a in activity.attendance.all()}
    assert rows == {"张敏": (True, True), "王芳": (True, False)}


def test_attendance_comes_from_the_roster_on_the_activity_date(world):
    member = make_member(world.branch_a, name="张敏")
    late = make_member(world.branch_a, name="李新", start=date(2025, 5, 1))
    other = make_member(world.branch_b, name="王芳")
    with pytest.raises(ValidationError) as caught:
        services.activity_save(
            activity=_activity(world.branch_a),
            expected=[member.pk, late.pk, other.pk],
            present=[],
            scope=EVERYTHING,
        )
    message = caught.value.message_dict["attendance"][0]
    assert "李新、王芳 在 2025-04-10 不在「江城大学第一支部」的名册中" in message
    assert not Activity.objects.exists()


def test_a_member_who_left_before_the_activity_is_not_on_its_roster(world):
    member = make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    people_services.membership_end(person=member, on=date(2025, 1, 1), reason="withdrew")
    with pytest.raises(ValidationError, match="张敏 在 2025-04-10 不在"):
        services.activity_save(
            activity=_activity(world.branch_a), expected=[member.pk], present=[], scope=EVERYTHING
        )


def test_the_roster_of_a_general_branch_holds_the_members_of_its_branches(world):
    member = make_member(world.branch_g1, name="周明")
    activity = services.activity_save(
        activity=_activity(world.general),
        expected=[member.pk],
        present=[member.pk],
        scope=EVERYTHING,
    )
    assert activity.attendance.get().person == member


def test_an_activity_in_the_future_or_of_a_dissolved_branch_is_refused(world):
    from tongxin.orgs.services import org_dissolve

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="活动日期.*不能晚于今天"):
        services.activity_save(
            activity=_activity(world.branch_a, date=tomorrow),
            expected=[],
            present=[],
            scope=EVERYTHING,
        )
    org_dissolve(org=world.branch_b, on=date(2024, 12, 31))
    world.branch_b.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未成立或已撤销"):
        services.activity_save(
            activity=_activity(world.branch_b), expected=[], present=[], scope=EVERYTHING
        )
    assert not Activity.objects.exists()


def test_changing_the_list_keeps_one_row_a_member_and_logs_the_change_on_the_activity(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    li = make_member(world.branch_a, name="李华")
    activity = services.activity_save(
        activity=_activity(world.branch_a),
        expected=[zhang.pk, wang.pk],
        present=[zhang.pk],
        scope=EVERYTHING,
    )
    activity.title = "学习会（补记）"
    services.activity_save(
        activity=activity, expected=[zhang.pk, li.pk], present=[zhang.pk, li.pk], scope=EVERYTHING
    )
    rows = {a.person.name: (a.expected, a.present) for a in Attendance.objects.all()}
    assert rows == {"张敏": (True, True), "李华": (True, True)}
    entries = LogEntry.objects.get_for_object(activity).filter(changes__has_key="attendees")
    before, after = entries.order_by("pk").last().changes["attendees"]
    assert before == "应到：张敏、王芳；实到：张敏"
    assert after == "应到：张敏、李华；实到：张敏、李华"


def test_deleting_an_activity_removes_its_list(world):
    member = make_member(world.branch_a, name="张敏")
    activity = services.activity_save(
        activity=_activity(world.branch_a), expected=[member.pk], present=[], scope=EVERYTHING
    )
    services.activity_delete(activity=activity)
    assert not Attendance.objects.exists()


# --- contributions ---------------------------------------------------------------------------


def _contribution(**fields):
    values = {
        "kind": ContributionKind.SOCIAL_REPORT,
        "title": "关于老旧小区加装电梯的建议",
        "submitted_on": DAY,
        **fields,
    }
    return Contribution(**values)


def test_a_member_author_is_credited_to_the_branch_they_belonged_to_that_day(world):
    member = make_member(world.branch_a, name="张敏", start=date(2020, 1, 1))
    people_services.membership_transfer(person=member, to_org=world.branch_b, on=date(2025, 6, 1))
    c = services.contribution_save(contribution=_contribution(), authors=[member], scope=EVERYTHING)
    assert c.authors.get().org == world.branch_a


def test_an_author_who_is_not_a_member_in_scope_that_day_is_refused(world):
    member = make_member(world.branch_b, name="王芳")
    scope_a = Scope.of([world.branch_a.path])
    with pytest.raises(ValidationError, match="王芳 在 2025-04-10 不是本管理范围内的在册成员"):
        services.contribution_save(contribution=_contribution(), authors=[member], scope=scope_a)
    assert not Contribution.objects.exists()


def test_a_collective_proposal_is_authored_by_an_organization(world):
    with pytest.raises(ValidationError) as caught:
        services.contribution_save(
            contribution=_contribution(kind=ContributionKind.PROPOSAL, is_collective=True),
            authors=[make_member(world.branch_a, name="张敏")],
            scope=EVERYTHING,
        )
    assert caught.value.message_dict["author_orgs"] == ["集体提案须以组织名义提出，请选择提案组织"]
    c = services.contribution_save(
        contribution=_contribution(kind=ContributionKind.PROPOSAL, is_collective=True),
        author_orgs=[world.branch_a],
        scope=EVERYTHING,
    )
    author = c.authors.get()
    assert (author.person, author.org) == (None, world.branch_a)


def test_an_individual_proposal_has_its_proposer_and_co_signers(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_b, name="王芳")
    c = services.contribution_save(
        contribution=_contribution(kind=ContributionKind.PROPOSAL, other_co_signers="赵委员"),
        authors=[zhang],
        co_signers=[wang],
        scope=EVERYTHING,
    )
    roles = sorted((a.person.name, a.role, a.org.code) for a in c.authors.all())
    assert roles == [("张敏", "author", "C1-A"), ("王芳", "co_signer", "C1-B")]


def test_only_proposals_have_co_signers_and_nobody_is_both(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    with pytest.raises(ValidationError, match="只有提案可以有联名人"):
        services.contribution_save(
            contribution=_contribution(), authors=[zhang], co_signers=[wang], scope=EVERYTHING
        )
    with pytest.raises(ValidationError, match="张敏 已是作者，不能再作联名人"):
        services.contribution_save(
            contribution=_contribution(kind=ContributionKind.PROPOSAL),
            authors=[zhang],
            co_signers=[zhang],
            scope=EVERYTHING,
        )
    assert not Contribution.objects.exists()


def test_changing_the_authors_rewrites_the_rows(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    c = services.contribution_save(contribution=_contribution(), authors=[zhang], scope=EVERYTHING)
    services.contribution_save(contribution=c, authors=[wang, zhang], scope=EVERYTHING)
    assert [a.person.name for a in c.authors.order_by("position")] == ["王芳", "张敏"]
    assert ContributionAuthor.objects.count() == 2


def test_a_rung_is_dated_after_submission_and_reached_once(world):
    zhang = make_member(world.branch_a, name="张敏")
    c = services.contribution_save(contribution=_contribution(), authors=[zhang], scope=EVERYTHING)
    with pytest.raises(ValidationError, match="不能早于报送日期（2025-04-10）"):
        services.adoption_save(
            adoption=Adoption(
                contribution=c, rung=AdoptionRung.CITY, on=date(2025, 4, 1), document="第1期"
            )
        )
    services.adoption_save(
        adoption=Adoption(contribution=c, rung=AdoptionRung.CITY, on=DAY, document="第1期")
    )
    with pytest.raises(ValidationError, match="已记录过这一级采用或批示"):
        services.adoption_save(
            adoption=Adoption(contribution=c, rung=AdoptionRung.CITY, on=DAY, document="第2期")
        )
    with pytest.raises(ValidationError) as caught:
        services.adoption_save(
            adoption=Adoption(contribution=c, rung=AdoptionRung.CENTRE, on=DAY, document="")
        )
    assert "document" in caught.value.message_dict
    assert c.adoptions.count() == 1


def test_contributions_and_their_rungs_are_in_the_audit_log(world):
    zhang = make_member(world.branch_a, name="张敏")
    c = services.contribution_save(contribution=_contribution(), authors=[zhang], scope=EVERYTHING)
    adoption = services.adoption_save(
        adoption=Adoption(contribution=c, rung=AdoptionRung.CENTRE, on=DAY, document="第5期")
    )
    assert LogEntry.objects.get_for_object(c).filter(action=LogEntry.Action.CREATE).exists()
    entry = LogEntry.objects.get_for_object(adoption).get()
    assert entry.changes_dict["document"] == ["None", "第5期"]
