"""A united-front department's non-party cadres (STATS.md: section ``non_party_cadres``).

The people counted at a date D are those whose file is kept in the subtree at D (an
affiliation of kind 党外干部 or 人才库人员) or who are, at D, in a pool of kind 党外干部,
党外后备干部, 优秀青年干部 or 专业人才库 kept by the subtree — each person once, whether or not
they are also a member of a branch somewhere (one person, two links).

``nonparty_list`` is the one selector of the section: each figure is the length of the list it
opens, with that list's filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from tongxin.core import codes
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people import population as people_population
from tongxin.people import selectors as people_selectors
from tongxin.people.models import Affiliation, Person, Post
from tongxin.people.takeups import TakeUpFilter, taken_up

from . import selectors
from .models import PoolKind, RankGroup

FILE_AFFILIATIONS = (
    codes.AffiliationKind.NON_PARTY_CADRE.value,
    codes.AffiliationKind.TALENT.value,
)
FILE_POOLS = (
    PoolKind.NON_PARTY.value,
    PoolKind.NON_PARTY_RESERVE.value,
    PoolKind.YOUNG.value,
    PoolKind.TALENT.value,
)
# The pools whose entries of a period the reports count by recommending unit.
ENTRY_POOLS = (PoolKind.NON_PARTY_RESERVE.value, PoolKind.YOUNG.value)
# The rank groups of the reports, with their ranks (GB/T 12407): 正职 is the first.
RANK_GROUPS = codes.RANK_GROUPS
# The level of a reserve, by the name the reports use.
RESERVE_LEVELS = {label: value for value, label in RankGroup.choices}

SHOWS = {
    "people": "人员",
    "entries": "入库记录",
    "units": "推荐单位",
    "posts": "新任职务",
}


@dataclass
class NonPartyFilter:
    """The list's filters, as in its URL. ``show`` names what is listed: people (at ``on``),
    entries of the period, the units that recommended them, or posts taken up in the period."""

    show: str = "people"
    on: date | None = None
    period_start: date | None = None
    rank_group: str = ""  # 县处级 … : people holding a government post of the group at ``on``
    principal: bool = False  # only 正职
    pool_kind: str = ""  # a PoolKind value: people in such a pool at ``on``
    level: str = ""  # a RankGroup value: the entry's level in that pool
    unit_kind: str = ""  # an organization kind code: entries recommended by a unit of it
    q: str = ""


def unit_kinds() -> list[tuple[str, str]]:
    """(code, name) of the kinds a recommending unit is counted by: every kind of the code
    table but the party's own and the department (部门) that keeps the files."""
    from tongxin.orgs.kinds import kind_choices

    party = {kind.value for kind in codes.OrgKind}
    return [(c, n) for c, n in kind_choices() if c not in party and c != "department"]


def files(*, scope: Scope, org: Organization, on: date) -> QuerySet[Person]:
    """The people of the section at ``on`` (each once)."""
    kept = Affiliation.objects.active_on(on).filter(
        scope.q("org__path"), subtree_q(org.path, "org__path"), kind__in=FILE_AFFILIATIONS
    )
    pooled = selectors.entries(scope=scope, org=org).active_on(on).filter(pool__kind__in=FILE_POOLS)
    return Person.objects.filter(
        Q(pk__in=kept.values("person_id")) | Q(pk__in=pooled.values("person_id"))
    )


def _ranks(filters: NonPartyFilter) -> tuple[str, ...]:
    ranks = RANK_GROUPS.get(filters.rank_group, ())
    return ranks[:1] if filters.principal else ranks


def period_entries(*, scope: Scope, org: Organization, start: date, end: date) -> QuerySet:
    return selectors.entries(scope=scope, org=org).filter(
        pool__kind__in=ENTRY_POOLS, start__gte=start, start__lte=end
    )


def person_q(*, scope: Scope, org: Organization, on: date, filters: NonPartyFilter) -> Q:
    """The condition a people's figure puts on the files (the list's filters but the search).
    Each part is an IN over the few posts or entries it asks about, so that a table of figures
    counts in one query over the files (tongxin.core.tally)."""
    q = Q()
    if filters.rank_group:
        held = people_population.posts_in_force(on, codes.PostKind.GOVERNMENT).filter(
            rank__in=list(_ranks(filters))
        )
        q &= Q(pk__in=held.values("person_id"))
    if filters.pool_kind:
        pooled = (
            selectors.entries(scope=scope, org=org)
            .active_on(on)
            .filter(pool__kind=filters.pool_kind)
        )
        if filters.level:
            pooled = pooled.filter(level__rank_group=filters.level)
        q &= Q(pk__in=pooled.values("person_id"))
    return q


def entry_q(filters: NonPartyFilter) -> Q:
    return Q(recommending_unit__kind=filters.unit_kind) if filters.unit_kind else Q()


def post_q(filters: NonPartyFilter) -> Q:
    return Q(rank__in=list(_ranks(filters))) if filters.rank_group else Q()


def period_posts(*, people: QuerySet, start: date, end: date) -> QuerySet:
    """Government posts of ``people`` taken up in the period (people.takeups), unannotated."""
    return Post.objects.filter(
        kind=codes.PostKind.GOVERNMENT,
        start__gte=start,
        start__lte=end,
        person__in=people.values("pk"),
    )


def _dates(filters: NonPartyFilter) -> tuple[date, date]:
    on = filters.on or date.today()
    return filters.period_start or on.replace(month=1, day=1), on


def nonparty_list(*, scope: Scope, org: Organization, filters: NonPartyFilter) -> QuerySet:
    """The records the list at these filters shows (and a figure counts)."""
    start, on = _dates(filters)
    people = files(scope=scope, org=org, on=on)
    if filters.show == "entries" or filters.show == "units":
        found = period_entries(scope=scope, org=org, start=start, end=on).filter(entry_q(filters))
        if filters.show == "units":
            return Organization.objects.filter(
                pk__in=found.exclude(recommending_unit=None).values("recommending_unit_id")
            ).order_by("path")
        return found.select_related("pool", "person", "level", "recommending_unit").order_by(
            "-start", "pk"
        )
    if filters.show == "posts":
        take = TakeUpFilter(
            start=start, end=on, kind=codes.PostKind.GOVERNMENT.value, ranks=_ranks(filters)
        )
        return taken_up(people=people, filters=take).select_related("person")
    people = people.filter(person_q(scope=scope, org=org, on=on, filters=filters))
    if filters.q:
        people = people_selectors.matching(people, filters.q)
    return people.order_by("name_pinyin", "pk")
