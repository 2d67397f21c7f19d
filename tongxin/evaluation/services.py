"""Writes of the evaluation app: each one transaction, keyword-only, refusing in Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core.scope import subtree_q
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import current_q
from tongxin.people.models import Honor, MembershipSpell

from . import calculators
from .calculators import points_text
from .defaults import DEFAULT_NAME, default_items
from .models import GRASSROOTS_KINDS, Award, EvaluationRound, Rubric, RubricItem, Score

# --- rubrics ---------------------------------------------------------------------------------


def _check_rubric_editable(rubric: Rubric) -> None:
    closed = rubric.rounds.filter(status=EvaluationRound.Status.CLOSED).first()
    if closed is not None:
        raise ValidationError(f"已定稿的「{closed}」使用了这份细则，不能再修改；请复制一份后修改")


@transaction.atomic
def rubric_create_default(*, org: Organization, name: str = DEFAULT_NAME) -> Rubric:
    """A rubric holding the example items of CODES.md."""
    rubric = Rubric.objects.create(
        org=org, name=name, note="按示例细则（CODES.md）建立，可按本地办法调整分值和项目"
    )
    for order, fields in enumerate(default_items(), start=1):
        rubric_item_save(item=RubricItem(rubric=rubric, order=order, **fields))
    return rubric


@transaction.atomic
def rubric_copy(*, rubric: Rubric, name: str) -> Rubric:
    copy = Rubric.objects.create(
        org=rubric.org, name=name, note=rubric.note, scored_kinds=rubric.scored_kinds
    )
    for item in rubric.items.all():
        item.pk = None
        item.rubric = copy
        item.save()
    return copy


@transaction.atomic
def rubric_scored_kinds_save(*, rubric: Rubric, kinds: list[str]) -> Rubric:
    """Choose which grassroots nodes the rubric's rounds score (基层委员会, 总支, 支部); open
    rounds keep the nodes they started with."""
    _check_rubric_editable(rubric)
    unknown = [k for k in kinds if k not in GRASSROOTS_KINDS]
    # Kept as given when a kind is unknown, for clean() to refuse; else in the tree's order.
    rubric.scored_kinds = list(kinds) if unknown else [k for k in GRASSROOTS_KINDS if k in kinds]
    rubric.full_clean()
    rubric.save(update_fields=["scored_kinds"])
    return rubric


@transaction.atomic
def rubric_item_save(*, item: RubricItem) -> RubricItem:
    """Add or change an item; the open rounds that use the rubric score a new item too."""
    _check_rubric_editable(item.rubric)
    if item.calculator:
        known = calculators.CALCULATORS.get(item.calculator)
        if known is not None:
            item.params = known.defaults() | (item.params or {})
    else:
        item.params = {}
    item.full_clean()
    new = item.pk is None
    item.save()
    if new:
        for round_ in item.rubric.rounds.filter(status=EvaluationRound.Status.OPEN):
            orgs = round_.scores.order_by().values_list("org_id", flat=True).distinct()
            Score.objects.bulk_create(Score(round=round_, org_id=o, item=item) for o in orgs)
    return item


@transaction.atomic
def rubric_item_delete(*, item: RubricItem) -> None:
    _check_rubric_editable(item.rubric)
    item.scores.all().delete()
    item.delete()


# --- rounds ----------------------------------------------------------------------------------


def round_branches(
    *, org: Organization, year: int, kinds=GRASSROOTS_KINDS, today: date | None = None
):
    """The grassroots nodes a round of ``year`` under ``org`` scores: those of the subtree of
    ``kinds`` (the rubric's, by default 基层委员会, 总支 and 支部) that existed at the end of the
    year (or today, for the current year)."""
    today = today or timezone.localdate()
    on = min(date(year, 12, 31), today)
    return (
        Organization.objects.filter(subtree_q(org.path), kind__in=list(kinds))
        .exclude(pk=org.pk)
        .filter(current_q(on))
        .order_by("path")
    )


@transaction.atomic
def round_open(
    *, org: Organization, year: int, rubric: Rubric, title: str = "", today: date | None = None
) -> EvaluationRound:
    """Start a round: every grassroots node of ``org``'s subtree of the kinds the rubric scores
    gets a line for every item."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if year > today.year:
        errors["year"] = [f"{year}年度尚未开始，不能考评"]
    if EvaluationRound.objects.filter(org=org, year=year).exists():
        errors["year"] = [f"「{org}」{year}年度的考评已经建立"]
    items = list(rubric.items.all())
    if not items:
        errors["rubric"] = [f"考评细则「{rubric}」还没有考评项目"]
    if not org.path.startswith(rubric.org.path):
        errors["rubric"] = [f"考评细则「{rubric}」属于「{rubric.org}」，不能用于「{org}」"]
    branches = list(round_branches(org=org, year=year, kinds=rubric.scored_kinds, today=today))
    if not branches:
        kinds = "、".join(rubric.scored_kind_labels)
        errors["org"] = [f"「{org}」下没有{kinds}，无法按「{rubric}」考评"]
    if errors:
        raise ValidationError(errors)
    round_ = EvaluationRound.objects.create(
        org=org, year=year, rubric=rubric, title=title or f"{org.display_name}{year}年度支部考评"
    )
    Score.objects.bulk_create(
        Score(round=round_, org=branch, item=item) for branch in branches for item in items
    )
    return round_


def _locked_round(score: Score) -> EvaluationRound:
    # A score saved while the round is being closed would change a frozen round: the round's
    # row is locked here as round_close locks it, so one waits for the other.
    return EvaluationRound.objects.select_for_update().get(pk=score.round_id)


def _check_open(round_: EvaluationRound) -> None:
    if not round_.is_open:
        raise ValidationError(f"「{round_}」已定稿，得分不能再修改")


def _check_points(item: RubricItem, points: Decimal | None, what: str) -> None:
    if points is None:
        return
    if points < 0:
        raise ValidationError({"points": f"{what}不能为负数"})
    if item.max_points is not None and points > item.max_points:
        raise ValidationError(
            {
                "points": f"「{item.title}」最高 {points_text(item.max_points)} 分，"
                f"{what} {points_text(points)} 超出"
            }
        )


@transaction.atomic
def score_review(*, score: Score, points: Decimal | None, note: str = "", by) -> Score:
    """A reviewer's points for a manual item (None takes them back)."""
    _check_open(_locked_round(score))
    if not score.item.is_manual:
        raise ValidationError(f"「{score.item.title}」按记录自动计分，不需人工评分")
    _check_points(score.item, points, "评审分")
    score.review_points = points
    score.review_note = note
    score.reviewed_by = by if points is not None else None
    score.reviewed_at = timezone.now() if points is not None else None
    score.save(update_fields=["review_points", "review_note", "reviewed_by", "reviewed_at"])
    return score


@transaction.atomic
def score_self(*, score: Score, points: Decimal | None, evidence: str = "") -> Score:
    """The branch's own points (自评) for any item, with its evidence."""
    _check_open(_locked_round(score))
    _check_points(score.item, points, "自评分")
    score.self_points = points
    score.evidence = evidence
    score.save(update_fields=["self_points", "evidence"])
    return score


@transaction.atomic
def round_close(*, round_: EvaluationRound, by) -> EvaluationRound:
    """定稿: every manual item must be reviewed; the calculated items are computed once more
    and written with their records, so that the round no longer follows the data."""
    from .selectors import standings

    round_ = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
    _check_open(round_)
    missing = (
        round_.scores.filter(item__calculator="", review_points__isnull=True)
        .select_related("org", "item")
        .order_by("org__path", "item__order")
    )
    if missing.exists():
        count = missing.count()
        first = "、".join(f"{s.org.display_name}「{s.item.title}」" for s in missing[:3])
        more = f"等 {count} 项" if count > 3 else ""
        raise ValidationError(f"尚有人工评分项目未评分：{first}{more}，不能定稿")
    for standing in standings(round_=round_):
        for line in standing.items.values():
            if line.item.is_manual:
                continue
            score = line.score
            score.computed_points = line.points
            score.computed_lines = [entry.as_json() for entry in line.lines]
            score.computed_note = line.note[:200]
            score.save(update_fields=["computed_points", "computed_lines", "computed_note"])
    round_.status = EvaluationRound.Status.CLOSED
    round_.closed_at = timezone.now()
    round_.closed_by = by
    round_.save(update_fields=["status", "closed_at", "closed_by"])
    return round_


# --- awards ----------------------------------------------------------------------------------


@transaction.atomic
def award_decide(*, award: Award) -> Award:
    """Record an award of a closed round: a collective award goes to one of the round's
    branches, a personal one to a member of the round's subtree on the decision day."""
    round_ = EvaluationRound.objects.select_related("org").get(pk=award.round_id)
    errors: dict[str, list[str]] = {}
    if round_.is_open:
        errors["kind"] = [f"「{round_}」定稿后才能评定表彰"]
    if award.decided_on and award.decided_on.year < round_.year:
        errors["decided_on"] = [f"决定日期不能早于考评年度（{round_.year}年）"]
    if award.is_collective:
        award.person = None
        if award.org is None:
            errors["org"] = [f"「{award.get_kind_display()}」须选择受表彰的支部"]
        elif not round_.scores.filter(org=award.org).exists():
            errors["org"] = [
                f"「{award.org}」没有参加「{round_}」，不能评为{award.get_kind_display()}"
            ]
    else:
        award.org = None
        if award.person is None:
            errors["person"] = [f"「{award.get_kind_display()}」须选择受表彰的人员"]
        elif award.decided_on and not (
            MembershipSpell.objects.filter(person=award.person)
            .in_subtree(round_.org.path)
            .active_on(award.decided_on)
            .exists()
        ):
            errors["person"] = [
                f"{award.person.name} 在 {award.decided_on:%Y-%m-%d} 不是「{round_.org}」的在册成员"
            ]
    if errors:
        raise ValidationError(errors)
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def award_withdraw(*, award: Award) -> None:
    award.delete()


# --- honours ---------------------------------------------------------------------------------


@transaction.atomic
def honor_save(*, honor: Honor, today: date | None = None) -> Honor:
    today = today or timezone.localdate()
    if honor.conferred_on and honor.conferred_on > today:
        raise ValidationError({"conferred_on": f"授予日期 {honor.conferred_on:%Y-%m-%d} 晚于今天"})
    honor.title = honor.title.strip()
    honor.conferred_by = honor.conferred_by.strip()
    honor.full_clean()
    honor.save()
    return honor


@transaction.atomic
def honor_delete(*, honor: Honor) -> None:
    honor.delete()


@transaction.atomic
def org_honor_save(*, honor, today: date | None = None):
    """An honour of an organization of the tree (组织荣誉): the same rules as a person's."""
    today = today or timezone.localdate()
    if honor.conferred_on and honor.conferred_on > today:
        raise ValidationError({"conferred_on": f"授予日期 {honor.conferred_on:%Y-%m-%d} 晚于今天"})
    honor.title = honor.title.strip()
    honor.conferred_by = honor.conferred_by.strip()
    honor.full_clean()
    honor.save()
    return honor
