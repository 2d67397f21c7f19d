"""Demo terms and elections on top of the demo roster (tongxin.people.demo).

The city committee's 13th and 14th congresses keep the people the roster chose for them (its
主委, 副主委 and 秘书长) and add 委员 around them; every current branch has its present term and,
where it is old enough, the one before, each recorded through the election service so that the
seat holders' posts follow. Three branches fall due within six months, one is past its due end,
two renewed this year; the rest renewed in the last few years. The roster's own party posts are
replaced by the ones the elections write. Drawn from the ``rng`` given and dated from ``today``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from tongxin.core.codes import OrgKind, PostKind
from tongxin.core.dates import age_on, years_before
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Person, Post
from tongxin.people.selectors import members_on

from . import selectors, services
from .models import Term
from .services import Seat, Vote

EVERYTHING = Scope(everything=True)


def _members(org: Organization, on: date, *, ages=(30, 68)) -> list[Person]:
    people = members_on(scope=EVERYTHING, org=org, on=on).order_by("pk")
    return [p for p in people if p.birth_date and ages[0] <= age_on(p.birth_date, on) <= ages[1]]


def _pick(rng: random.Random, pool: list[Person], count: int, taken: set[int]) -> list[Person]:
    free = [p for p in pool if p.pk not in taken]
    chosen = rng.sample(free, min(count, len(free)))
    taken.update(p.pk for p in chosen)
    return chosen


def _elect(
    rng: random.Random,
    org: Organization,
    number: int,
    held_on: date,
    seats: list[Seat],
    today: date,
) -> Term:
    entitled = max(members_on(scope=EVERYTHING, org=org, on=held_on).count(), len(seats))
    voted = max(len(seats), entitled - rng.randint(0, max(1, entitled // 10)))
    votes = [Vote(s.person, rng.randint(max(1, voted * 7 // 10), voted)) for s in seats]
    seated = {s.person.pk for s in seats}
    spare = [p for p in _members(org, held_on) if p.pk not in seated]
    votes += [Vote(p, rng.randint(1, max(1, voted // 2))) for p in spare[:2]]
    return services.election_record(
        org=org,
        number=number,
        held_on=held_on,
        entitled=entitled,
        voted=voted,
        seats=seats,
        votes=votes,
        document_no=f"{org.short_name or org.name}〔{held_on.year}〕{rng.randint(1, 20)}号",
        today=today,
        # Elections from before the training records, which the training demo adds later.
        rules_checked=True,
    )


def _committee(
    rng: random.Random,
    org: Organization,
    on: date,
    *,
    chair: str,
    vice: str,
    member: str,
    sizes: tuple[int, int],
    previous: list[Seat] | None = None,
    keep: list[tuple[Person, str]] = (),
) -> list[Seat]:
    """Seats for an election of ``org`` on ``on``: ``keep`` first, then some of the previous
    committee still in the subtree (re-elected), then newcomers."""
    pool = _members(org, on)
    members = {p.pk for p in members_on(scope=EVERYTHING, org=org, on=on)}
    taken: set[int] = set()
    seats: list[Seat] = []
    for person, title in keep:
        if person.pk in members and person.pk not in taken:
            seats.append(Seat(person, title))
            taken.add(person.pk)
    vices, others = sizes
    stayers = [s for s in previous or () if s.person.pk in members and s.person.pk not in taken]
    rng.shuffle(stayers)
    again = stayers[: max(1, len(stayers) * 3 // 5)] if stayers else []
    titles = [s.title for s in seats]
    if chair not in titles:
        old_chair = next((s for s in again if s.title == chair), None)
        person = old_chair.person if old_chair else None
        if person is None:
            person = next(iter(_pick(rng, pool, 1, taken)), None)
        if person is not None:
            seats.append(Seat(person, chair))
            taken.add(person.pk)
    for stayer in again:
        # A chair who does not chair again steps down; vices beyond the number wanted and
        # everyone else sit on as members.
        if stayer.person.pk in taken or stayer.title == chair:
            continue
        vice_count = sum(1 for s in seats if s.title == vice)
        title = vice if stayer.title == vice and vice_count < vices else member
        seats.append(Seat(stayer.person, title))
        taken.add(stayer.person.pk)
    while sum(1 for s in seats if s.title == vice) < vices:
        extra = _pick(rng, pool, 1, taken)
        if not extra:
            break
        seats.append(Seat(extra[0], vice))
    wanted = 1 + vices + others
    for person in _pick(rng, pool, max(0, wanted - len(seats)), taken):
        seats.append(Seat(person, member))
    order = {chair: 0, vice: 1}
    return sorted(seats, key=lambda s: order.get(s.title, 2))


def _city(rng: random.Random, root: Organization, posts: list[Post], today: date) -> list[Term]:
    """The 13th and 14th committees, with the chairs the roster gave them (``posts``)."""
    fourteenth = [p for p in posts if p.term == "第十四届"]
    thirteenth = [p for p in posts if p.term == "第十三届"]
    if not fourteenth:
        return []
    t14 = min(p.start for p in fourteenth)
    t13 = min((p.start for p in thirteenth), default=years_before(t14, 5))
    keep13 = [(p.person, p.title) for p in thirteenth]
    old = _committee(
        rng, root, t13, chair="主委", vice="副主委", member="委员", sizes=(3, 14), keep=keep13
    )
    first = _elect(rng, root, 13, t13, old, today)
    keep14 = [(p.person, p.title) for p in sorted(fourteenth, key=lambda p: p.title != "主委")]
    new = _committee(
        rng,
        root,
        t14,
        chair="主委",
        vice="副主委",
        member="委员",
        sizes=(4, 15),
        previous=old,
        keep=keep14,
    )
    return [first, _elect(rng, root, 14, t14, new, today)]


def _branch_dates(rng: random.Random, branches: list[Organization], today: date) -> dict:
    """The current term's start for each branch: one overdue, three due within six months,
    two renewed this year, the others renewed one and a half to three and a half years ago."""
    five_years = years_before(today, 5)
    # Only a branch old enough to have served a whole term can be due or overdue.
    old = [b for b in branches if b.established and b.established < five_years - timedelta(200)]
    rng.shuffle(old)
    order = old + [b for b in branches if b not in old]
    starts = {}
    for index, branch in enumerate(order):
        if index == 0:
            start = five_years - timedelta(days=rng.randint(40, 90))
        elif index <= 3:
            start = five_years + timedelta(days=30 + 45 * index)
        elif index <= 5:
            start = today - timedelta(days=rng.randint(20, 100))
        else:
            start = today - timedelta(days=rng.randint(550, 1270))
        starts[branch.pk] = start
    return starts


def seed(*, root: Organization, today: date, rng: random.Random) -> list[str]:
    orgs = Organization.objects.filter(subtree_q(root.path))
    city_posts = list(
        Post.objects.filter(kind=PostKind.PARTY, org=root).select_related("person").order_by("pk")
    )
    # The elections write the party posts from now on; the roster's own go.
    Post.objects.filter(kind=PostKind.PARTY, org__in=orgs).delete()
    terms = _city(rng, root, city_posts, today)
    branches = list(orgs.filter(kind=OrgKind.BRANCH, dissolved__isnull=True).order_by("path"))
    starts = _branch_dates(rng, branches, today)
    for branch in branches:
        start = starts[branch.pk]
        if branch.established and start < branch.established:
            start = min(today, branch.established + timedelta(days=45))
        before = years_before(start, 5) + timedelta(days=rng.randint(-20, 20))
        sizes = (rng.randint(1, 2), rng.randint(2, 4))
        titles = {"chair": "支部主委", "vice": "副主委", "member": "支委", "sizes": sizes}
        previous = None
        number = 14
        if branch.established is None or before >= branch.established + timedelta(days=30):
            previous = _committee(rng, branch, before, **titles)
            if previous:
                terms.append(_elect(rng, branch, 13, before, previous, today))
        else:
            number = 1
        seats = _committee(rng, branch, start, previous=previous, **titles)
        if seats:
            terms.append(_elect(rng, branch, number, start, seats, today))
    soon = selectors.due_soon(scope=EVERYTHING, org=root, on=today).count()
    late = selectors.overdue(scope=EVERYTHING, org=root, on=today).count()
    renewed = selectors.renewed(
        scope=EVERYTHING, org=root, start=today.replace(month=1, day=1), end=today
    )
    return [
        f"届次与换届选举 {len(terms)} 届（{len({t.org_id for t in terms})} 个组织）："
        f"六个月内届满 {soon} 个，已届满未换届 {late} 个，今年换届 {renewed.count()} 个"
    ]


def reset(*, root: Organization) -> None:
    """Delete the terms under ``root`` (their seats protect the people), newest first."""
    terms = Term.objects.filter(subtree_q(root.path, "org__path"))
    while terms.exists():
        # A term protects the one before it: the latest of each organization goes first.
        terms.filter(next__isnull=True).delete()
