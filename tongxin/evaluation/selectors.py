"""Reads of the evaluation app, always through the user's scope.

``standings`` is the one place a round's scores are added up: the ranking page, the branch's
score sheet, the exports, the statistics and closing the round all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tongxin.core.numerals import chinese_number
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Honor, HonorLevel, Person
from tongxin.people.selectors import member_spells_on, people_in_scope

from .calculators import ZERO, Line, Period, evaluate, points_text
from .models import Award, EvaluationRound, Rubric, RubricItem, Score

# --- rubrics and rounds ----------------------------------------------------------------------


def rubrics_in(*, scope: Scope) -> QuerySet[Rubric]:
    """Rubrics the scope may use: those of its organizations and of their ancestors (a city
    committee scores its branches by the province's rubric)."""
    if scope.everything:
        return Rubric.objects.all()
    ancestors = Q(pk__in=[])
    for path in scope.paths:
        step = Organization.steplen
        prefixes = [path[:i] for i in range(step, len(path) + 1, step)]
        ancestors |= Q(org__path__in=prefixes)
    return Rubric.objects.filter(scope.q("org__path") | ancestors)


def get_rubric(*, scope: Scope, pk) -> Rubric:
    try:
        return rubrics_in(scope=scope).select_related("org").get(pk=pk)
    except Rubric.DoesNotExist as exc:
        raise Http404("考评细则不存在或不在您的管理范围内") from exc


def rounds_in(*, scope: Scope) -> QuerySet[EvaluationRound]:
    """Rounds whose whole ranking the scope may read: the round's organization is in it."""
    return EvaluationRound.objects.filter(scope.q("org__path"))


def rounds_with_sheets(*, scope: Scope) -> QuerySet[EvaluationRound]:
    """Rounds in which a branch of the scope is scored (a branch chair sees its own sheet)."""
    own = Score.objects.filter(scope.q("org__path"), round=OuterRef("pk"))
    return EvaluationRound.objects.filter(Exists(own))


def get_round(*, scope: Scope, pk) -> EvaluationRound:
    try:
        return rounds_in(scope=scope).select_related("org", "rubric").get(pk=pk)
    except EvaluationRound.DoesNotExist as exc:
        raise Http404("考评不存在或不在您的管理范围内") from exc


def get_sheet(*, scope: Scope, round_pk, org_pk) -> tuple[EvaluationRound, Organization]:
    """A branch's score sheet in a round: the branch must be in the scope and in the round."""
    scored = Score.objects.filter(scope.q("org__path"), round_id=round_pk, org_id=org_pk)
    first = scored.select_related("round__org", "round__rubric", "org").first()
    if first is None:
        raise Http404("考评或支部不存在，或不在您的管理范围内")
    return first.round, first.org


def get_score(*, scope: Scope, pk) -> Score:
    try:
        return (
            Score.objects.filter(scope.q("org__path"))
            .select_related("round__org", "item", "org")
            .get(pk=pk)
        )
    except Score.DoesNotExist as exc:
        raise Http404("得分记录不存在或不在您的管理范围内") from exc


def may_review(scope: Scope, round_: EvaluationRound) -> bool:
    """Reviewers work for the round's organization, not for the branch they score."""
    return scope.contains_path(round_.org.path)


# --- standings -------------------------------------------------------------------------------


@dataclass
class ItemScore:
    item: RubricItem
    score: Score
    points: Decimal | None  # None: a manual item not yet reviewed
    lines: tuple[Line, ...] = ()
    note: str = ""


@dataclass
class Standing:
    org: Organization
    items: dict[int, ItemScore] = field(default_factory=dict)
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return sum((i.points or ZERO for i in self.items.values()), ZERO)

    @property
    def self_total(self) -> Decimal | None:
        given = [
            i.score.self_points for i in self.items.values() if i.score.self_points is not None
        ]
        return sum(given, ZERO) if given else None

    @property
    def missing(self) -> int:
        return sum(1 for i in self.items.values() if i.points is None)


def _stored_lines(score: Score) -> tuple[Line, ...]:
    return tuple(
        Line(
            entry["label"],
            None if entry.get("points") is None else Decimal(entry["points"]),
            entry.get("url", ""),
        )
        for entry in score.computed_lines
    )


def standings(*, round_: EvaluationRound) -> list[Standing]:
    """Every branch of the round with its points on each item and its rank, best first.

    While the round is open the calculated items are computed from the records as they stand;
    once it is closed they are read as they were frozen."""
    scores = list(
        round_.scores.select_related("item", "org").order_by("org__path", "item__order", "item")
    )
    by_org: dict[int, Standing] = {}
    for score in scores:
        by_org.setdefault(score.org_id, Standing(org=score.org))
    computed = {}
    if round_.is_open:
        branches = [s.org for s in by_org.values()]
        period = Period.of_year(round_.year)
        for item in {s.item for s in scores if not s.item.is_manual}:
            computed[item.pk] = evaluate(item, branches, period)
    for score in scores:
        item = score.item
        if item.is_manual:
            line = ItemScore(item, score, score.review_points, (), score.review_note)
        elif round_.is_open:
            result = computed[item.pk][score.org_id]
            line = ItemScore(item, score, result.points, result.lines, result.note)
        else:
            line = ItemScore(
                item, score, score.computed_points, _stored_lines(score), score.computed_note
            )
        by_org[score.org_id].items[item.pk] = line
    ranked = sorted(by_org.values(), key=lambda s: (-s.total, s.org.path))
    for position, standing in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        standing.rank = previous.rank if previous and previous.total == standing.total else position
    return ranked


def ranking_sentence(*, round_: EvaluationRound, standing: Standing, count: int) -> str:
    """ "在全市18个支部考评中以总分92.5分名列第一" — as a branch's summary puts it."""
    rank = "第一" if standing.rank == 1 else f"第{chinese_number(standing.rank)}"
    return (
        f"在{round_.org.display_name}{round_.year}年度{count}个支部考评中"
        f"以总分{points_text(standing.total)}分名列{rank}"
    )


# --- awards and honours ----------------------------------------------------------------------


def awards_in(*, scope: Scope) -> QuerySet[Award]:
    """Awards to organizations of the scope or to people the scope holds."""
    return Award.objects.filter(
        Q(scope.q("org__path")) | Q(person__in=people_in_scope(scope=scope).values("pk"))
    )


def get_award(*, scope: Scope, pk) -> Award:
    """An award the scope may change: one of a round whose organization it holds."""
    try:
        return Award.objects.filter(scope.q("round__org__path")).select_related("round").get(pk=pk)
    except Award.DoesNotExist as exc:
        raise Http404("表彰记录不存在或不在您的管理范围内") from exc


def awards_under(
    *, scope: Scope, org: Organization, start: date, end: date, kind: str = ""
) -> QuerySet[Award]:
    """Awards decided in ``[start, end]`` to the subtree's organizations or to members of the
    subtree on the decision day."""
    member_then = member_spells_on(scope=scope, org=org, on=OuterRef("decided_on")).filter(
        person=OuterRef("person")
    )
    found = awards_in(scope=scope).filter(decided_on__gte=start, decided_on__lte=end)
    found = found.filter(Q(subtree_q(org.path, "org__path")) | Q(Exists(member_then)))
    return found.filter(kind=kind) if kind else found


# The seeds count 省级以上荣誉称号 together: national and provincial honours.
ABOVE_PROVINCIAL = "provincial_up"
HONOUR_LEVELS = {
    **dict(HonorLevel.choices),
    ABOVE_PROVINCIAL: "省级以上",
}
LEVELS_OF = {ABOVE_PROVINCIAL: (HonorLevel.NATIONAL, HonorLevel.PROVINCIAL)}


def honours_under(
    *, scope: Scope, org: Organization, start: date, end: date, level: str = ""
) -> QuerySet[Honor]:
    """Honours conferred in ``[start, end]`` on members of the subtree (members on the day);
    ``level`` is a ``HonorLevel`` or ``ABOVE_PROVINCIAL``, "" for every level."""
    member_then = member_spells_on(scope=scope, org=org, on=OuterRef("conferred_on")).filter(
        person=OuterRef("person")
    )
    found = Honor.objects.filter(
        Exists(member_then), conferred_on__gte=start, conferred_on__lte=end
    )
    return found.filter(level__in=LEVELS_OF.get(level, (level,))) if level else found


def honoured_people(
    *, scope: Scope, org: Organization, start: date, end: date, level: str = ""
) -> QuerySet[Person]:
    """The people of ``honours_under``, each once however many honours they received (the
    seeds count people: 88名会员得到市级表彰), with ``honours_counted``: how many of them."""
    found = honours_under(scope=scope, org=org, start=start, end=end, level=level)
    return (
        Person.objects.filter(pk__in=found.values("person"))
        .annotate(honours_counted=Count("honors", filter=Q(honors__in=found.values("pk"))))
        .order_by("name_pinyin", "pk")
    )


def honours_of(*, scope: Scope, person) -> QuerySet[Honor]:
    """A person's honours; ``person`` is one the scope holds (people.selectors.get_person)."""
    return Honor.objects.filter(person=person).order_by("-conferred_on", "-pk")


def get_honour(*, scope: Scope, pk) -> Honor:
    try:
        return (
            Honor.objects.filter(person__in=people_in_scope(scope=scope).values("pk"))
            .select_related("person")
            .get(pk=pk)
        )
    except Honor.DoesNotExist as exc:
        raise Http404("表彰荣誉记录不存在或不在您的管理范围内") from exc


@dataclass(frozen=True)
class Entry:
    """One branch in one round: its place among all the round's branches."""

    round: EvaluationRound
    standing: Standing
    count: int


def scored_entries(
    *, scope: Scope, org: Organization, start: date, end: date, top: int = 0
) -> list[Entry]:
    """The branches of ``org``'s subtree scored in the rounds of the years from ``start`` to
    ``end`` (in the scope), with their places; only the first ``top`` places when given."""
    mine = Score.objects.filter(
        scope.q("org__path"), subtree_q(org.path, "org__path"), round=OuterRef("pk")
    )
    rounds = (
        EvaluationRound.objects.filter(year__gte=start.year, year__lte=end.year)
        .filter(Exists(mine))
        .select_related("org")
        .order_by("-year", "org__path")
    )
    entries = []
    for round_ in rounds:
        ranking = standings(round_=round_)
        for standing in ranking:
            path = standing.org.path
            if not (path.startswith(org.path) and scope.contains_path(path)):
                continue
            if top and standing.rank > top:
                continue
            entries.append(Entry(round_, standing, len(ranking)))
    return entries
