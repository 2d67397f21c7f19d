"""Writes of 组织发展: applications, their steps, admission, plans. Each one transaction.

A step is first checked (tongxin.recruitment.rules): a blocking rule it breaks refuses it, and
the refusal is kept on the application; a warning rule it breaks needs a written reason, kept
with the step. The admission step creates the membership spell, the membership number and the
political status, and ends the applicant's affiliation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from tongxin.core import filecheck
from tongxin.core.codes import AffiliationKind, OrgKind, SpellReason
from tongxin.core.scope import subtree_q
from tongxin.orgs.models import Organization
from tongxin.people import services as people_services
from tongxin.people import standing
from tongxin.people.models import MembershipSpell, Person

from . import rules as checks
from .models import (
    ATTACHMENT_FILES,
    END_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    DevelopmentPlan,
    Introducer,
    MembershipNoCounter,
    PlanKind,
    PlanTarget,
    Procedure,
    Refusal,
    RuleWarning,
    SeniorityFrom,
    Step,
    StepKind,
    StepRecord,
    TargetKind,
)


class StepRefused(Exception):
    """A blocking rule refused the step; ``violations`` name each rule."""

    def __init__(self, violations):
        super().__init__("；".join(str(v) for v in violations))
        self.violations = violations


class ReasonsNeeded(Exception):
    """Warning rules the step breaks that have no written reason yet."""

    def __init__(self, warnings):
        super().__init__("；".join(str(w) for w in warnings))
        self.warnings = warnings


@dataclass
class Meeting:
    expected: int | None = None
    present: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None

    def check(self) -> None:
        errors = {}
        figures = (self.expected, self.present, self.votes_for, self.votes_against)
        if any(v is None for v in (*figures, self.votes_abstain)):
            raise ValidationError("会议表决须填写应到、实到人数和赞成、反对、弃权票数")
        if self.present > self.expected:
            errors["present"] = f"实到人数（{self.present}）不能多于应到人数（{self.expected}）"
        cast = self.votes_for + self.votes_against + self.votes_abstain
        if cast > self.present:
            errors["votes_for"] = f"赞成、反对、弃权票合计 {cast}，多于实到人数 {self.present}"
        if errors:
            raise ValidationError(errors)


# --- which procedure ---------------------------------------------------------------------------

# A procedure without a start date is the oldest: PostgreSQL would sort it first otherwise.
LATEST_FIRST = F("valid_from").desc(nulls_last=True)


def procedure_for(*, branch: Organization, on: date) -> Procedure:
    """The procedure for an application to ``branch`` made on ``on``: the nearest committee's
    own, else the party's, else the general one; of those, the latest in force on ``on``."""
    in_force = Procedure.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
    paths = [branch.path[: i * branch.steplen] for i in range(1, branch.depth + 1)]
    own = (
        in_force.filter(org__path__in=paths)
        .order_by("-org__depth", LATEST_FIRST, "-pk")
        .select_related("org")
        .first()
    )
    if own is not None:
        return own
    for party in dict.fromkeys((branch.effective_party(), "")):
        found = in_force.filter(org__isnull=True, party=party).order_by(LATEST_FIRST, "-pk")
        if found.exists():
            return found.first()
    raise ValidationError("没有可用的入会程序，请系统管理员在后台设置")


def committee_of(org: Organization) -> Organization:
    """The nearest committee (委员会) at or above ``org``: the body that approves admissions."""
    if org.kind == OrgKind.COMMITTEE:
        return org
    paths = [org.path[: i * org.steplen] for i in range(1, org.depth)]
    found = (
        Organization.objects.filter(path__in=paths, kind=OrgKind.COMMITTEE)
        .order_by("-depth")
        .first()
    )
    return found or org


# --- checking a step ---------------------------------------------------------------------------


def _steps(procedure: Procedure) -> list[Step]:
    return list(procedure.steps.all())


def _attempt(application: Application | None, person: Person, step: Step, on: date, **entered):
    done = {}
    if application is not None:
        done = {r.step_id: r for r in application.records.select_related("step")}
    return checks.Attempt(person=person, step=step, on=on, done=done, **entered)


