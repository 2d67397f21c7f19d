"""Reads over people and membership. Every function takes the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from tongxin.core import paging
from tongxin.core.idnumber import NORMAL_FORM, normalize_id_number
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization

from . import population
from .models import Affiliation, MembershipSpell, Person, id_number_q


def spells_in(*, scope: Scope, path: str | None = None) -> QuerySet[MembershipSpell]:
    """Spells in the scope, optionally narrowed to the subtree at ``path``."""
    if path is not None:
        return population.subtree_spells(scope=scope, path=path)
    return MembershipSpell.objects.filter(scope.q("org__path"))


def member_spells_on(*, scope: Scope, org, on) -> QuerySet[MembershipSpell]:
    """The spells that make their people members of ``org``'s subtree on ``on`` (a date, or an
    expression such as ``OuterRef("decided_on")`` asked of each row of an outer query)."""
    return population.member_spells(scope=scope, path=org.path, on=on)


def members_on(*, scope: Scope, org, on: date) -> QuerySet[Person]:
    """Members of ``org``'s subtree on ``on`` (a person counts once however many spells)."""
    return population.population(scope=scope, path=org.path, on=on)


def affiliations_in(*, scope: Scope, path: str | None = None) -> QuerySet[Affiliation]:
    """Affiliations (管理关系) in the scope, optionally narrowed to the subtree at ``path``."""
    affiliations = Affiliation.objects.filter(scope.q("org__path"))
    if path is not None:
        affiliations = affiliations.filter(subtree_q(path, "org__path"))
    return affiliations


def people_on(*, scope: Scope, org, on: date, affiliation_kinds=None) -> QuerySet[Person]:
    """The people of ``org``'s subtree on ``on``: its members and the non-members whose file
    it keeps then (管理关系) — whom a subtree's pools and classes draw from; ``affiliation_kinds``
    limits the non-members to those kept for these reasons."""
    members = member_spells_on(scope=scope, org=org, on=on)
    affiliated = affiliations_in(scope=scope, path=org.path).active_on(on)
    if affiliation_kinds is not None:
        affiliated = affiliated.filter(kind__in=affiliation_kinds)
    return Person.objects.filter(
        Q(pk__in=members.values("person_id")) | Q(pk__in=affiliated.values("person_id"))
    )


def people_on_q(*, scope: Scope, org, on: date) -> Q:
    """``people_on`` (without its kinds) as a condition asked of each person, on the spells'
    and affiliations' person indexes: for people another condition already makes few (those
    trained in a period), where ``people_on``'s lists would hold the whole subtree — at the
    root, every member of the country."""
    members = member_spells_on(scope=scope, org=org, on=on)
    affiliated = affiliations_in(scope=scope, path=org.path).active_on(on)
    return Q(Exists(members.filter(person_id=OuterRef("pk")))) | Q(
        Exists(affiliated.filter(person_id=OuterRef("pk")))
    )


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


def left_scope_on(*, scope: Scope, person: Person, on: date) -> date | None:
    """The day ``person`` left the scope, when the scope holds only their past and their life
    went on elsewhere: none of their spells and affiliations in the scope is in force on ``on``
    (or starts later), and one outside it runs past the last that ended. The scope then sees
    them as they were until that day: what was recorded since belongs to the organization
    that holds them now. None while the scope holds them, or when nothing followed."""
    return left_scope_dates(scope=scope, people=[person.pk], on=on).get(person.pk)


def left_scope_dates(*, scope: Scope, people, on: date) -> dict[int, date]:
    """``left_scope_on`` for many people (ids) at once: the day each who left did so."""
    if scope.everything:
        return {}
    periods: dict[int, list] = {}
    for model in (MembershipSpell, Affiliation):
        rows = model.objects.filter(person_id__in=list(people)).values_list(
            "person_id", "org__path", "end"
        )
        for person_id, path, end in rows:
            periods.setdefault(person_id, []).append((path, end))
    left_on = {}
    for person_id, spans in periods.items():
        held = [end for path, end in spans if scope.contains_path(path)]
        if not held or any(end is None or end > on for end in held):
            continue
        left = max(held)
        if any(
            not scope.contains_path(path) and (end is None or end > left) for path, end in spans
        ):
            left_on[person_id] = left
    return left_on


def refuse_after_leaving(
    *, scope: Scope, person: Person, on: date, today: date, field: str, what: str
) -> None:
    """Refuse a record ``what`` of ``person`` dated ``on`` when the person had left the scope
    for another organization by then: it would be that organization's record, which the scope
    neither sees nor writes (``seen_then_q``)."""
    left = left_scope_on(scope=scope, person=person, on=today)
    if left is not None and on >= left:
        raise ValidationError({field: after_leaving_message(person=person, left=left, what=what)})


