"""Reads over liaison, activities and contributions. Every function takes the user's scope.

The lists and the statistics share these functions: a figure's drill-down list is the same
queryset the figure counts (STATS.md: every number drills down).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from tongxin.core.codes import OrgKind
from tongxin.core.scope import Scope, get_in_scope_or_404, subtree_q
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization
from tongxin.people.selectors import members_on

from .models import (
    Activity,
    ActivityPhoto,
    Adoption,
    Attendance,
    AuthorRole,
    Contribution,
    ContributionAuthor,
    LiaisonAssignment,
    LiaisonVisit,
)

# The grassroots kinds that liaison covers (the workbench counts the same as 基层组织).
BRANCH_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


@dataclass(frozen=True)
class Period:
    """Dates from ``start`` to ``end``, both included; either may be open."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def q(self, field: str) -> Q:
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    def __contains__(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None


def half_year_start(on: date) -> date:
    """1 January or 1 July: the start of the half-year ``on`` falls in."""
    return on.replace(month=1 if on.month <= 6 else 7, day=1)


# --- liaison ---------------------------------------------------------------------------------


def assignments(*, scope: Scope, org: Organization) -> QuerySet[LiaisonAssignment]:
    """Liaison assignments to organizations of ``org``'s subtree, newest first."""
    return (
        LiaisonAssignment.objects.filter(scope.q("org__path"), subtree_q(org.path, "org__path"))
        .select_related("org", "person", "user")
        .order_by("org__path", "-start", "pk")
    )


def active_assignments(*, scope: Scope, org: Organization, on: date):
    return assignments(scope=scope, org=org).active_on(on)


def get_assignment(*, scope: Scope, pk) -> LiaisonAssignment:
    return get_in_scope_or_404(
        LiaisonAssignment.objects.select_related("org", "person", "user"),
        scope,
        "org__path",
        pk=pk,
    )


def visits(*, scope: Scope, org: Organization, period: Period = Period()):
    """Visits to organizations of ``org``'s subtree in ``period``, newest first."""
    return (
        LiaisonVisit.objects.filter(
            scope.q("org__path"), subtree_q(org.path, "org__path"), period.q("date")
        )
        .select_related("org", "assignment__person", "assignment__user")
        .order_by("-date", "-pk")
    )


def get_visit(*, scope: Scope, pk) -> LiaisonVisit:
    return get_in_scope_or_404(
        LiaisonVisit.objects.select_related("org", "assignment__person", "assignment__user"),
        scope,
        "org__path",
        pk=pk,
    )


def branches(*, scope: Scope, org: Organization, on: date) -> QuerySet[Organization]:
    """The current grassroots organizations of ``org``'s subtree (``org`` itself included)."""
    return org_selectors.subtree(scope=scope, org=org, on=on).filter(kind__in=BRANCH_KINDS)


def unvisited_branches(*, scope: Scope, org: Organization, on: date) -> QuerySet[Organization]:
    """Grassroots organizations with no visit recorded from the start of ``on``'s half-year to
    ``on``: the workbench card and its list."""
    recent = LiaisonVisit.objects.filter(
        org=OuterRef("pk"), date__gte=half_year_start(on), date__lte=on
    )
    return branches(scope=scope, org=org, on=on).exclude(Exists(recent))


# --- activities ------------------------------------------------------------------------------


def activities(
    *, scope: Scope, org: Organization, period: Period = Period(), kind: str = "", q: str = ""
) -> QuerySet[Activity]:
    """Activities of ``org``'s subtree in ``period`` (of ``kind``), newest first."""
    found = Activity.objects.filter(
        scope.q("org__path"), subtree_q(org.path, "org__path"), period.q("date")
    )
    if kind:
        found = found.filter(kind=kind)
    if q.strip():
        found = found.filter(Q(title__contains=q.strip()) | Q(place__contains=q.strip()))
    return found.select_related("org").order_by("-date", "-pk")


def get_activity(*, scope: Scope, pk) -> Activity:
    return get_in_scope_or_404(
        Activity.objects.select_related("org", "recorded_by"), scope, "org__path", pk=pk
    )


def get_photo(*, scope: Scope, pk) -> ActivityPhoto:
    return get_in_scope_or_404(
        ActivityPhoto.objects.select_related("activity"), scope, "activity__org__path", pk=pk
    )


def roster_on(*, scope: Scope, org: Organization, on: date):
    """The members an activity of ``org`` on ``on`` picks its attendance from."""
    return members_on(scope=scope, org=org, on=on).order_by("name_pinyin", "pk")


def attendance_counts(activity_ids) -> dict[int, tuple[int, int]]:
    """(expected, present) for each activity of a page."""
    rows = (
        Attendance.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id")
        .annotate(
            expected=Count("pk", filter=Q(expected=True)),
            present=Count("pk", filter=Q(present=True)),
        )
        .order_by()
    )
    return {r["activity_id"]: (r["expected"], r["present"]) for r in rows}


# --- contributions ---------------------------------------------------------------------------


def _authored_in(org: Organization, role: str | None = AuthorRole.AUTHOR) -> QuerySet:
    authors = ContributionAuthor.objects.filter(
        subtree_q(org.path, "org__path"), contribution=OuterRef("pk")
    )
    return authors.filter(role=role) if role else authors


def contributions_in_scope(*, scope: Scope) -> QuerySet[Contribution]:
    """Contributions the scope may read: one of their authors or co-signers is credited to an
    organization of the scope."""
    readable = ContributionAuthor.objects.filter(scope.q("org__path"), contribution=OuterRef("pk"))
    return Contribution.objects.filter(Exists(readable))


def contributions(
    *,
    scope: Scope,
    org: Organization,
    period: Period = Period(),
    kind: str = "",
    rung: str = "",
    person=None,
    q: str = "",
) -> QuerySet[Contribution]:
    """Contributions authored in ``org``'s subtree (by a member credited there or by one of its
    organizations), newest first.

    ``period`` is the date the list is about: the date submitted, or, with a ``rung``, the date
    that rung was reached ("reports adopted by the national CPPCC in 2025").
    """
    found = contributions_in_scope(scope=scope).filter(Exists(_authored_in(org)))
    if kind:
        found = found.filter(kind=kind)
    if rung:
        reached = Adoption.objects.filter(contribution=OuterRef("pk"), rung=rung).filter(
            period.q("on")
        )
        found = found.filter(Exists(reached))
    else:
        found = found.filter(period.q("submitted_on"))
    if person is not None:
        found = found.filter(
            Exists(ContributionAuthor.objects.filter(contribution=OuterRef("pk"), person=person))
        )
    if q.strip():
        found = found.filter(Q(title__contains=q.strip()) | Q(reference__contains=q.strip()))
    return found.order_by("-submitted_on", "-pk")


def get_contribution(*, scope: Scope, pk) -> Contribution:
    try:
        return contributions_in_scope(scope=scope).get(pk=pk)
    except Contribution.DoesNotExist as exc:
        raise Http404("成果不存在或不在您的管理范围内") from exc


def with_authors_and_ladder(contributions_page) -> list[Contribution]:
    """A page of contributions with their authors and adoptions read in two queries."""
    ids = [c.pk for c in contributions_page]
    loaded = Contribution.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "authors",
            queryset=ContributionAuthor.objects.select_related("person", "org").order_by(
                "role", "position", "pk"
            ),
        ),
        Prefetch("adoptions", queryset=Adoption.objects.order_by("on", "pk")),
    )
    by_pk = {c.pk: c for c in loaded}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def person_contributions(*, scope: Scope, person) -> QuerySet[Contribution]:
    """What ``person`` wrote or co-signed, among the contributions the scope may read."""
    return (
        contributions_in_scope(scope=scope)
        .filter(
            Exists(ContributionAuthor.objects.filter(contribution=OuterRef("pk"), person=person))
        )
        .order_by("-submitted_on", "-pk")
    )


def editable_by(contribution: Contribution, scope: Scope) -> bool:
    """A contribution is changed only by a scope that holds every one of its authors: a shared
    proposal is not rewritten from one of its branches."""
    paths = contribution.authors.values_list("org__path", flat=True)
    return all(scope.contains_path(path) for path in paths)
