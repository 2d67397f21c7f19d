"""Whether a member is in good standing on a date, and since when without a break.

Introducers (介绍人) must be members in good standing of some years' seniority; other rules may
ask the same. Both answers are read from the person's own spells and 停止组织生活 records, for a
person the caller has already found in its scope.
"""

from __future__ import annotations

from datetime import date

from .models import MembershipSpell, Person, Suspension


def member_since(*, person: Person, on: date) -> date | None:
    """The start of the unbroken membership that ``person`` holds on ``on`` (a transfer ends one
    spell and starts the next on the same day, which is no break); None if not a member then."""
    spells = list(
        MembershipSpell.objects.filter(person=person, start__lte=on).order_by("-start", "-pk")
    )
    current = next((s for s in spells if s.end is None or s.end > on), None)
    if current is None:
        return None
    since = current.start
    for spell in spells:
        if spell.end is not None and spell.end == since and spell.start < since:
            since = spell.start
    return since


def suspension_on(*, person: Person, on: date) -> Suspension | None:
    """The 停止组织生活 in force on ``on``, if any."""
    return Suspension.objects.filter(person=person).active_on(on).first()


def in_good_standing(*, person: Person, on: date) -> bool:
    return (
        member_since(person=person, on=on) is not None
        and suspension_on(person=person, on=on) is None
    )
