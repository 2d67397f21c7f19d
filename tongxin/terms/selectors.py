"""Reads over terms and committees, always through the user's scope.

The committee composition (STATS.md, section ``terms``) is defined here once: the organization
page's sentence, the statistics, the workbench and the drill-down lists all call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from tongxin.core import codes
from tongxin.core.dates import age_on
from tongxin.core.figures import Figure, values
from tongxin.core.scope import Scope, subtree_q
from tongxin.core.tally import count
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import current_q

from .models import Term, TermSeat

DUE_SOON_MONTHS = 6

# 大学专科 or higher (STATS.md: college_or_above).
COLLEGE_OR_ABOVE = tuple(
    value
    for value in codes.Education.values
    if codes.education_group(value) in ("研究生", "大学本科", "大学专科")
)


def terms_in(*, scope: Scope, org: Organization | None = None) -> QuerySet[Term]:
    """Terms of organizations in the scope, optionally of ``org``'s subtree."""
    terms = Term.objects.filter(scope.q("org__path"))
    if org is not None:
        terms = terms.filter(subtree_q(org.path, "org__path"))
    return terms


def get_term(*, scope: Scope, pk) -> Term:
    try:
        return terms_in(scope=scope).select_related("org", "previous").get(pk=pk)
    except Term.DoesNotExist as exc:
        raise Http404("届次不存在或不在您的管理范围内") from exc


def current_terms(*, scope: Scope, org: Organization, on: date) -> QuerySet[Term]:
    """The open terms of the subtree's current organizations on ``on``."""
    return (
        terms_in(scope=scope, org=org)
        .filter(start__lte=on, end__isnull=True)
        .filter(Exists(Organization.objects.filter(current_q(on), pk=OuterRef("org_id"))))
    )


def due_soon_limit(on: date) -> date:
    return on + relativedelta(months=DUE_SOON_MONTHS)


def due_soon(*, scope: Scope, org: Organization, on: date) -> QuerySet[Term]:
    """Open terms falling due within six months of ``on`` (not yet overdue)."""
    return current_terms(scope=scope, org=org, on=on).filter(
        due_end__gte=on, due_end__lte=due_soon_limit(on)
    )


def overdue(*, scope: Scope, org: Organization, on: date) -> QuerySet[Term]:
    """Open terms whose due end has passed without an election."""
    return current_terms(scope=scope, org=org, on=on).filter(due_end__lt=on)


def renewed(*, scope: Scope, org: Organization, start: date, end: date) -> QuerySet[Term]:
    """Terms of the subtree (``org`` included) that started in ``[start, end]``: the renewals
    (换届) of a period."""
    return terms_in(scope=scope, org=org).filter(start__gte=start, start__lte=end)


# --- seats ------------------------------------------------------------------------------------

# What a list of seats may be narrowed to (the drill-down targets of the composition figures).
SEAT_FILTERS = {
    "seats": "全部席位",
    "re_elected": "连任",
    "newcomers": "新进",
    "women": "女性",
    "college_or_above": "大专及以上学历",
    "chairs": "主要负责人",
    "chairs_re_elected": "主要负责人连任",
}


def _sat_before(*, chair: bool = False) -> Exists:
    """The seat's holder sat on the same organization's previous committee (as its chair)."""
    earlier = TermSeat.objects.filter(term=OuterRef("term__previous"), person=OuterRef("person"))
    if chair:
        earlier = earlier.filter(is_chair=True)
    return Exists(earlier)


def narrow_seats(seats: QuerySet[TermSeat], which: str) -> QuerySet[TermSeat]:
    if which == "re_elected":
        return seats.filter(_sat_before())
    if which == "newcomers":
        return seats.exclude(_sat_before())
    if which == "women":
        return seats.filter(person__gender=codes.Gender.FEMALE)
    if which == "college_or_above":
        return seats.filter(person__education__in=COLLEGE_OR_ABOVE)
    if which == "chairs":
        return seats.filter(is_chair=True)
    if which == "chairs_re_elected":
        return seats.filter(is_chair=True).filter(_sat_before(chair=True))
    return seats


def seats_of(terms: QuerySet[Term], which: str = "seats") -> QuerySet[TermSeat]:
    seats = TermSeat.objects.filter(term__in=terms.values("pk"))
    return narrow_seats(seats, which)


def previous_seats_of(terms: QuerySet[Term], which: str = "seats") -> QuerySet[TermSeat]:
    """The seats of the terms that ``terms`` replaced."""
    seats = TermSeat.objects.filter(
        term__in=terms.filter(previous__isnull=False).values("previous")
    )
    return narrow_seats(seats, which)


def average_age(seats: QuerySet[TermSeat]) -> float:
    """Average age of the holders at their term's start (the election day), one decimal;
    holders without a birth date are left out."""
    ages = [
        age_on(born, start)
        for born, start in seats.values_list("person__birth_date", "term__start")
        if born is not None
    ]
    return round(sum(ages) / len(ages), 1) if ages else 0.0


