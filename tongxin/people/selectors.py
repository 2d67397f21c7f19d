"""Reads over people and membership. Every function takes the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from tongxin.core import codes
from tongxin.core.dates import AGE_BANDS, birth_date_bounds
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization

from .models import Affiliation, MembershipSpell, Person, Post, id_number_q


def spells_in(*, scope: Scope, path: str | None = None) -> QuerySet[MembershipSpell]:
    """Spells in the scope, optionally narrowed to the subtree at ``path``."""
    spells = MembershipSpell.objects.filter(scope.q("org__path"))
    if path is not None:
        spells = spells.filter(subtree_q(path, "org__path"))
    return spells


def members_on(*, scope: Scope, org, on: date) -> QuerySet[Person]:
    """Members of ``org``'s subtree on ``on`` (a person counts once however many spells)."""
    spells = spells_in(scope=scope, path=org.path).active_on(on)
    # Driving from the spells keeps the cost proportional to the subtree, not the table.
    return Person.objects.filter(pk__in=spells.values("person_id"))


def affiliations_in(*, scope: Scope, path: str | None = None) -> QuerySet[Affiliation]:
    """Affiliations (管理关系) in the scope, optionally narrowed to the subtree at ``path``."""
    affiliations = Affiliation.objects.filter(scope.q("org__path"))
    if path is not None:
        affiliations = affiliations.filter(subtree_q(path, "org__path"))
    return affiliations


def people_in_scope(*, scope: Scope) -> QuerySet[Person]:
    """Everyone with any spell or affiliation, past or present, in the scope: their history
    belongs to it."""
    return Person.objects.filter(
        Q(pk__in=spells_in(scope=scope).values("person_id"))
        | Q(pk__in=affiliations_in(scope=scope).values("person_id"))
    )


def get_person(*, scope: Scope, pk) -> Person:
    """One person the scope may see, else 404."""
    try:
        return people_in_scope(scope=scope).get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404("人员不存在或不在您的管理范围内") from exc


def current_org_names(*, people, on: date, scope: Scope) -> dict[int, str]:
    """The organization each of a page of people belongs to on ``on``, within the scope."""
    # Looked up by person (a page of them), then held against the scope: the subtree's
    # thousands of spells need not be read for fifty lines.
    rows = (
        MembershipSpell.objects.filter(person_id__in=list(people))
        .active_on(on)
        .order_by("start")
        .values_list("person_id", "org__path", "org__short_name", "org__name")
    )
    return {
        person_id: short_name or name
        for person_id, path, short_name, name in rows
        if scope.contains_path(path)
    }


# --- roster filters -------------------------------------------------------------------------


def _codes_in_group(choices, group_of, group: str) -> list[str]:
    return [value for value in choices.values if group_of(value) == group]


SEARCH_MIN_LENGTH = 1


@dataclass
class RosterFilter:
    """The roster's filters, as they appear in the URL."""

    q: str = ""
    gender: str = ""
    age_band: str = ""
    education: str = ""
    degree: str = ""
    title_level: str = ""
    rank_group: str = ""
    sector: str = ""
    retired: str = ""  # "1" retired, "0" in service
    branch: int | None = None
    sort: str = "name"

    SORTS = {
        "name": ("name_pinyin", "pk"),
        "-name": ("-name_pinyin", "-pk"),
        "age": ("-birth_date", "pk"),
        "-age": ("birth_date", "pk"),
        "admitted": ("admitted_on", "pk"),
        "-admitted": ("-admitted_on", "pk"),
        "education": ("education", "name_pinyin", "pk"),
        "title": ("title_level", "name_pinyin", "pk"),
        "unit": ("work_unit", "pk"),
    }


def matching(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """People whose name, full pinyin, pinyin initials, work unit or ID number match."""
    q = text.strip()
    if not q:
        return people
    lowered = q.lower().replace(" ", "")
    if lowered.isascii() and lowered.isalpha():
        return people.filter(
            Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered)
        )
    if len(q) == 18 and q[:17].isdigit():
        return people.filter(id_number_q([q]))
    return people.filter(Q(name__contains=q) | Q(work_unit__contains=q))


def roster(*, scope: Scope, org, on: date, filters: RosterFilter) -> QuerySet[Person]:
    """The filtered, sorted roster of ``org``'s subtree on ``on``."""
    spells = spells_in(scope=scope, path=org.path).active_on(on)
    if filters.branch:
        branch_path = Organization.objects.filter(pk=filters.branch).values_list("path", flat=True)
        spells = spells.filter(subtree_q(branch_path.first() or "~", "org__path"))
    people = Person.objects.filter(pk__in=spells.values("person_id"))

    people = matching(people, filters.q)
    if filters.gender:
        people = people.filter(gender=filters.gender)
    if filters.age_band:
        for label, youngest, oldest in AGE_BANDS:
            if label == filters.age_band:
                earliest, latest = birth_date_bounds(on, youngest, oldest)
                if earliest:
                    people = people.filter(birth_date__gte=earliest)
                if latest:
                    people = people.filter(birth_date__lte=latest)
    if filters.education:
        people = people.filter(
            education__in=_codes_in_group(codes.Education, codes.education_group, filters.education)
        )
    if filters.degree:
        people = people.filter(
            degree__in=_codes_in_group(codes.Degree, codes.degree_group, filters.degree)
        )
    if filters.title_level:
        if filters.title_level == "无":
            people = people.filter(title_level="")
        else:
            people = people.filter(
                title_level__in=_codes_in_group(
                    codes.TitleLevel, codes.title_level_group, filters.title_level
                )
            )
    if filters.rank_group in codes.RANK_GROUPS:
        holders = Post.objects.active_on(on).filter(
            kind=codes.PostKind.GOVERNMENT, rank__in=codes.RANK_GROUPS[filters.rank_group]
        )
        people = people.filter(pk__in=holders.values("person_id"))
    if filters.sector:
        people = people.filter(sector=filters.sector)
    if filters.retired in ("0", "1"):
        people = people.filter(is_retired=filters.retired == "1")
    return people.order_by(*RosterFilter.SORTS.get(filters.sort, RosterFilter.SORTS["name"]))


# --- counts for the tree and the workbench ---------------------------------------------------


def headline(*, scope: Scope, org, on: date) -> dict:
    """The workbench's headline figures for ``org``'s subtree on ``on``."""
    members = members_on(scope=scope, org=org, on=on)
    total = members.count()
    women = members.filter(gender=codes.Gender.FEMALE).count()
    retired = members.filter(is_retired=True).count()
    year_start = on.replace(month=1, day=1)
    admitted = (
        spells_in(scope=scope, path=org.path)
        .filter(start_reason=codes.SpellReason.ADMITTED, start__gte=year_start, start__lte=on)
        .values("person_id")
        .distinct()
        .count()
    )
    return {
        "total": total,
        "women": women,
        "women_share": round(women * 100 / total, 1) if total else 0.0,
        "retired": retired,
        "admitted_this_year": admitted,
    }
