"""Counts of the demo data as it stands on a day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from tongxin.core.codes import Gender, SpellReason
from tongxin.core.dates import years_before
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization

from .. import selectors
from ..models import MembershipSpell, Post
from .tree import _B, demo_root


@dataclass
class DemoSummary:
    """Counts of the demo data on the day it was built (current means on that day)."""

    organizations: int = 0
    current_branches: int = 0
    dissolved_branches: int = 0
    people: int = 0
    current_members: int = 0
    women_percent: float = 0.0
    retired_percent: float = 0.0
    minority_count: int = 0
    admitted_recently: int = 0  # admissions in the last five years
    transfers: int = 0  # transfers between branches
    exits: dict[str, int] = field(default_factory=dict)  # end reason -> people who left
    posts: dict[str, int] = field(default_factory=dict)  # post kind -> posts


def summarize(*, today: date) -> DemoSummary:
    """Counts of the demo data as it stands on ``today``."""
    root = demo_root()
    if root is None:
        return DemoSummary()
    orgs = Organization.objects.filter(subtree_q(root.path))
    branches = orgs.filter(kind=_B)
    spells = list(
        MembershipSpell.objects.filter(subtree_q(root.path, "org__path")).order_by("start", "pk")
    )
    people_ids = {s.person_id for s in spells}
    members = selectors.members_on(scope=Scope(everything=True), org=root, on=today)
    total = members.count()
    later = {(s.person_id, s.start) for s in spells if s.start_reason == SpellReason.TRANSFERRED_IN}
    exits: Counter = Counter()
    for spell in spells:
        if spell.end_reason and (spell.person_id, spell.end) not in later:
            exits[spell.end_reason] += 1
    window_start = years_before(today, 5)
    posts = Counter(Post.objects.filter(person_id__in=people_ids).values_list("kind", flat=True))

    def percent(count: int) -> float:
        return round(count * 100 / total, 1) if total else 0.0

    return DemoSummary(
        organizations=orgs.count(),
        current_branches=branches.filter(dissolved__isnull=True).count(),
        dissolved_branches=branches.filter(dissolved__isnull=False).count(),
        people=len(people_ids),
        current_members=total,
        women_percent=percent(members.filter(gender=Gender.FEMALE).count()),
        retired_percent=percent(members.filter(is_retired=True).count()),
        minority_count=members.exclude(ethnicity="01").count(),
        admitted_recently=sum(
            1
            for s in spells
            if s.start_reason == SpellReason.ADMITTED and window_start <= s.start <= today
        ),
        transfers=len(later),
        exits=dict(sorted(exits.items())),
        posts=dict(sorted(posts.items())),
    )