# --- the composition --------------------------------------------------------------------------


@dataclass(frozen=True)
class Composition:
    """The figures of STATS.md's ``terms`` section for a set of new terms."""

    renewed: int
    seats: int
    re_elected: int
    newcomers: int
    chairs: int
    chairs_re_elected: int
    average_age: float
    previous_average_age: float
    women: int
    previous_women: int
    college_or_above: int
    previous_college_or_above: int
    voters_entitled: int
    voters_voted: int
    previous_seats: int  # seats of the terms replaced (0: nothing to compare with)

    def sentence(self) -> str:
        """ "新一届委员141名，其中连任80名、新进61名(43%)，平均年龄44岁，比上届年轻1岁，
        女委员43名(30%)，比上届多6名" — the way work summaries put it."""
        if not self.seats:
            return ""
        parts = [f"新一届委员{self.seats}名"]
        if self.previous_seats:
            parts[0] += (
                f"，其中连任{self.re_elected}名、新进{self.newcomers}名"
                f"({_percent(self.newcomers, self.seats)})"
            )
        age = _whole(self.average_age)
        parts.append(f"平均年龄{age}岁")
        if self.previous_seats:
            gap = _whole(self.previous_average_age) - age
            parts.append(
                f"比上届年轻{gap}岁"
                if gap > 0
                else f"比上届年长{-gap}岁"
                if gap < 0
                else "与上届持平"
            )
        parts.append(f"女委员{self.women}名({_percent(self.women, self.seats)})")
        if self.previous_seats:
            more = self.women - self.previous_women
            parts.append(
                f"比上届多{more}名"
                if more > 0
                else f"比上届少{-more}名"
                if more < 0
                else "与上届相同"
            )
        parts.append(
            f"大专及以上学历{self.college_or_above}名"
            f"({_percent(self.college_or_above, self.seats)})"
        )
        return "，".join(parts)


def _whole(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _percent(part: int, whole: int) -> str:
    return f"{_whole(part * 100 / whole)}%" if whole else "0%"


def composition_figures(terms: QuerySet[Term], *, url=None) -> dict[str, Figure]:
    """The composition of the committees of ``terms`` compared with the ones they replaced,
    summed over all of them, each figure with the seats (or terms) it is taken over.
    ``url(set, which)`` gives the address of the list of seats (``set`` "new" or "previous")
    or, for ``which="terms"``, of the terms."""
    url = url or (lambda _set, _which: "")
    seats = seats_of(terms)
    previous = previous_seats_of(terms)

    def counted(base: QuerySet[TermSeat], which: str, set_: str = "new") -> Figure:
        records = narrow_seats(base, which)
        return count(records, url(set_, which))

    with_election = terms.filter(election__isnull=False)
    voters = list(with_election.values_list("election__entitled", "election__voted"))
    return {
        "renewed": count(terms, url("new", "terms")),
        "seats": counted(seats, "seats"),
        "re_elected": counted(seats, "re_elected"),
        "newcomers": counted(seats, "newcomers"),
        "chairs": counted(seats, "chairs"),
        "chairs_re_elected": counted(seats, "chairs_re_elected"),
        "average_age": Figure(average_age(seats), seats, url("new", "seats")),
        "previous_average_age": Figure(average_age(previous), previous, url("previous", "seats")),
        "women": counted(seats, "women"),
        "previous_women": counted(previous, "women", "previous"),
        "college_or_above": counted(seats, "college_or_above"),
        "previous_college_or_above": counted(previous, "college_or_above", "previous"),
        # Sums over the elections: their records are the elections' terms, whose list adds up
        # the column (no list of that many rows: counts_records=False).
        "voters_entitled": Figure(
            sum(e for e, _ in voters), with_election, url("new", "entitled"), counts_records=False
        ),
        "voters_voted": Figure(
            sum(v for _, v in voters), with_election, url("new", "voted"), counts_records=False
        ),
        "previous_seats": counted(previous, "seats", "previous"),
    }


def composition(terms: QuerySet[Term]) -> Composition:
    return Composition(**values(composition_figures(terms)))


def term_composition(term: Term) -> Composition:
    return composition(Term.objects.filter(pk=term.pk))


def terms_with_seats(*, scope: Scope, org: Organization) -> list[Term]:
    """``org``'s own terms, newest first, with their election and seats loaded."""
    terms = (
        terms_in(scope=scope)
        .filter(org=org)
        .select_related("election", "previous")
        .prefetch_related("seats__person", "election__candidates__person")
        .order_by("-start")
    )
    return list(terms)


def seat_flags(term: Term) -> dict[int, bool]:
    """For each seat of ``term``: did its holder sit on the previous committee?"""
    previous = set(
        TermSeat.objects.filter(term_id=term.previous_id).values_list("person_id", flat=True)
    )
    return {seat.pk: seat.person_id in previous for seat in term.seats.all()}