def _judge(attempt, *, procedure: Procedure, reasons: dict[int, str]):
    """The violations of ``attempt``: raise StepRefused for blocking ones, ReasonsNeeded for
    warnings without a reason; return the warnings with their reasons."""
    found = checks.order_violations(attempt, _steps(procedure))
    found += checks.introducer_violations(attempt, attempt.person)
    found += checks.rule_violations(attempt, procedure.rules.select_related("since_step"))
    blocking = [v for v in found if v.blocking]
    if blocking:
        raise StepRefused(blocking)
    warnings = [v for v in found if not v.blocking]
    unanswered = [w for w in warnings if not (reasons.get(w.rule.pk) or "").strip()]
    if unanswered:
        raise ReasonsNeeded(warnings)
    return [(w, reasons[w.rule.pk].strip()) for w in warnings]


@transaction.atomic
def _keep_refusal(*, application: Application, step: Step, on: date, by, violations) -> None:
    for violation in violations:
        Refusal.objects.create(
            application=application,
            step=step,
            rule=violation.rule,
            rule_name=violation.rule_name,
            message=violation.message[:500],
            attempted_on=on,
            created_by=by,
        )


def _save_warnings(record: StepRecord, answered) -> None:
    for violation, reason in answered:
        RuleWarning.objects.create(
            record=record,
            rule=violation.rule,
            rule_name=violation.rule_name,
            message=violation.message[:500],
            reason=reason,
        )


# --- applications ------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    person: Person,
    branch: Organization,
    on: date,
    by,
    programme=None,
    opinion: str = "",
    reasons: dict[int, str] | None = None,
) -> Application:
    """Open an application of ``person`` (saved, or new and saved here) to ``branch``; the
    procedure's first step is recorded on ``on`` and checked like any other. The checks run in
    the transaction that writes, with the person's row locked."""
    if branch.dissolved and branch.dissolved <= on:
        raise ValidationError(f"「{branch}」已于 {branch.dissolved:%Y-%m-%d} 撤销")
    procedure = procedure_for(branch=branch, on=on)
    first = procedure.steps.order_by("order", "pk").first()
    if first is None:
        raise ValidationError(f"入会程序「{procedure}」没有步骤，请系统管理员在后台设置")
    if not person.pk:
        people_services.person_check(person=person)
    else:
        # Two applications of one person at once: the second waits here, then sees the first.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if person.spells.active_on(on).exists():
            raise ValidationError(f"{person.name} 在 {on:%Y-%m-%d} 已是在册成员")
        open_one = person.applications.filter(status=ApplicationStatus.OPEN).first()
        if open_one is not None:
            raise ValidationError(
                f"{person.name} 已有办理中的入会申请（{open_one.applied_on:%Y-%m-%d} 提出）"
            )
    # Nothing is written for a refused application: there is no application to keep it on.
    answered = _judge(_attempt(None, person, first, on), procedure=procedure, reasons=reasons or {})
    return _create(
        person=person,
        branch=branch,
        on=on,
        by=by,
        procedure=procedure,
        first=first,
        programme=programme,
        opinion=opinion,
        answered=answered,
    )


@transaction.atomic
def _create(*, person, branch, on, by, procedure, first, programme, opinion, answered):
    if not person.pk:
        people_services.person_update(person=person)
    affiliation = people_services.affiliation_start(
        person=person, org=branch, kind=AffiliationKind.APPLICANT, on=on, note="入会申请"
    )
    application = Application(
        person=person,
        branch=branch,
        procedure=procedure,
        programme=programme,
        applied_on=on,
        affiliation=affiliation,
        created_by=by,
    )
    application.full_clean()
    application.save()
    record = StepRecord.objects.create(
        application=application, step=first, on=on, opinion=opinion, recorded_by=by
    )
    _save_warnings(record, answered)
    return application


def step_record(
    *,
    application: Application,
    step: Step,
    on: date,
    by,
    opinion: str = "",
    document_no: str = "",
    meeting: Meeting | None = None,
    introducers: list[Person] = (),
    notified_person_on: date | None = None,
    notified_unit_on: date | None = None,
    reasons: dict[int, str] | None = None,
    files=(),
) -> StepRecord:
    """Record ``step`` of ``application`` on ``on``, after checking it. A refusal is kept on the
    application (and raised); the admission step admits the candidate. The application's row is
    locked while it is checked and written, so two steps recorded at once are judged in turn."""
    try:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=application.pk)
            attempt, answered = _check_step(
                application=application,
                step=step,
                on=on,
                meeting=meeting,
                introducers=introducers,
                notified_person_on=notified_person_on,
                notified_unit_on=notified_unit_on,
                reasons=reasons,
            )
            return _write_step(
                application=application,
                step=step,
                on=on,
                by=by,
                opinion=opinion,
                document_no=document_no,
                meeting=meeting,
                attempt=attempt,
                notified_person_on=notified_person_on,
                notified_unit_on=notified_unit_on,
                answered=answered,
                files=files,
            )
    except StepRefused as refused:
        _keep_refusal(
            application=application, step=step, on=on, by=by, violations=refused.violations
        )
        raise


