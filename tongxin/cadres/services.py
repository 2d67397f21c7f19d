"""Writes of the cadres pipeline: each one transaction, keyword-only, Chinese errors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tongxin.core.dated import not_ended_q
from tongxin.core.scope import subtree_q
from tongxin.people import services as people_services
from tongxin.people.models import Affiliation, Person, Post

from . import selectors, training_rule
from .defaults import DEFAULT_STEPS
from .models import (
    AnnualAssessment,
    CandidateStatus,
    Contact,
    Opinion,
    PoolCandidate,
    PoolEntry,
    PoolLevel,
    PoolReview,
    PracticeAssignment,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
    RecommendationStep,
    ReviewDecision,
    StepRole,
    TalentPool,
    Talk,
    Vote,
    grade_set_of,
)

# ---------------------------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def pool_save(*, pool: TalentPool, excludes=None) -> TalentPool:
    pool.full_clean()
    pool.save()
    if excludes is not None:
        others = [p for p in excludes if p.pk != pool.pk]
        pool.excludes.set(others)
    return pool


@transaction.atomic
def pool_level_save(*, level: PoolLevel) -> PoolLevel:
    level.full_clean()
    level.save()
    return level


def _check_exclusions(*, pool: TalentPool, person: Person, on: date) -> None:
    clash = (
        PoolEntry.objects.active_on(on)
        .filter(person=person, pool__in=pool.excludes.all())
        .select_related("pool")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{person.name} 已在「{clash.pool.name}」中（{clash.start:%Y-%m-%d} 入库），"
            f"「{clash.pool.name}」与「{pool.name}」互斥，同一人不能同时在这两个库中"
        )


def _check_capacity(*, pool: TalentPool, level: PoolLevel | None, on: date) -> None:
    active = PoolEntry.objects.active_on(on).filter(pool=pool)
    if pool.capacity is not None and active.count() >= pool.capacity:
        raise ValidationError(f"「{pool.name}」名额已满（{pool.capacity} 人）")
    if level is not None and level.capacity is not None:
        if active.filter(level=level).count() >= level.capacity:
            raise ValidationError(f"「{pool.name}」{level.label}名额已满（{level.capacity} 人）")


@transaction.atomic
def pool_entry_start(
    *,
    pool: TalentPool,
    person: Person,
    on: date,
    source: str,
    decision_meeting: str,
    decision_date: date,
    level: PoolLevel | None = None,
    document_no: str = "",
    recommending_unit=None,
    by=None,
) -> PoolEntry:
    """入库: enter ``person`` in ``pool`` from ``on`` by the decision of ``decision_meeting``,
    recommended by ``recommending_unit`` (a node of the pool's subtree) where one did."""
    # Serialise entries into one pool: the capacity and the exclusions are counted below.
    TalentPool.objects.select_for_update().filter(pk=pool.pk).first()
    if not pool.is_active:
        raise ValidationError(f"「{pool.name}」已停用，不能入库")
    if not selectors.is_in_population(person=person, org=pool.owner, on=on):
        raise ValidationError(
            f"{person.name} 在 {on:%Y-%m-%d} 不是「{pool.owner.name}」的成员，也没有在其下的"
            "管理关系；党外人士请先登记管理关系（档案所在组织）"
        )
    already = PoolEntry.objects.filter(pool=pool, person=person).filter(not_ended_q("", on))
    if already.exists():
        raise ValidationError(f"{person.name} 已在「{pool.name}」中")
    _check_exclusions(pool=pool, person=person, on=on)
    if level is None and pool.levels.exists():
        raise ValidationError({"level": f"「{pool.name}」分层级管理，请选择层级"})
    _check_capacity(pool=pool, level=level, on=on)
    check_recommending_unit(unit=recommending_unit, owner=pool.owner)
    entry = PoolEntry(
        recommending_unit=recommending_unit,
        pool=pool,
        person=person,
        level=level,
        start=on,
        source=source,
        decision_meeting=decision_meeting,
        decision_date=decision_date,
        document_no=document_no,
        created_by=by,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def pool_person_register(
    *,
    person: Person,
    org,
    pool: TalentPool,
    on: date,
    source: str,
    decision_meeting: str,
    decision_date: date,
    level: PoolLevel | None = None,
    document_no: str = "",
    recommending_unit=None,
    by=None,
) -> PoolEntry:
    """Register a non-member (党外干部, 人才库人员) whose file ``org`` keeps, and enter them in
    ``pool``: the affiliation puts them in the scope of ``org``'s subtree."""
    if not org.path.startswith(pool.owner.path):
        raise ValidationError({"org": f"档案所在组织须在「{pool.owner.name}」之下"})
    people_services.person_update(person=person)
    people_services.affiliation_start(person=person, org=org, kind=pool.affiliation_kind, on=on)
    return pool_entry_start(
        pool=pool,
        person=person,
        on=on,
        source=source,
        decision_meeting=decision_meeting,
        decision_date=decision_date,
        level=level,
        document_no=document_no,
        recommending_unit=recommending_unit,
        by=by,
    )


def check_recommending_unit(*, unit, owner) -> None:
    """推荐单位: a node of the tree under the organization that keeps the pool (or runs the
    recommendation) — a street, an industry party committee, a department."""
    if unit is not None and not unit.path.startswith(owner.path):
        raise ValidationError(
            {"recommending_unit": f"推荐单位「{unit.name}」不在「{owner.name}」之下"}
        )


@transaction.atomic
def pool_entry_end(
    *, entry: PoolEntry, on: date, reason: str, note: str = "", by=None
) -> PoolEntry:
    """出库 on ``on`` for ``reason``. A non-member's file linked for the pool is let go when no
    other pool of the same organization holds them."""
    if entry.end is not None:
        raise ValidationError(f"{entry.person.name} 已于 {entry.end:%Y-%m-%d} 出库")
    if on < entry.start:
        raise ValidationError({"end": f"出库日期不能早于入库日期（{entry.start:%Y-%m-%d}）"})
    entry.end = on
    entry.exit_reason = reason
    entry.exit_note = note
    entry.ended_by = by
    entry.full_clean()
    entry.save()
    owner = entry.pool.owner
    still_held = (
        PoolEntry.objects.active_on(on)
        .filter(person=entry.person, pool__owner=owner)
        .exclude(pk=entry.pk)
        .exists()
    )
    if not still_held:
        linked = Affiliation.objects.active_on(on).filter(
            subtree_q(owner.path, "org__path"),
            person=entry.person,
            kind=entry.pool.affiliation_kind,
        )
        for affiliation in linked:
            people_services.affiliation_end(affiliation=affiliation, on=on)
    return entry


@transaction.atomic
def pool_review_decide(
    *,
    entry: PoolEntry,
    year: int,
    on: date,
    decision: str,
    reason: str,
    flags: str = "",
    exit_reason: str = "",
    by=None,
) -> PoolReview:
    """动态管理: keep ``entry`` with a reason, or exit it, for ``year``'s review."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写理由"})
    if decision == ReviewDecision.EXIT and not exit_reason:
        raise ValidationError({"exit_reason": "出库须选择出库原因"})
    review = PoolReview(
        entry=entry,
        year=year,
        on=on,
        decision=decision,
        reason=reason.strip(),
        flags=flags[:200],
        recorded_by=by,
    )
    review.full_clean()
    review.save()
    if decision == ReviewDecision.EXIT:
        pool_entry_end(entry=entry, on=on, reason=exit_reason, note=reason.strip()[:200], by=by)
    return review


# ---------------------------------------------------------------------------------------------
# Selection
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def candidate_start(
    *, pool: TalentPool, person: Person, on: date, source: str, by=None
) -> PoolCandidate:
    """列入考察: ``person`` becomes a candidate for ``pool`` (from the survey, usually)."""
    if not selectors.is_in_population(person=person, org=pool.owner, on=on):
        raise ValidationError(f"{person.name} 不在「{pool.owner.name}」的管理范围内")
    if PoolEntry.objects.active_on(on).filter(pool=pool, person=person).exists():
        raise ValidationError(f"{person.name} 已在「{pool.name}」中")
    _check_exclusions(pool=pool, person=person, on=on)
    candidate = PoolCandidate(pool=pool, person=person, source=source, found_on=on, recorded_by=by)
    candidate.full_clean()
    candidate.save()
    return candidate


def _check_open(candidate: PoolCandidate, on: date) -> None:
    if candidate.status not in (CandidateStatus.SURVEYING, CandidateStatus.LISTED):
        raise ValidationError(
            f"{candidate.person.name} 的考察已结束（{candidate.get_status_display()}）"
        )
    if on < candidate.found_on:
        raise ValidationError(f"日期不能早于列入考察的日期（{candidate.found_on:%Y-%m-%d}）")


@transaction.atomic
def talk_record(*, candidate: PoolCandidate, on: date, talkers: str, summary: str, by=None) -> Talk:
    _check_open(candidate, on)
    talk = Talk(candidate=candidate, on=on, talkers=talkers, summary=summary, recorded_by=by)
    talk.full_clean()
    talk.save()
    return talk


@transaction.atomic
def opinion_record(
    *, candidate: PoolCandidate, on: date, body: str, conclusion: str, text: str = "", by=None
) -> Opinion:
    _check_open(candidate, on)
    opinion = Opinion(
        candidate=candidate, on=on, body=body, conclusion=conclusion, text=text, recorded_by=by
    )
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def vote_record(
    *,
    candidate: PoolCandidate,
    on: date,
    meeting: str,
    participants: int,
    votes_for: int,
    by=None,
) -> Vote:
    _check_open(candidate, on)
    if votes_for > participants:
        raise ValidationError({"votes_for": "得票数不能多于参加人数"})
    vote = Vote(
        candidate=candidate,
        on=on,
        meeting=meeting,
        participants=participants,
        votes_for=votes_for,
        recorded_by=by,
    )
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def candidate_list(*, candidate: PoolCandidate, on: date, by=None) -> PoolCandidate:
    """列入初步人选: after a talk and the work unit's opinion."""
    _check_open(candidate, on)
    if candidate.status == CandidateStatus.LISTED:
        raise ValidationError(f"{candidate.person.name} 已列入初步人选")
    missing = []
    if not candidate.talks.exists():
        missing.append("谈心谈话")
    if not candidate.opinions.exists():
        missing.append("所在单位党组织意见")
    if missing:
        raise ValidationError(f"列入初步人选前须记录{'和'.join(missing)}")
    candidate.status = CandidateStatus.LISTED
    candidate.listed_on = on
    candidate.listed_by = by
    candidate.save(update_fields=["status", "listed_on", "listed_by"])
    return candidate


@transaction.atomic
def candidate_decide(
    *,
    candidate: PoolCandidate,
    on: date,
    meeting: str,
    level: PoolLevel | None = None,
    document_no: str = "",
    by=None,
) -> PoolEntry:
    """决定入库: the meeting's decision on ``on`` enters an initial-list candidate."""
    _check_open(candidate, on)
    if candidate.status != CandidateStatus.LISTED:
        raise ValidationError("须先列入初步人选，再研究决定入库")
    if candidate.listed_on and on < candidate.listed_on:
        raise ValidationError(
            f"决定日期不能早于列入初步人选的日期（{candidate.listed_on:%Y-%m-%d}）"
        )
    entry = pool_entry_start(
        pool=candidate.pool,
        person=candidate.person,
        on=on,
        source=candidate.source,
        decision_meeting=meeting,
        decision_date=on,
        level=level,
        document_no=document_no,
        by=by,
    )
    candidate.status = CandidateStatus.ENTERED
    candidate.entry = entry
    candidate.closed_on = on
    candidate.closed_by = by
    candidate.close_note = meeting
    candidate.save(update_fields=["status", "entry", "closed_on", "closed_by", "close_note"])
    return entry


@transaction.atomic
def candidate_drop(*, candidate: PoolCandidate, on: date, note: str, by=None) -> PoolCandidate:
    _check_open(candidate, on)
    if not note.strip():
        raise ValidationError({"note": "请说明未入选的原因"})
    candidate.status = CandidateStatus.DROPPED
    candidate.closed_on = on
    candidate.closed_by = by
    candidate.close_note = note.strip()
    candidate.save(update_fields=["status", "closed_on", "closed_by", "close_note"])
    return candidate


# ---------------------------------------------------------------------------------------------
# Assessment, practice, contacts
# ---------------------------------------------------------------------------------------------


def prepare_assessment(assessment: AnnualAssessment) -> AnnualAssessment:
    """Fill the grade set where the grade tells it, then validate (the import checks a whole
    file this way before writing any of it)."""
    assessment.reason = assessment.reason.strip()
    if not assessment.grade_set:
        assessment.grade_set = grade_set_of(assessment.grade)
    assessment.full_clean()
    return assessment


@transaction.atomic
def assessment_save(*, assessment: AnnualAssessment, by=None) -> AnnualAssessment:
    if assessment.pk is None:
        assessment.recorded_by = by
    prepare_assessment(assessment)
    assessment.save()
    return assessment


@transaction.atomic
def practice_save(*, assignment: PracticeAssignment, by=None) -> PracticeAssignment:
    if assignment.pk is None:
        assignment.recorded_by = by
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def contact_save(*, contact: Contact, people, by=None) -> Contact:
    people = list(people)
    if not people:
        raise ValidationError({"people": "请至少选择一名联系对象"})
    if contact.pk is None:
        contact.recorded_by = by
    contact.full_clean()
    contact.save()
    contact.people.set(people)
    return contact


# ---------------------------------------------------------------------------------------------
# Recommendation and use
# ---------------------------------------------------------------------------------------------


def _ensure_default_steps() -> None:
    """The default flow, should its rows all be gone (a flushed test database, or an
    administrator who deleted every default step): a recommendation always has a flow."""
    if not RecommendationStep.objects.filter(org__isnull=True).exists():
        for name, order, role in DEFAULT_STEPS:
            RecommendationStep.objects.create(org=None, name=name, order=order, role=role)


@transaction.atomic
def recommendation_create(*, recommendation: Recommendation, by=None) -> Recommendation:
    """推荐: start a recommendation at the first step of its owner's flow."""
    owner, person = recommendation.owner, recommendation.person
    on = recommendation.started_on
    if not selectors.is_in_population(person=person, org=owner, on=on):
        raise ValidationError(
            f"{person.name} 在 {on:%Y-%m-%d} 不是「{owner.name}」的成员，也没有在其下的管理关系"
        )
    target = recommendation.target_org
    # A target above the owner is a recommendation upward (向上推荐): to a higher body's
    # committee, pool or post; anything else must be in the owner's subtree.
    if target is not None and not (
        target.path.startswith(owner.path) or owner.path.startswith(target.path)
    ):
        raise ValidationError({"target_org": f"任职组织须在「{owner.name}」之下或为其上级组织"})
    check_recommending_unit(unit=recommendation.recommending_unit, owner=owner)
    _ensure_default_steps()
    steps = selectors.steps_for(org=owner)
    if not steps or steps[-1].role != StepRole.APPOINT:
        raise ValidationError("推荐步骤须以“任用”步骤结束，请管理员在“推荐步骤”中设置")
    recommendation.current_step = steps[0]
    recommendation.status = RecommendationStatus.IN_PROGRESS
    recommendation.recorded_by = by
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def rule_breaches(*, recommendation: Recommendation, on: date) -> list:
    """What 不培训不上岗 says about completing the current step on ``on`` (empty when the step
    does not check training, or the person meets every rule)."""
    step = recommendation.current_step
    if step is None or not step.checks:
        return []
    return training_rule.breaches(
        person=recommendation.person,
        post_kind=recommendation.post_kind,
        title=recommendation.title,
        on=on,
    )


def _next_step(recommendation: Recommendation) -> RecommendationStep | None:
    steps = selectors.steps_for(org=recommendation.owner)
    later = [s for s in steps if s.order > recommendation.current_step.order]
    return later[0] if later else None


def _appoint(recommendation: Recommendation, *, on: date, document_no: str) -> Post:
    post = recommendation.as_post(
        start=on,
        document_no=document_no,
        note=f"经{recommendation.owner.display_name}推荐任用",
    )
    # The 任用 step has put this post to 不培训不上岗 on this day, warnings with their reason.
    return people_services.post_record(post=post, rules_checked=True)


@transaction.atomic
def recommendation_advance(
    *,
    recommendation: Recommendation,
    on: date,
    opinion: str = "",
    participants: int | None = None,
    votes_for: int | None = None,
    document_no: str = "",
    warning_reason: str = "",
    by=None,
) -> RecommendationEvent:
    """Complete the current step on ``on``. A step that checks training (任用 always does)
    is refused when a rule of 不培训不上岗 refuses, and needs ``warning_reason`` when a rule
    only warns; 任用 creates the person's dated post."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != RecommendationStatus.IN_PROGRESS:
        raise ValidationError(f"该推荐{recommendation.get_status_display()}，不能再办理")
    step = recommendation.current_step
    last = recommendation.events.order_by("-on").first()
    earliest = last.on if last else recommendation.started_on
    if on < earliest:
        raise ValidationError({"on": f"日期不能早于上一步骤的日期（{earliest:%Y-%m-%d}）"})
    breaches = rule_breaches(recommendation=recommendation, on=on)
    refusals = [b for b in breaches if b.blocking]
    if refusals:
        raise ValidationError(
            f"{refusals[0].message}。不能办理「{step.name}」", code="training_refused"
        )
    warning = "；".join(b.message for b in breaches)
    if warning and not warning_reason.strip():
        raise ValidationError(
            {"warning_reason": f"{warning}。如仍办理「{step.name}」，须填写理由"},
            code="training_warning",
        )
    if step.role == StepRole.VOTE and (participants is None or votes_for is None):
        raise ValidationError({"votes_for": "民主推荐须填写参加人数和得票数"})
    event = RecommendationEvent(
        recommendation=recommendation,
        step=step,
        on=on,
        opinion=opinion,
        participants=participants,
        votes_for=votes_for,
        document_no=document_no,
        rule_warning=warning[:300],
        warning_reason=warning_reason.strip() if warning else "",
        recorded_by=by,
    )
    event.full_clean()
    event.save()
    if step.role == StepRole.APPOINT:
        recommendation.post = _appoint(recommendation, on=on, document_no=document_no)
    following = _next_step(recommendation)
    if following is None or step.role == StepRole.APPOINT:
        recommendation.status = RecommendationStatus.APPOINTED
        recommendation.current_step = None
    else:
        recommendation.current_step = following
    recommendation.save(update_fields=["status", "current_step", "post"])
    return event


@transaction.atomic
def recommendation_stop(
    *, recommendation: Recommendation, on: date, reason: str, by=None
) -> Recommendation:
    # Locked as recommendation_advance locks it: a stop and an appointment at once are judged
    # in turn, not both on the status read before either.
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != RecommendationStatus.IN_PROGRESS:
        raise ValidationError(f"该推荐{recommendation.get_status_display()}")
    if not reason.strip():
        raise ValidationError({"reason": "请填写终止原因"})
    recommendation.status = RecommendationStatus.STOPPED
    recommendation.stopped_on = on
    recommendation.stop_reason = reason.strip()[:300]
    recommendation.current_step = None
    recommendation.save(update_fields=["status", "stopped_on", "stop_reason", "current_step"])
    return recommendation
