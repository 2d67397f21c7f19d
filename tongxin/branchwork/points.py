"""Reward points (奖励办法): what a member's or a branch's contributions earned in a year.

A contribution earns, under the rules of each year (``RewardRule``), the points for submitting
it, dated the day it was submitted, and the points of every rung of its ladder it reached, each
dated the day it reached that rung (added up the ladder). A year's points are the points dated
in that year: a report submitted in December and adopted by the national CPPCC in March earns
its submission in one year and its adoption in the next.

A member earns the points of the contributions they authored (co-signers earn none); a branch,
or any organization, the points of the contributions authored in its subtree — each
contribution once, however many of its authors the branch holds. The evaluation's rubric
formulas call ``branch_points`` and ``member_points``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from tongxin.core.figures import Figure
from tongxin.core.http import url_with_query
from tongxin.core.scope import Scope

from . import selectors
from .models import (
    RUNG_ORDER,
    Adoption,
    AdoptionRung,
    AuthorRole,
    Contribution,
    ContributionAuthor,
    ContributionKind,
    RewardRule,
)
from .selectors import Period

# CODES.md's example rubric (民革, one province), the default configuration. The data migration
# 0002 wrote the same rows; ``reward_rules_restore_defaults`` writes them again where missing.
DEFAULT_YEAR = 2000
DEFAULT_RULES = (
    ("proposal", "", 4, "提交提案"),
    ("proposal", AdoptionRung.COLLECTIVE, 3, "采纳为集体提案"),
    ("proposal", AdoptionRung.KEY, 10, "列为重点提案或大会发言"),
    ("proposal", AdoptionRung.CENTRE, 15, "被党派中央采用"),
    ("social_report", "", 2, "报送社情民意信息"),
    ("social_report", AdoptionRung.PROVINCE, 3, "被省政协或统战部采用"),
    ("social_report", AdoptionRung.CENTRE, 5, "被党派中央采用"),
    ("social_report", AdoptionRung.NATIONAL_CPPCC, 10, "被全国政协采用"),
    ("social_report", AdoptionRung.INSTRUCTION_PROVINCE, 10, "获部级领导批示"),
    ("social_report", AdoptionRung.INSTRUCTION_NATIONAL, 20, "获国家领导人批示"),
    ("article", "", 3, "发表理论文章"),
)

SUBMITTED_LABEL = "报送"


@transaction.atomic
def reward_rules_restore_defaults() -> int:
    """Write the default rules that are missing (an administrator's changes stay); returns how
    many were written."""
    written = 0
    for kind, rung, points, note in DEFAULT_RULES:
        _rule, created = RewardRule.objects.get_or_create(
            year=DEFAULT_YEAR, kind=kind, rung=rung, defaults={"points": points, "note": note}
        )
        written += created
    return written


class RuleBook:
    """The reward rules, read once: the points of (kind, rung) in a year are those of the latest
    rule for them starting in or before that year."""

    def __init__(self, rules=None):
        by_key: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for rule in RewardRule.objects.order_by("year") if rules is None else rules:
            by_key[(rule.kind, rule.rung)].append((rule.year, rule.points))
        self._years = {key: [y for y, _ in rows] for key, rows in by_key.items()}
        self._points = {key: [p for _, p in rows] for key, rows in by_key.items()}

    def in_force(self, year: int) -> list[tuple[str, str, int]]:
        """(kind label, rung label, points) of every rule giving points in ``year``, in the
        order of the kinds and of the ladder."""
        kinds = {value: i for i, value in enumerate(ContributionKind.values)}
        rows = []
        for kind, rung in sorted(
            self._years, key=lambda k: (kinds.get(k[0], 99), RUNG_ORDER.get(k[1], -1))
        ):
            points = self.points(kind, rung, year)
            if points:
                label = AdoptionRung(rung).label if rung else SUBMITTED_LABEL
                rows.append((ContributionKind(kind).label, label, points))
        return rows

    def points(self, kind: str, rung: str, year: int) -> int:
        years = self._years.get((kind, rung))
        if not years:
            return 0
        index = bisect_right(years, year) - 1
        return self._points[(kind, rung)][index] if index >= 0 else 0


@dataclass(frozen=True)
class PointRow:
    """One thing that earned points: a contribution submitted, or one rung it reached."""

    contribution: Contribution
    rung: str  # "" for submitting it
    on: date
    points: int
    document: str = ""

    @property
    def label(self) -> str:
        return AdoptionRung(self.rung).label if self.rung else SUBMITTED_LABEL


@dataclass
class Points:
    """Points earned in ``period`` and the rows that earned them, newest first."""

    period: Period
    rows: list[PointRow] = field(default_factory=list)
    url: str = ""

    @property
    def total(self) -> int:
        return sum(row.points for row in self.rows)

    @property
    def contribution_ids(self) -> list[int]:
        return sorted({row.contribution.pk for row in self.rows})

    def records(self) -> QuerySet[Contribution]:
        """The contributions that earned the points."""
        return Contribution.objects.filter(pk__in=self.contribution_ids).order_by(
            "-submitted_on", "-pk"
        )

    def figure(self) -> Figure:
        """The total as a figure: a sum, not a count (``counts_records``). Its records are the
        contributions it is summed over and its list (``url``) is the points page, whose total
        is this figure."""
        return Figure(value=self.total, records=self.records(), url=self.url, counts_records=False)


def _earning(contributions: QuerySet[Contribution], period: Period) -> list[Contribution]:
    """The contributions with something dated in ``period``, with their ladders."""
    if period:
        adopted = Adoption.objects.filter(contribution=OuterRef("pk")).filter(period.q("on"))
        contributions = contributions.filter(Q(period.q("submitted_on")) | Q(Exists(adopted)))
    return list(
        contributions.prefetch_related(
            Prefetch("adoptions", queryset=Adoption.objects.order_by("on", "pk"))
        ).order_by()
    )


def _rows(contributions, period: Period, book: RuleBook) -> list[PointRow]:
    rows = []
    for c in contributions:
        events = [("", c.submitted_on, c.reference)]
        events += [(a.rung, a.on, a.document) for a in c.adoptions.all()]
        for rung, on, document in events:
            if on in period:
                points = book.points(c.kind, rung, on.year)
                if points:
                    rows.append(PointRow(c, rung, on, points, document))
    rows.sort(key=lambda r: (r.on, r.contribution.pk, r.rung), reverse=True)
    return rows


def points_url(*, org=None, person=None, period: Period) -> str:
    query = {"org": org.pk} if org is not None else {"person": person.pk}
    if (
        period.start
        and period.end
        and (period.start, period.end)
        == (
            date(period.start.year, 1, 1),
            date(period.start.year, 12, 31),
        )
    ):
        query["year"] = period.start.year
    else:
        if period.start:
            query["from"] = period.start.isoformat()
        if period.end:
            query["to"] = period.end.isoformat()
    return url_with_query("branchwork:points", **query)


def org_points_between(
    *, scope: Scope, org, period: Period, book: RuleBook | None = None
) -> Points:
    """Points earned in ``period`` by the contributions authored in ``org``'s subtree."""
    found = selectors.contributions(scope=scope, org=org)
    rows = _rows(_earning(found, period), period, book or RuleBook())
    return Points(period=period, rows=rows, url=points_url(org=org, period=period))


def member_points_between(
    *, scope: Scope, person, period: Period, book: RuleBook | None = None
) -> Points:
    """Points earned in ``period`` by what ``person`` authored (among what the scope reads)."""
    authored = ContributionAuthor.objects.filter(
        contribution=OuterRef("pk"), person=person, role=AuthorRole.AUTHOR
    )
    found = selectors.contributions_in_scope(scope=scope).filter(Exists(authored))
    rows = _rows(_earning(found, period), period, book or RuleBook())
    return Points(period=period, rows=rows, url=points_url(person=person, period=period))


def branch_points(*, scope: Scope, org, year: int, book: RuleBook | None = None) -> Points:
    """A branch's (or any organization's) points for ``year``, with what earned them."""
    return org_points_between(scope=scope, org=org, period=Period.of_year(year), book=book)


def member_points(*, scope: Scope, person, year: int, book: RuleBook | None = None) -> Points:
    """A member's points for ``year``, with what earned them."""
    return member_points_between(scope=scope, person=person, period=Period.of_year(year), book=book)


def contribution_points(contribution: Contribution, book: RuleBook | None = None) -> list[PointRow]:
    """Every row a contribution earned, whatever the year: its ladder with the points."""
    return _rows([contribution], Period(), book or RuleBook())