def _check_step(
    *, application, step, on, meeting, introducers, notified_person_on, notified_unit_on, reasons
):
    if application.status != ApplicationStatus.OPEN:
        raise ValidationError(f"申请已{application.get_status_display()}，不能再记录步骤")
    if step.procedure_id != application.procedure_id:
        raise ValidationError("该步骤不属于这份申请的入会程序")
    if step.with_vote:
        meeting = meeting or Meeting()
        meeting.check()
    if step.kind == StepKind.ADMISSION and not (notified_person_on and notified_unit_on):
        raise ValidationError("入会须填写书面通知本人和所在单位的日期")
    for notice in (notified_person_on, notified_unit_on):
        if notice and notice < on:
            raise ValidationError("书面通知的日期不能早于入会步骤的日期")
    if StepRecord.objects.filter(application=application, step=step).exists():
        raise ValidationError(f"「{step.name}」已经记录")
    attempt = _attempt(
        application,
        application.person,
        step,
        on,
        expected=meeting.expected if meeting else None,
        present=meeting.present if meeting else None,
        votes_for=meeting.votes_for if meeting else None,
        introducers=list(introducers),
    )
    answered = _judge(attempt, procedure=application.procedure, reasons=reasons or {})
    return attempt, answered


@transaction.atomic
def _write_step(*, application, step, on, by, meeting, attempt, answered, files, **fields):
    record = StepRecord(application=application, step=step, on=on, recorded_by=by, **fields)
    if meeting is not None:
        record.expected = meeting.expected
        record.present = meeting.present
        record.votes_for = meeting.votes_for
        record.votes_against = meeting.votes_against
        record.votes_abstain = meeting.votes_abstain
    record.full_clean()
    record.save()
    for person in attempt.introducers:
        Introducer.objects.create(
            record=record,
            person=person,
            member_since=standing.member_since(person=person, on=on),
        )
    _save_warnings(record, answered)
    for upload in files:
        attachment_add(record=record, upload=upload, by=by)
    if step.kind == StepKind.ADMISSION:
        _admit(application=application, record=record)
    return record


def seniority_start(application: Application, admission: StepRecord) -> date:
    """The first day of membership: the branch's or the committee's approval, as the
    procedure says; the other approval, then the admission itself, where a step was skipped."""
    by_kind = {r.step.kind: r.on for r in application.records.select_related("step")}
    first, second = StepKind.COMMITTEE_APPROVAL, StepKind.BRANCH_APPROVAL
    if application.procedure.seniority_from == SeniorityFrom.BRANCH:
        first, second = second, first
    return by_kind.get(first) or by_kind.get(second) or admission.on


def highest_sequence(head: str, numbers) -> int:
    """The highest sequence among ``numbers`` of the form ``head`` + four or more digits."""
    found = [n[len(head) :] for n in numbers if n.startswith(head)]
    return max((int(tail) for tail in found if len(tail) >= 4 and tail.isdecimal()), default=0)


def _locked_counter(head: str) -> MembershipNoCounter:
    counter = MembershipNoCounter.objects.select_for_update().filter(head=head).first()
    if counter is not None:
        return counter
    taken = Person.objects.filter(membership_no__startswith=head).values_list(
        "membership_no", flat=True
    )
    try:
        # A savepoint: when another admission creates the same head first, its row is used.
        with transaction.atomic():
            MembershipNoCounter.objects.create(head=head, last=highest_sequence(head, taken))
    except IntegrityError:
        pass
    return MembershipNoCounter.objects.select_for_update().get(head=head)


def _next_membership_no(prefix: str, year: int) -> str:
    """The next number under ``prefix`` + ``year``, taken while the head's counter is locked:
    the lock is held until the admission's transaction ends."""
    head = f"{prefix}{year}"
    counter = _locked_counter(head)
    seq = counter.last + 1
    # Numbers entered by other means are skipped, not repeated.
    while Person.objects.filter(membership_no=f"{head}{seq:04d}").exists():
        seq += 1
    counter.last = seq
    counter.save(update_fields=["last"])
    return f"{head}{seq:04d}"


