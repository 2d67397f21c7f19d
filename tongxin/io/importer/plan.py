"""The import's plan: the rows a check read and resolved, which the write then carries out;
and what the check, the write and the undo share."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from tongxin.orgs.models import Organization
from tongxin.people.models import PERSON_FIELDS

# A person's last change: an import's own record of it tells whether anything came later.
TOUCHED = ("updated_at",)
# What the undo of an updated person restores: the row's fields, and the political status a
# new spell sets.
UPDATED_PERSON_FIELDS = (*PERSON_FIELDS, "political_status")
# Cells that, left blank, keep what Tongxin already holds instead of clearing it.
KEEP_WHEN_BLANK = ("is_retired", "is_cross_member", "upper_middle", "title_level")
PROGRESS_EVERY = 1000
OUTSIDE_SCOPE_PERSON = "此人已在系统中登记，但不在您的管理范围内；请由其所在组织办理转出"
# The "before" of a created record: one object for all of them (the writer converts each
# distinct object once). Never mutated.
NOTHING: dict = {}
GOVERNMENT_POST_TITLE = "（名册登记的行政级别）"
# The organization fields a row sets (and an import's undo restores).
ORG_FIELDS = ("name", "kind", "established", "party")
# In the undo record of a person the import created: the spells and posts created with them,
# {model label: [[id, start, end], …]}, each to be compared and removed as if it had its own.
WITH = "with"


@dataclass
class OrgRow:
    row: int
    values: dict
    existing: Organization | None = None
    changes: dict = field(default_factory=dict)


@dataclass
class MemberRow:
    row: int
    values: dict
    # The person already in Tongxin: primary key and PERSON_FIELDS as stored (no model
    # instance: a re-import compares every row).
    existing: dict | None = None
    changes: dict = field(default_factory=dict)
    move_to: str | None = None  # org code of a new spell
    rank: str | None = None  # government rank to hold after the import ("" = none)
    party_titles: list[str] | None = None
    org: Organization | None = None  # None for an organization the same file creates
    person_id: int | None = None  # of a person the write created
    # 人员类别 other than 成员: the affiliation kind whose file the row's organization keeps
    # (a non-member's row never moves a membership); ``affiliate``: the link is new.
    affiliation: str = ""
    affiliate: bool = False


@dataclass
class PersonRef:
    """The person a row of an extra sheet (入库名单) names: one of this file's member rows, or a
    person already in Tongxin (``pk``). The id is known once the file's people are written."""

    name: str
    pk: int | None = None
    member: MemberRow | None = None

    @property
    def person_id(self) -> int:
        if self.member is not None:
            return self.member.person_id or self.member.existing["pk"]
        return self.pk

    @property
    def linked_from(self):
        """(organization code, date) of the link this file gives the person, if it gives one:
        a new person's membership or file, a move, a new file."""
        m = self.member
        if m is None or not (m.existing is None or m.move_to or m.affiliate):
            return None
        start = m.values.get("admitted_on") if m.existing is None and not m.affiliation else None
        return m.values["org_code"], start


@dataclass
class Plan:
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    orgs: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    total_rows: int = 0
    # ID number → its lookup hash under the current key, computed once for the check's lookups
    # and the write's new rows.
    hashes: dict[str, str] = field(default_factory=dict)
    # The extra sheets (tongxin.core.extensions: roster_sheets) and their planned items.
    extra: list[tuple[object, list]] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for m in self.members if m.existing is None)

    @property
    def updated(self) -> int:
        return sum(1 for m in self.members if m.existing is not None and _member_changes(m))

    @property
    def unchanged(self) -> int:
        return sum(1 for m in self.members if m.existing is not None and not _member_changes(m))

    @property
    def transferred(self) -> int:
        return sum(1 for m in self.members if m.existing is not None and m.move_to)

    @property
    def orgs_created(self) -> int:
        return sum(1 for o in self.orgs if o.existing is None)

    @property
    def orgs_updated(self) -> int:
        return sum(1 for o in self.orgs if o.existing is not None and o.changes)

    def error(self, sheet, row, column, value, reason) -> None:
        self.errors.append(
            {"sheet": sheet, "row": row, "column": column, "value": _shown(value), "reason": reason}
        )


def _member_changes(m: MemberRow) -> bool:
    return bool(
        m.changes or m.move_to or m.rank is not None or m.party_titles is not None or m.affiliate
    )


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:100]


Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


@contextmanager
def _collector_paused():
    """Python's cycle collector, run again and again over the objects an import holds, makes a
    write's time grow faster than its rows; the import creates no cycles worth collecting
    meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Keys per IN list: few enough for SQLite's limit of bound values (32,766), many enough that a
# 100,000-row import asks a few dozen queries, not hundreds.
LOOKUP_CHUNK = 5000


def _chunks(items, size=LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _snapshot_values(values: dict, fields) -> dict:
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name in fields
        for value in (values[name],)
    }