def after_leaving_message(*, person: Person, left: date, what: str) -> str:
    return f"{what}在{person.name}转出本组织（{left:%Y-%m-%d}）之后，应由其现在所在组织登记"


def seen_then_q(*, scope: Scope, on: str, person: str = "person", by_year: bool = False) -> Q:
    """``left_scope_on`` asked of each record of a person: the record dated ``on`` (a date
    field; with ``by_year`` a year, the record then dated at the year's end, as a year's
    assessment is made after it) is the scope's while one of the person's spells or
    affiliations in it had not ended by then, or when nothing outside the scope followed the
    last of them. A record of the person's life since they left for another organization
    belongs to that organization: lists and edit pages of the old one do not find it."""
    if scope.everything:
        return ~Q(pk__in=[])
    owner = OuterRef(person)
    after = {"end__year__gt" if by_year else "end__gt": OuterRef(on)}
    still = Exists(
        spells_in(scope=scope).filter(Q(end__isnull=True) | Q(**after), person_id=owner)
    ) | Exists(
        affiliations_in(scope=scope).filter(Q(end__isnull=True) | Q(**after), person_id=owner)
    )
    # A period outside that runs past every one in the scope: the person's life went on there.
    later = {"person_id": OuterRef("person_id"), "end__gte": OuterRef("end")}
    past_the_scope = Q(end__isnull=True) | ~(
        Q(Exists(spells_in(scope=scope).filter(**later)))
        | Q(Exists(affiliations_in(scope=scope).filter(**later)))
    )
    outside = ~scope.q("org__path")
    moved_on = Exists(
        MembershipSpell.objects.filter(outside, past_the_scope, person_id=owner)
    ) | Exists(Affiliation.objects.filter(outside, past_the_scope, person_id=owner))
    return Q(still) | ~Q(moved_on)


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


SEARCH_MIN_LENGTH = 1


@dataclass
class RosterFilter:
    """The roster's filters, as they appear in the URL (see tongxin.people.population)."""

    q: str = ""
    gender: str = ""
    age_band: str = ""
    education: str = ""
    degree: str = ""
    title_level: str = ""
    rank_group: str = ""
    rank: str = ""  # a GB/T 12407 name: 县处级正职 …
    sector: str = ""
    retired: str = ""  # "1" retired, "0" in service
    branch: int | None = None
    sort: str = "name"
    # The date the list is taken at (default today), and the flows of a period ending then.
    as_of: date | None = None
    flow: str = ""
    period_start: date | None = None
    minority: str = ""
    cross_member: str = ""
    upper_middle: str = ""
    political_body: str = ""
    political_level: str = ""

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

    def person_params(self) -> dict[str, str]:
        """The filters that are conditions on a person (tongxin.people.population.person_q)."""
        names = (*population.PERSON_FILTERS, "political_body", "political_level")
        return {name: getattr(self, name) for name in names}


def is_id_number(text: str) -> bool:
    """Whether a search text is a full ID number (spaces and full-width digits allowed)."""
    return bool(NORMAL_FORM.fullmatch(normalize_id_number(text.strip())))


def matching(
    people: QuerySet[Person], text: str, *, by_id_number: bool = False
) -> QuerySet[Person]:
    """People whose name, full pinyin, pinyin initials or work unit match; a full ID number
    matches only ``by_id_number``, and otherwise nobody: the lists' searches travel in their
    URLs, and an answer would confirm the number of a person whose number is shown masked
    (the audited look-up is ``person_with_id_number``)."""
    q = text.strip()
    if not q:
        return people
    lowered = q.lower().replace(" ", "")
    if lowered.isascii() and lowered.isalpha():
        return people.filter(
            _prefix_q("name_initials", lowered) | _prefix_q("name_pinyin", lowered)
        )
    if is_id_number(q):
        return people.filter(id_number_q([q])) if by_id_number else people.none()
    return people.filter(_grams_q(q), Q(name__contains=q) | Q(work_unit__contains=q))


# people_searchgram (migration people 0014): each lower-cased pair of consecutive characters of
# a person's name and work unit, kept by the database's triggers.
_HAS_GRAM = "SELECT person_id FROM people_searchgram WHERE gram = lower(%s)"


def _grams_q(text: str) -> Q:
    """The people who have every two-character piece of ``text``: all who contain it, and a
    few more that the LIKE beside it leaves out. One character has no piece: a scan."""
    pieces = sorted({text[i : i + 2] for i in range(len(text) - 1)})
    q = Q()
    for piece in pieces:
        q &= Q(pk__in=RawSQL(_HAS_GRAM, [piece]))
    return q


