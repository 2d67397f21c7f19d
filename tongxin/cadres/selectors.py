"""Reads over pools, selection, assessments, practice, recommendations and contacts.

Every function takes the user's scope. Records run by an organization (pools and what hangs on
them, recommendations, contacts) are in scope through that organization's path; assessments and
practice postings through their person (people.selectors.people_in_scope), those dated while
the scope held the person (people.selectors.seen_then_q).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tongxin.core.codes import AdminRank, AffiliationKind
from tongxin.core.dates import birth_date_bounds
from tongxin.core.scope import Scope, get_in_scope_or_404, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people import population as people_population
from tongxin.people import selectors as people_selectors
from tongxin.people.models import Person

from .models import (
    BELOW_STANDARD,
    AnnualAssessment,
    CandidateStatus,
    Contact,
    PoolCandidate,
    PoolEntry,
    PracticeAssignment,
    Recommendation,
    RecommendationStatus,
    RecommendationStep,
    TalentPool,
)

# ---------------------------------------------------------------------------------------------
# Records in scope
# ---------------------------------------------------------------------------------------------


def _owned(queryset: QuerySet, scope: Scope, field: str, org: Organization | None) -> QuerySet:
    queryset = queryset.filter(scope.q(field))
    if org is not None:
        queryset = queryset.filter(subtree_q(org.path, field))
    return queryset


def pools(*, scope: Scope, org: Organization | None = None) -> QuerySet[TalentPool]:
    """Pools run in the scope (and in ``org``'s subtree, when given)."""
    return _owned(TalentPool.objects.select_related("owner"), scope, "owner__path", org)


def get_pool(*, scope: Scope, pk) -> TalentPool:
    return get_in_scope_or_404(
        TalentPool.objects.select_related("owner"), scope, "owner__path", pk=pk
    )


def entries(*, scope: Scope, org: Organization | None = None) -> QuerySet[PoolEntry]:
    return _owned(PoolEntry.objects.all(), scope, "pool__owner__path", org)


def get_entry(*, scope: Scope, pk) -> PoolEntry:
    return get_in_scope_or_404(
        PoolEntry.objects.select_related("pool", "person", "level"),
        scope,
        "pool__owner__path",
        pk=pk,
    )


def candidates(*, scope: Scope, org: Organization | None = None) -> QuerySet[PoolCandidate]:
    return _owned(PoolCandidate.objects.all(), scope, "pool__owner__path", org)


def get_candidate(*, scope: Scope, pk) -> PoolCandidate:
    return get_in_scope_or_404(
        PoolCandidate.objects.select_related("pool", "person", "entry"),
        scope,
        "pool__owner__path",
        pk=pk,
    )


def _of_people_in_scope(queryset: QuerySet, scope: Scope, on: str, by_year=False) -> QuerySet:
    """The records of people in scope dated while the scope held them (a record dated after
    the person left for another organization is that one's)."""
    return queryset.filter(
        people_selectors.seen_then_q(scope=scope, on=on, by_year=by_year),
        person__in=people_selectors.people_in_scope(scope=scope),
    )


def assessments(*, scope: Scope) -> QuerySet[AnnualAssessment]:
    return _of_people_in_scope(AnnualAssessment.objects.all(), scope, "year", by_year=True)


def get_assessment(*, scope: Scope, pk) -> AnnualAssessment:
    try:
        return assessments(scope=scope).select_related("person").get(pk=pk)
    except AnnualAssessment.DoesNotExist as exc:
        raise Http404("考核记录不存在或不在您的管理范围内") from exc


def practice(*, scope: Scope) -> QuerySet[PracticeAssignment]:
    return _of_people_in_scope(PracticeAssignment.objects.all(), scope, "start")


def get_practice(*, scope: Scope, pk) -> PracticeAssignment:
    try:
        return practice(scope=scope).select_related("person").get(pk=pk)
    except PracticeAssignment.DoesNotExist as exc:
        raise Http404("实践锻炼记录不存在或不在您的管理范围内") from exc


def recommendations(*, scope: Scope, org: Organization | None = None) -> QuerySet[Recommendation]:
    return _owned(Recommendation.objects.all(), scope, "owner__path", org)


def get_recommendation(*, scope: Scope, pk) -> Recommendation:
    return get_in_scope_or_404(
        Recommendation.objects.select_related("owner", "person", "current_step", "post"),
        scope,
        "owner__path",
        pk=pk,
    )


def contacts(*, scope: Scope, org: Organization | None = None) -> QuerySet[Contact]:
    return _owned(Contact.objects.all(), scope, "owner__path", org)


def get_contact(*, scope: Scope, pk) -> Contact:
    return get_in_scope_or_404(Contact.objects.all(), scope, "owner__path", pk=pk)


# ---------------------------------------------------------------------------------------------
# Who a pool draws from, and who meets its conditions
# ---------------------------------------------------------------------------------------------


POOL_AFFILIATIONS = [kind for kind in AffiliationKind.values if kind != AffiliationKind.APPLICANT]


def population(*, scope: Scope, org: Organization, on: date) -> QuerySet[Person]:
    """Whom a pool of ``org`` draws from on ``on``: the subtree's members and the non-members
    whose file it keeps as cadres, talents or otherwise — not applicants, whose file a branch
    keeps only while their admission runs."""
    return people_selectors.people_on(
        scope=scope, org=org, on=on, affiliation_kinds=POOL_AFFILIATIONS
    )


def meeting_conditions(people: QuerySet[Person], *, pool: TalentPool, on: date) -> QuerySet:
    """``people`` narrowed to those who meet ``pool``'s conditions on ``on``."""
    if pool.max_age is not None:
        earliest, _latest = birth_date_bounds(on, None, pool.max_age)
        people = people.filter(birth_date__gte=earliest)
    # Lower codes are higher levels and ranks (GB/T 8561, GB/T 12407, GB/T 4658).
    qualified = Q()
    if pool.min_title_level:
        qualified |= Q(title_level__gte="1", title_level__lte=pool.min_title_level)
    if pool.min_rank:
        ranks = [rank for rank in AdminRank.values if rank <= pool.min_rank]
        qualified |= people_population.rank_holders_q(on, ranks)
    if qualified:
        people = people.filter(qualified)
    if pool.min_education:
        ceiling = f"{int(pool.min_education) + 1}0"
        people = people.filter(education__gte="10", education__lt=ceiling)
    return people


def in_pools_on(*, pool_ids, on: date) -> QuerySet:
    """Ids of the people in any of ``pool_ids`` on ``on``."""
    return PoolEntry.objects.active_on(on).filter(pool_id__in=pool_ids).values("person_id")


def eligible(*, scope: Scope, pool: TalentPool, on: date) -> QuerySet[Person]:
    """The survey: people of the pool's subtree who meet its conditions on ``on`` and are in
    neither the pool nor a pool that excludes it, nor already its candidates."""
    people = meeting_conditions(population(scope=scope, org=pool.owner, on=on), pool=pool, on=on)
    blocked = [pool.pk, *pool.excludes.values_list("pk", flat=True)]
    open_candidates = PoolCandidate.objects.filter(
        pool=pool, status__in=[CandidateStatus.SURVEYING, CandidateStatus.LISTED]
    ).values("person_id")
    return (
        people.exclude(pk__in=in_pools_on(pool_ids=blocked, on=on))
        .exclude(pk__in=open_candidates)
        .order_by("-birth_date", "name_pinyin", "pk")
    )


def is_in_population(*, person: Person, org: Organization, on: date) -> bool:
    everything = Scope(everything=True)
    return population(scope=everything, org=org, on=on).filter(pk=person.pk).exists()


# ---------------------------------------------------------------------------------------------
# The entries list and its filters (the drill-down target of the statistics)
# ---------------------------------------------------------------------------------------------


@dataclass
class EntryFilter:
    """Filters of the entries list, as they appear in the URL. ``on`` lists who is in a pool
    on that day; ``started_*`` and ``ended_*`` list entries and exits in a period."""

    pool: int | None = None
    kind: str = ""
    on: date | None = None
    started_from: date | None = None
    started_to: date | None = None
    source: str = ""
    ended_from: date | None = None
    ended_to: date | None = None
    exit_reason: str = ""
    rank_group: str = ""  # a RankGroup value, or "none" for entries without one
    position: str = ""
    horizon: str = ""
    gender: str = ""
    age_band: str = ""
    education: str = ""  # an education group (研究生 …)
    over_age: bool = False  # past the pool's age limit on ``on``
    q: str = ""


def _level_filter(entries: QuerySet, field: str, value: str) -> QuerySet:
    if not value:
        return entries
    if value == "none":
        return entries.filter(Q(level__isnull=True) | Q(**{f"level__{field}": ""}))
    return entries.filter(**{f"level__{field}": value})


def over_age_q(*, pools_qs, on: date) -> Q:
    """Entries whose person is past their pool's age limit on ``on``."""
    q = Q(pk__in=[])
    for pool_id, max_age in pools_qs.exclude(max_age=None).values_list("pk", "max_age"):
        earliest, _latest = birth_date_bounds(on, None, max_age)
        q |= Q(pool_id=pool_id, person__birth_date__lt=earliest)
    return q


def entry_list(*, scope: Scope, org: Organization, filters: EntryFilter) -> QuerySet[PoolEntry]:
    """The entries of pools in ``org``'s subtree that pass ``filters``."""
    found = entries(scope=scope, org=org)
    if filters.pool:
        found = found.filter(pool_id=filters.pool)
    if filters.kind:
        found = found.filter(pool__kind=filters.kind)
    if filters.on:
        found = found.active_on(filters.on)
    if filters.started_from:
        found = found.filter(start__gte=filters.started_from)
    if filters.started_to:
        found = found.filter(start__lte=filters.started_to)
    if filters.source:
        found = found.filter(source=filters.source)
    if filters.ended_from:
        found = found.filter(end__gte=filters.ended_from)
    if filters.ended_to:
        found = found.filter(end__lte=filters.ended_to)
    if filters.exit_reason:
        found = found.filter(exit_reason=filters.exit_reason)
    found = _level_filter(found, "rank_group", filters.rank_group)
    found = _level_filter(found, "position", filters.position)
    found = _level_filter(found, "horizon", filters.horizon)
    age_on = filters.on or filters.ended_to or filters.started_to or timezone.localdate()
    # The person's gender, age and education as the roster and the statistics read them.
    person = people_population.person_q(
        on=age_on, gender=filters.gender, age_band=filters.age_band, education=filters.education
    )
    if person:
        # Asked of each entry's person by primary key: an IN list would read every person of
        # the country that meets the condition, for each figure.
        found = found.filter(Exists(Person.objects.filter(person, pk=OuterRef("person_id"))))
    if filters.over_age:
        found = found.filter(over_age_q(pools_qs=pools(scope=scope, org=org), on=age_on))
    if filters.q:
        found = found.filter(person__in=people_selectors.matching(Person.objects.all(), filters.q))
    return found.order_by("pool__owner__path", "pool__name", "-start", "pk")


# ---------------------------------------------------------------------------------------------
# Year-end review, missing assessments
# ---------------------------------------------------------------------------------------------


def assessment_year(on: date) -> int:
    """The last year whose assessments are due on ``on``: the year itself on 31 December,
    else the year before."""
    return on.year if (on.month, on.day) == (12, 31) else on.year - 1


def pool_people_on(*, scope: Scope, org: Organization, on: date) -> QuerySet[Person]:
    """Everyone in a pool of ``org``'s subtree on ``on`` (a person counts once)."""
    active = entries(scope=scope, org=org).active_on(on).values("person_id")
    return Person.objects.filter(pk__in=active)


def missing_assessments(*, scope: Scope, org: Organization, year: int, on: date):
    """People in a pool of the subtree on ``on`` without an assessment for ``year``."""
    assessed = AnnualAssessment.objects.filter(year=year).values("person_id")
    return pool_people_on(scope=scope, org=org, on=on).exclude(pk__in=assessed)


@dataclass
class ReviewRow:
    entry: PoolEntry
    age: int | None
    over_age: bool
    grade: AnnualAssessment | None
    below_standard: bool
    untrained: bool
    training_note: str
    review: object  # the PoolReview of the year, if taken

    @property
    def flags(self) -> list[str]:
        found = []
        if self.over_age:
            found.append(f"超龄（{self.age}岁）")
        if self.below_standard:
            found.append(f"{self.grade.year}年度考核{self.grade.get_grade_display()}")
        if self.untrained:
            found.append(self.training_note or "未参加培训")
        return found

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def review_rows(*, scope: Scope, pool: TalentPool, year: int, on: date) -> list[ReviewRow]:
    """The 动态管理 list of ``pool`` for ``year``: everyone in the pool on ``on`` with what the
    review must look at — over the age limit, assessed below standard for ``year``, without
    the training the pool asks for."""
    from tongxin.core.dates import age_on

    from . import training_rule

    pool_entries = list(
        entries(scope=scope)
        .filter(pool=pool)
        .active_on(on)
        .select_related("person", "level")
        .prefetch_related("reviews")
        .order_by("person__name_pinyin", "pk")
    )
    people = [e.person for e in pool_entries]
    grades = {a.person_id: a for a in AnnualAssessment.objects.filter(year=year, person__in=people)}
    untrained = training_rule.untrained(people=people, year=year, on=on)
    rows = []
    for entry in pool_entries:
        age = age_on(entry.person.birth_date, on)
        grade = grades.get(entry.person_id)
        review = next((r for r in entry.reviews.all() if r.year == year), None)
        rows.append(
            ReviewRow(
                entry=entry,
                age=age,
                over_age=pool.max_age is not None and age is not None and age > pool.max_age,
                grade=grade,
                below_standard=grade is not None and grade.grade in BELOW_STANDARD,
                # Training is asked of the year only of those in the pool by its end.
                untrained=entry.person_id in untrained and entry.start <= date(year, 12, 31),
                training_note=untrained.get(entry.person_id, ""),
                review=review,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------------


def steps_for(*, org: Organization) -> list[RecommendationStep]:
    """The recommendation steps that apply under ``org``: those of the nearest organization at
    or above it that has its own, else the defaults."""
    paths = [org.path[: i * org.steplen] for i in range(org.depth, 0, -1)]
    own = RecommendationStep.objects.filter(org__path__in=paths).values_list("org__path", flat=True)
    nearest = max(own, key=len, default=None)
    if nearest is not None:
        return list(RecommendationStep.objects.filter(org__path=nearest).order_by("order"))
    return list(RecommendationStep.objects.filter(org__isnull=True).order_by("order"))


@dataclass
class RecommendationFilter:
    status: str = ""
    direction: str = ""
    post_kind: str = ""
    step: int | None = None
    appointed_from: date | None = None
    appointed_to: date | None = None
    upward: bool = False  # 向上推荐: the target is a higher body, outside ``org``'s subtree
    q: str = ""


def recommendation_list(
    *, scope: Scope, org: Organization, filters: RecommendationFilter
) -> QuerySet[Recommendation]:
    found = recommendations(scope=scope, org=org)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.direction:
        found = found.filter(direction=filters.direction)
    if filters.post_kind:
        found = found.filter(post_kind=filters.post_kind)
    if filters.step:
        found = found.filter(current_step_id=filters.step, status=RecommendationStatus.IN_PROGRESS)
    if filters.appointed_from or filters.appointed_to:
        found = found.filter(status=RecommendationStatus.APPOINTED)
        if filters.appointed_from:
            found = found.filter(post__start__gte=filters.appointed_from)
        if filters.appointed_to:
            found = found.filter(post__start__lte=filters.appointed_to)
    if filters.upward:
        found = found.filter(target_org__isnull=False).exclude(
            subtree_q(org.path, "target_org__path")
        )
    if filters.q:
        found = found.filter(person__in=people_selectors.matching(Person.objects.all(), filters.q))
    return found.order_by("-started_on", "-pk")


# ---------------------------------------------------------------------------------------------
# Assessments list
# ---------------------------------------------------------------------------------------------


@dataclass
class AssessmentFilter:
    """``cadres_on``: only the people in a pool of the subtree on that day (the statistics'
    population); otherwise everyone of the subtree who has an assessment."""

    year: int | None = None
    grade: str = ""
    cadres_on: date | None = None
    q: str = ""


def assessment_list(
    *, scope: Scope, org: Organization, filters: AssessmentFilter
) -> QuerySet[AnnualAssessment]:
    if filters.cadres_on:
        people = pool_people_on(scope=scope, org=org, on=filters.cadres_on)
    else:
        people = people_of_subtree(scope=scope, org=org)
    found = AnnualAssessment.objects.filter(
        people_selectors.seen_then_q(scope=scope.narrow(org.path), on="year", by_year=True),
        person__in=people,
    )
    if filters.year:
        found = found.filter(year=filters.year)
    if filters.grade:
        found = found.filter(grade=filters.grade)
    if filters.q:
        found = found.filter(person__in=people_selectors.matching(Person.objects.all(), filters.q))
    return found.order_by("-year", "person__name_pinyin", "pk")


def people_of_subtree(*, scope: Scope, org: Organization) -> QuerySet[Person]:
    """Everyone with any spell or affiliation, past or present, in ``org``'s subtree."""
    narrowed = scope.narrow(org.path)
    return people_selectors.people_in_scope(scope=narrowed)


def practice_list(*, scope: Scope, org: Organization, kind: str = "", q: str = ""):
    found = PracticeAssignment.objects.filter(
        people_selectors.seen_then_q(scope=scope.narrow(org.path), on="start"),
        person__in=people_of_subtree(scope=scope, org=org),
    )
    if kind:
        found = found.filter(kind=kind)
    if q:
        found = found.filter(person__in=people_selectors.matching(Person.objects.all(), q))
    return found.order_by("-start", "pk")