def _admit(*, application: Application, record: StepRecord) -> MembershipSpell:
    start = seniority_start(application, record)
    approval = application.records.filter(step__kind=StepKind.COMMITTEE_APPROVAL).first()
    committee = committee_of(application.branch)
    spell = people_services.membership_start(
        person=application.person,
        org=application.branch,
        on=start,
        reason=SpellReason.ADMITTED,
        document_no=(approval.document_no if approval else "") or record.document_no,
        approved_by=committee.name,
    )
    person = Person.objects.get(pk=application.person_id)
    person.admitted_on = person.admitted_on or start
    if not person.membership_no:
        person.membership_no = _next_membership_no(
            application.procedure.membership_no_prefix, start.year
        )
    person.save(update_fields=["admitted_on", "membership_no", "updated_at"])
    if application.affiliation_id and application.affiliation.end is None:
        people_services.affiliation_end(
            affiliation=application.affiliation, on=max(start, application.affiliation.start)
        )
    application.status = ApplicationStatus.ADMITTED
    application.ended_on = record.on
    application.end_reason = f"{start:%Y-%m-%d} 起为{committee.name}成员"
    application.spell = spell
    application.full_clean()
    application.save()
    return spell


@transaction.atomic
def application_end(
    *, application: Application, status: str, on: date, reason: str, by
) -> Application:
    """End an application without admission: 未通过, 本人撤回 or 中止, with the reason."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if status not in END_STATUSES:
        raise ValidationError("办结方式只能是未通过、本人撤回或中止")
    if application.status != ApplicationStatus.OPEN:
        raise ValidationError(f"申请已{application.get_status_display()}")
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因"})
    last = application.records.order_by("-on").first()
    if last and on < last.on:
        raise ValidationError({"on": f"办结日期不能早于最后一个步骤的日期（{last.on:%Y-%m-%d}）"})
    application.status = status
    application.ended_on = on
    application.end_reason = reason.strip()
    application.full_clean()
    application.save()
    if application.affiliation_id and application.affiliation.end is None:
        people_services.affiliation_end(affiliation=application.affiliation, on=on)
    return application


# --- attachments -------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, record: StepRecord, upload, by) -> Attachment:
    """Keep an uploaded file with a step, if it is one an attachment may be."""
    checked = filecheck.check(upload, ATTACHMENT_FILES)
    attachment = Attachment(
        record=record,
        name=checked.name,
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


# --- plans -------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: DevelopmentPlan, targets: list[PlanTarget]) -> DevelopmentPlan:
    """Save a plan with its targets (the targets given replace the plan's former ones)."""
    if plan.kind == PlanKind.ANNUAL:
        plan.end_year = plan.start_year
    elif plan.kind == PlanKind.FIVE_YEAR:
        plan.end_year = plan.start_year + 4
    plan.full_clean()
    plan.save()
    errors = []
    for index, target in enumerate(targets, start=1):
        target.plan = plan
        if (
            target.org_id
            and not Organization.objects.filter(subtree_q(plan.org.path), pk=target.org_id).exists()
        ):
            errors.append(f"第 {index} 项指标：「{target.org}」不在「{plan.org}」之下")
        try:
            target.full_clean()
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors += [f"第 {index} 项指标：{m}" for m in messages]
    if not any(t.kind == TargetKind.TOTAL for t in targets):
        errors.append("计划须有“发展总数”指标")
    if errors:
        raise ValidationError(errors)
    plan.targets.all().delete()
    for target in targets:
        target.pk = None
        target.save()
    return plan


# --- procedures --------------------------------------------------------------------------------


@transaction.atomic
def procedure_copy(*, procedure: Procedure, name: str = "") -> Procedure:
    """A copy of ``procedure`` with its steps and rules, for a party or a committee to adapt."""
    copy = Procedure.objects.create(
        name=name or f"{procedure.name}（副本）",
        party=procedure.party,
        org=procedure.org,
        valid_from=procedure.valid_from,
        seniority_from=procedure.seniority_from,
        membership_no_prefix=procedure.membership_no_prefix,
        note=procedure.note,
    )
    steps = {}
    for step in procedure.steps.all():
        old_pk = step.pk
        step.pk = None
        step.procedure = copy
        step.save()
        steps[old_pk] = step
    for rule in procedure.rules.all():
        rule.pk = None
        rule.procedure = copy
        rule.step = steps[rule.step_id]
        rule.since_step = steps.get(rule.since_step_id)
        rule.save()
    return copy