def _prefix_q(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix`` (lower-case letters), as a range the column's own index
    serves on both databases (SQLite's LIKE, case-blind, cannot use a plain index; nor can
    PostgreSQL's outside the C collation), with the LIKE kept so that a collation's ordering
    never lets in a value that does not start with it."""
    q = Q(**{f"{field}__gte": prefix, f"{field}__startswith": prefix})
    if prefix[-1] < "z":
        q &= Q(**{f"{field}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)})
    return q


def person_with_id_number(*, scope: Scope, number: str) -> Person | None:
    """The person in scope, former members included, with this full ID number, or None. For
    the audited look-up of a user who may reveal ID numbers (people.views.search)."""
    return people_in_scope(scope=scope).filter(id_number_q([number])).first()


def _roster_path(org, filters: RosterFilter) -> str:
    """The subtree the roster lists: ``org``'s, or the branch chosen under it."""
    if not filters.branch:
        return org.path
    branch_path = Organization.objects.filter(pk=filters.branch).values_list("path", flat=True)
    branch_path = branch_path.first() or "~"
    # A branch outside the chosen node lists nobody.
    return branch_path if branch_path.startswith(org.path) else "~"


def roster(*, scope: Scope, org, on: date, filters: RosterFilter) -> QuerySet[Person]:
    """The filtered, sorted roster of ``org``'s subtree on ``on``: its members then, or with
    ``filters.flow`` the people of that flow in ``[filters.period_start, on]``."""
    path = _roster_path(org, filters)
    if filters.q.strip() and not filters.flow:
        # A search: from the people whose name matches (an index range for pinyin and
        # initials), each asked whether they are a member there then — not the subtree's
        # members first (890,000 at the root of the 1M bench tree; bench/README.md, "Top").
        people = Person.objects.filter(
            Exists(
                population.member_spells(scope=scope, path=path, on=on).filter(
                    person_id=OuterRef("pk")
                )
            )
        )
    else:
        people = population.population(
            scope=scope, path=path, on=on, flow=filters.flow, period_start=filters.period_start
        )
    people = matching(people, filters.q).filter(
        population.person_q(on=on, **filters.person_params())
    )
    return people.order_by(*RosterFilter.SORTS.get(filters.sort, RosterFilter.SORTS["name"]))


# Sorts whose order an index of the people's table gives (name_pinyin; its rows carry the key):
# a page of them can be read by walking that index, each person asked whether they are a member.
WALKED_SORTS = ("name", "-name")


def lists_members_only(filters: RosterFilter) -> bool:
    """Whether the roster lists exactly the members ``member_counts`` counts: no search, no
    flow and no condition on a person (a branch and a date are part of the count)."""
    return not (
        filters.q.strip() or filters.flow or any(v for v in filters.person_params().values())
    )


def roster_page(
    *, scope: Scope, org, on: date, filters: RosterFilter, page_number, per_page: int
) -> Page:
    """One page of ``roster``, with its total (bench/README.md, "The top of the tree").

    A large list of just the members (the root's 890,000 in the 1M bench tree) takes its total
    from ``orgs.selectors.member_counts`` (the figure store) instead of a ``COUNT(*)``, and, sorted
    by name, its page from the people's ``name_pinyin`` index, each person asked whether they
    are a member (``EXISTS``) until the page is full: about ``end × people ÷ members`` probes
    for a page ending at row ``end``, used while that is no more than the members the other
    form reads and sorts. The rows and their order are ``roster``'s either way."""
    people = roster(scope=scope, org=org, on=on, filters=filters)
    if not lists_members_only(filters):
        return paging.paginate(people, page_number=page_number, per_page=per_page)
    path = _roster_path(org, filters)
    node = org if path == org.path else Organization.objects.filter(path=path).first()
    # The one count of a subtree's members, shared with the tree's badges (figure store).
    total = org_selectors.member_counts(scope=scope, nodes=[node], on=on)[node.pk] if node else 0
    if total <= paging.KEY_LIST_LIMIT:
        return paging.paginate(people, page_number=page_number, per_page=per_page)
    paginator = Paginator(people, per_page)
    paginator.count = total  # the cached property, known without counting
    page = paginator.get_page(page_number)
    end = page.end_index()
    if filters.sort in WALKED_SORTS and end * population.everyone_count() <= total * total:
        walked = Person.objects.filter(
            Exists(
                population.member_spells(scope=scope, path=path, on=on).filter(
                    person_id=OuterRef("pk")
                )
            )
        ).order_by(*RosterFilter.SORTS[filters.sort])
        page.object_list = walked[page.start_index() - 1 : end]
    return page
