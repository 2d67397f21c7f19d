"""The admission procedure as data: an application walks its steps, a step that breaks a rule
is refused with the rule named, a warning needs a reason, and the last step admits."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_member, make_user
from tests.recruitment.helpers import (
    APPLIED,
    apply,
    candidate,
    introducers,
    meeting,
    record,
    step,
    walk,
)
from tongxin.core.codes import SpellReason
from tongxin.core.scope import Scope
from tongxin.people import services as people_services
from tongxin.people.models import Person
from tongxin.people.selectors import members_on, people_in_scope
from tongxin.recruitment import selectors, services
from tongxin.recruitment.models import (
    Application,
    Procedure,
    Refusal,
    Rule,
    RuleWarning,
    SeniorityFrom,
)

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)


@pytest.fixture
def staff(world):
    return make_user("city_staff", world.city)


@pytest.fixture
def sponsors(world):
    return introducers(world.branch_a)


def test_a_full_application_admits_the_candidate_as_a_member_from_the_committees_approval(
    world, staff, sponsors
):
    application = apply(candidate(), world.branch_a, staff)
    person = application.person
    # While applying, the file is kept by the branch: in its scope, and not a member.
    assert person in people_in_scope(scope=Scope.of([world.branch_a.path]))
    assert person not in people_in_scope(scope=Scope.of([world.branch_b.path]))
    walk(application, staff, sponsors)

    application.refresh_from_db()
    approval = application.records.get(step__name="市委会审批").on
    assert application.status == "admitted"
    assert application.ended_on == APPLIED + timedelta(days=250)
    spell = application.spell
    assert (spell.person, spell.org, spell.start, spell.start_reason) == (
        person,
        world.branch_a,
        approval,
        SpellReason.ADMITTED,
    )
    assert spell.approved_by == "民盟江城市委员会"
    assert person in members_on(scope=EVERYTHING, org=world.city, on=approval)
    assert person not in members_on(scope=EVERYTHING, org=world.city, on=approval - timedelta(1))
    person.refresh_from_db()
    assert person.political_status == "05"
    assert person.membership_no == f"{approval.year}0001"
    assert person.admitted_on == approval
    assert application.affiliation.end == approval
    # The application stays linked to the member.
    assert spell.application == application


def test_seniority_from_the_branch_approval_where_the_party_says_so(world, staff, sponsors):
    Procedure.objects.update(seniority_from=SeniorityFrom.BRANCH, membership_no_prefix="JC")
    application = walk(apply(candidate(), world.branch_a, staff), staff, sponsors)
    branch_vote = application.records.get(step__name="支部讨论").on
    assert application.spell.start == branch_vote
    assert application.person.membership_no == f"JC{branch_vote.year}0001"


def test_a_step_taken_too_early_is_refused_with_the_rule_named_and_the_refusal_kept(
    world, staff, sponsors
):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    too_early = APPLIED + timedelta(days=100)  # three months after 联系培养、谈话
    with pytest.raises(services.StepRefused) as refused:
        record(application, "支部讨论", too_early, staff)
    assert "不符合规则「培养考察期不少于6个月」" in str(refused.value)
    assert "最早可于 2025-07-16 办理" in str(refused.value)
    assert not application.records.filter(step__name="支部讨论").exists()
    kept = Refusal.objects.get(application=application)
    assert (kept.rule_name, kept.attempted_on, kept.created_by) == (
        "培养考察期不少于6个月",
        too_early,
        staff,
    )
    assert list(selectors.blocked(Application.objects.all())) == [application]
    # Taken in time, the step goes through and the application is no longer blocked.
    record(application, "支部讨论", APPLIED + timedelta(days=200), staff)
    assert list(selectors.blocked(Application.objects.all())) == []


def test_a_rule_switched_off_by_the_administrator_no_longer_refuses(world, staff, sponsors):
    Rule.objects.filter(name="培养考察期不少于6个月").update(active=False)
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    record(application, "支部讨论", APPLIED + timedelta(days=100), staff)
    assert application.records.filter(step__name="支部讨论").exists()


def test_an_introducer_who_is_not_a_valid_member_is_refused(world, staff, sponsors):
    junior = make_member(world.branch_a, name="新成员", start=date(2024, 6, 1))
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="征求所在单位党组织意见"
    )
    with pytest.raises(services.StepRefused) as refused:
        record(
            application,
            "介绍人",
            APPLIED + timedelta(days=90),
            staff,
            introducers=[sponsors[0], junior],
        )
    assert str(refused.value) == (
        "不符合规则「介绍人须连续在册满2年且正常参加组织生活」："
        "新成员 自 2024-06-01 起在册，不满 2 年"
    )


def test_a_suspended_member_and_the_applicant_cannot_introduce(world, staff, sponsors):
    people_services.suspension_start(
        person=sponsors[1], on=date(2024, 1, 1), reason="长期不参加组织生活"
    )
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="征求所在单位党组织意见"
    )
    with pytest.raises(services.StepRefused) as refused:
        record(
            application,
            "介绍人",
            APPLIED + timedelta(days=90),
            staff,
            introducers=[application.person, sponsors[1]],
        )
    message = str(refused.value)
    assert "不符合规则「介绍人资格」：申请人本人不能作为介绍人" in message
    assert f"{sponsors[1].name} 正在停止组织生活" in message
    assert f"{application.person.name} 在 2025-04-06 不是在册成员" in message


def test_one_introducer_where_two_are_needed_is_refused(world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="征求所在单位党组织意见"
    )
    with pytest.raises(services.StepRefused, match="「介绍人须为2名」：须有 2 名介绍人，现有 1 名"):
        record(application, "介绍人", APPLIED + timedelta(days=90), staff, introducers=sponsors[:1])


def test_a_failed_vote_is_refused_with_the_rule_named(world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    with pytest.raises(services.StepRefused) as refused:
        record(
            application,
            "支部讨论",
            APPLIED + timedelta(days=200),
            staff,
            meeting=meeting(expected=9, present=6, votes_for=3, votes_against=2, votes_abstain=1),
        )
    assert str(refused.value) == (
        "不符合规则「赞成票须超过到会人数的半数」：赞成票 3，实到人数 6：须超过实到人数的 50%"
    )


def test_a_meeting_without_a_quorum_is_refused(world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    with pytest.raises(services.StepRefused, match="支部讨论须超过应到人数的半数到会"):
        record(
            application,
            "支部讨论",
            APPLIED + timedelta(days=200),
            staff,
            meeting=meeting(expected=10, present=5, votes_for=5, votes_against=0, votes_abstain=0),
        )


def test_impossible_meeting_figures_are_bad_input_not_a_rule(world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="填写申请表"
    )
    with pytest.raises(ValidationError) as bad:
        record(
            application,
            "支部讨论",
            APPLIED + timedelta(days=200),
            staff,
            meeting=meeting(expected=5, present=7, votes_for=6, votes_against=2, votes_abstain=0),
        )
    assert bad.value.message_dict == {
        "present": ["实到人数（7）不能多于应到人数（5）"],
        "votes_for": ["赞成、反对、弃权票合计 8，多于实到人数 7"],
    }
    assert not Refusal.objects.exists()


def test_a_step_before_the_required_ones_is_refused_by_the_order(world, staff, sponsors):
    application = apply(candidate(), world.branch_a, staff)
    with pytest.raises(services.StepRefused) as refused:
        record(application, "介绍人", APPLIED + timedelta(days=5), staff, introducers=sponsors)
    assert str(refused.value) == (
        "不符合规则「办理顺序」：须先完成「联系培养、谈话」「考察」「征求所在单位党组织意见」"
    )


def test_steps_of_the_same_order_may_come_in_either_order(world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="联系培养、谈话"
    )
    record(application, "征求所在单位党组织意见", APPLIED + timedelta(days=40), staff)
    record(application, "考察", APPLIED + timedelta(days=50), staff)
    assert application.records.count() == 4


def test_a_warning_needs_a_written_reason_and_stays_on_the_record(world, staff):
    older = candidate(birth_date=date(1965, 2, 1))
    with pytest.raises(services.ReasonsNeeded) as asked:
        apply(older, world.branch_a, staff)
    [warning] = asked.value.warnings
    assert str(warning) == "不符合规则「年龄一般不超过55周岁」：2025-01-06 时 59 周岁，超过 55 周岁"
    assert not Application.objects.exists() and not Person.objects.filter(name="林新").exists()
    application = apply(
        older, world.branch_a, staff, reasons={warning.rule.pk: "学科带头人，经市委会同意"}
    )
    kept = RuleWarning.objects.get(record__application=application)
    assert (kept.rule_name, kept.reason) == ("年龄一般不超过55周岁", "学科带头人，经市委会同意")


def test_a_blocking_condition_on_the_candidate_refuses_the_application(world, staff):
    soldier = candidate(work_unit="某部队", job_post="参谋")
    with pytest.raises(
        services.StepRefused, match="「现役军人、宗教教职人员不予发展」：工作单位或职务含“部队”"
    ):
        apply(soldier, world.branch_a, staff)
    assert not Application.objects.exists()


def test_a_current_member_or_a_second_open_application_is_refused(world, staff):
    member = make_member(world.branch_a, name="老成员")
    with pytest.raises(ValidationError, match="已是在册成员"):
        apply(member, world.branch_b, staff)
    application = apply(candidate(), world.branch_a, staff)
    with pytest.raises(ValidationError, match="已有办理中的入会申请"):
        apply(application.person, world.branch_b, staff)


def test_rejection_ends_the_application_with_its_reason(world, staff, sponsors):
    application = walk(apply(candidate(), world.branch_a, staff), staff, sponsors, until="考察")
    services.application_end(
        application=application,
        status="rejected",
        on=APPLIED + timedelta(days=80),
        reason="考察意见认为暂不具备条件",
        by=staff,
    )
    application.refresh_from_db()
    assert (application.status, application.end_reason) == ("rejected", "考察意见认为暂不具备条件")
    assert application.affiliation.end == APPLIED + timedelta(days=80)
    with pytest.raises(ValidationError, match="申请已未通过"):
        record(application, "征求所在单位党组织意见", APPLIED + timedelta(days=90), staff)
    with pytest.raises(ValidationError) as no_reason:
        services.application_end(
            application=apply(candidate(name="韩雪"), world.branch_a, staff),
            status="withdrawn",
            on=APPLIED,
            reason=" ",
            by=staff,
        )
    assert no_reason.value.message_dict == {"reason": ["请填写原因"]}


def test_a_committees_own_procedure_applies_to_its_subtree_only(world, staff):
    own = services.procedure_copy(procedure=Procedure.objects.get(), name="江城市委入会程序")
    own.org = world.city
    own.save()
    assert services.procedure_for(branch=world.branch_g1, on=APPLIED) == own
    assert services.procedure_for(branch=world.other_branch, on=APPLIED).name == "通用入会程序"
    # A copy has the same steps and rules, pointing at its own steps.
    assert own.steps.count() == 10 and own.rules.count() == Rule.objects.count() // 2
    assert all(rule.step.procedure == own for rule in own.rules.all())


def test_a_party_procedure_applies_to_that_partys_organizations(world, staff):
    general = Procedure.objects.get()
    party = services.procedure_copy(procedure=general, name="九三学社入会程序")
    party.party = "10"
    party.save()
    assert services.procedure_for(branch=world.branch_a, on=APPLIED) == general  # 民盟
    world.city.party = "10"
    world.city.save()
    assert services.procedure_for(branch=world.branch_a, on=APPLIED) == party


def test_an_overdue_step_is_found_against_the_deadline_rule(world, staff, sponsors):
    application = walk(
        apply(candidate(), world.branch_a, staff), staff, sponsors, until="联系培养、谈话"
    )
    applications = Application.objects.all()
    # 考察 is due within 12 months of 申请 (2025-01-06).
    assert selectors.overdue_ids(applications=applications, on=date(2026, 1, 6)) == []
    assert selectors.overdue_ids(applications=applications, on=date(2026, 1, 7)) == [application.pk]
    record(application, "考察", date(2026, 1, 10), staff, reasons=_late_reason(application))
    assert selectors.overdue_ids(applications=applications, on=date(2026, 2, 1)) == []


def _late_reason(application):
    rule = application.procedure.rules.get(name="申请后12个月内完成考察")
    return {rule.pk: "申请人出国访学一年"}


def test_the_step_belongs_to_the_applications_procedure(world, staff):
    application = apply(candidate(), world.branch_a, staff)
    other = services.procedure_copy(procedure=application.procedure)
    with pytest.raises(ValidationError, match="不属于这份申请的入会程序"):
        services.step_record(
            application=application,
            step=other.steps.get(name="考察"),
            on=APPLIED,
            by=staff,
        )
    assert step(application, "考察").procedure == application.procedure
