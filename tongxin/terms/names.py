"""Members found by the names staff type: ``张敏``, or ``张敏(1980-05-01)`` where two share a
name. Used wherever a form takes people as text (the election form, awards)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from tongxin.core.scope import Scope
from tongxin.people.selectors import members_on

_NAME = re.compile(r"^(?P<name>[^()（）\d]+?)\s*(?:[(（](?P<born>\d{4}-\d{2}-\d{2})[)）])?$")


def name_of(token: str) -> str | None:
    match = _NAME.match(token.strip())
    return match["name"].strip() if match else None


class MemberNames:
    """The members of ``org``'s subtree on ``on`` whose names are among ``tokens``."""

    def __init__(self, *, scope: Scope, org, on: date, tokens: Iterable[str]):
        self.org, self.on = org, on
        names = {n for n in (name_of(t) for t in tokens) if n}
        self.found: dict[str, list] = {}
        people = members_on(scope=scope, org=org, on=on).filter(name__in=names)
        for person in people.order_by("birth_date", "pk"):
            self.found.setdefault(person.name, []).append(person)

    def find(self, token: str):
        """(person, None) or (None, the Chinese reason)."""
        match = _NAME.match(token.strip())
        if not match:
            return None, f"无法识别“{token}”"
        name, born = match["name"].strip(), match["born"]
        people = self.found.get(name, [])
        if born:
            people = [p for p in people if p.birth_date and p.birth_date.isoformat() == born]
        if not people:
            return None, (
                f"“{token}”在 {self.on:%Y-%m-%d} 不是「{self.org}」及其下级组织的在册成员"
                "（或姓名有误）"
            )
        if len(people) > 1:
            first = people[0]
            example = f"{name}({first.birth_date:%Y-%m-%d})" if first.birth_date else name
            return None, (
                f"有 {len(people)} 名同名成员“{name}”，请在姓名后注明出生日期，如“{example}”"
            )
        return people[0], None
