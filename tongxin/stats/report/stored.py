"""The stored default sentences follow the code's defaults until the administrator edits them.

Each default is stored as a ``ReportSentence`` (party "") with the digest of the default it was
stored from (``default_digest``). A row whose text, topic, order, note and missing-rule still
hash to that digest is *unedited*: when a later version of the code changes its default, the row
takes the new one. A row that hashes otherwise was edited in the back office and is kept as it
is (listed, so that the administrator can compare it with the new default or take the default
again with ``manage.py report_sentences --reset SLOT``). Defaults new in the code are added;
a default the code no longer has is switched off if unedited (never deleted).

The sync runs after ``migrate`` (post_migrate) and before each draft is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction

from .defaults import DEFAULTS


def digest(*, part: str, topic: str, order: int, text: str, what: str, when_missing: str) -> str:
    """The fingerprint of a sentence's content (``active`` aside: switching a default off is
    not an edit of its wording)."""
    data = json.dumps([part, topic, order, text, what, when_missing], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def row_digest(row) -> str:
    return digest(
        part=row.part,
        topic=row.topic,
        order=row.order,
        text=row.text,
        what=row.what,
        when_missing=row.when_missing,
    )


def code_defaults() -> dict[str, dict]:
    """The code's defaults by slot: the fields of the row each is stored as."""
    order: dict[str, int] = {}
    found = {}
    for part, topic, slot, what, when_missing, text in DEFAULTS:
        order[part] = order.get(part, 0) + 10
        fields = {
            "part": part,
            "topic": topic,
            "order": order[part],
            "text": text,
            "what": what,
            "when_missing": when_missing,
        }
        found[slot] = {**fields, "default_digest": digest(**fields)}
    return found


@dataclass
class Sync:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    switched_off: list[str] = field(default_factory=list)  # no longer a default of the code
    edited: list[str] = field(default_factory=list)  # kept as the administrator wrote them
    edited_behind: list[str] = field(default_factory=list)  # …whose default has changed since

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.switched_off)

    def lines(self) -> list[str]:
        out = []
        for label, slots in (
            ("新增默认句子", self.added),
            ("按新的默认句子更新", self.updated),
            ("默认句子已取消，停用", self.switched_off),
            ("管理员修改过、保留原样", self.edited),
        ):
            if slots:
                out.append(f"{label}（{len(slots)}）：{'、'.join(slots)}")
        if self.edited_behind:
            out.append(
                "其中默认句子已有新版本的："
                + "、".join(self.edited_behind)
                + "（如需采用新版本：manage.py report_sentences --reset 编号）"
            )
        return out


def unedited(row) -> bool:
    return bool(row.default_digest) and row_digest(row) == row.default_digest


@transaction.atomic
def sync_defaults() -> Sync:
    """Bring the stored defaults (party "") in line with the code's, keeping edited rows."""
    from ..models import ReportSentence as model

    defaults = code_defaults()
    result = Sync()
    stored = {row.slot: row for row in model.objects.select_for_update().filter(party="")}
    new = []
    for slot, fields in defaults.items():
        row = stored.get(slot)
        if row is None:
            new.append(model(party="", slot=slot, **fields))
            result.added.append(slot)
        elif not unedited(row):
            result.edited.append(slot)
            if row.default_digest != fields["default_digest"]:
                result.edited_behind.append(slot)
        elif row.default_digest != fields["default_digest"]:
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))
            result.updated.append(slot)
    for slot, row in stored.items():
        if slot in defaults:
            continue
        if unedited(row) and row.active:
            row.active = False
            row.save(update_fields=["active"])
            result.switched_off.append(slot)
        elif not unedited(row):
            result.edited.append(slot)
    model.objects.bulk_create(new, ignore_conflicts=True)
    return result


@transaction.atomic
def reset(*, slots: list[str]) -> list[str]:
    """Give the named stored defaults the code's current default (the administrator's choice
    for an edited row); returns the slots reset. Unknown slots are refused, naming them."""
    from ..models import ReportSentence

    defaults = code_defaults()
    unknown = [slot for slot in slots if slot not in defaults]
    if unknown:
        raise ValueError("没有这些编号的默认句子：" + "、".join(f"“{s}”" for s in unknown))
    done = []
    for slot in slots:
        row, _created = ReportSentence.objects.get_or_create(
            party="", slot=slot, defaults=defaults[slot]
        )
        for name, value in defaults[slot].items():
            setattr(row, name, value)
        row.save()
        done.append(slot)
    return done


def after_migrate(sender, *, verbosity=1, using="default", apps=None, **kwargs):
    """post_migrate: the stored defaults follow the code once the table exists."""
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        if "stats_reportsentence" not in connection.introspection.table_names(cursor):
            return
        columns = connection.introspection.get_table_description(cursor, "stats_reportsentence")
    if "default_digest" not in {column.name for column in columns}:
        return  # migrated back to before the digest
    result = sync_defaults()
    if verbosity >= 1 and result.changed:
        for line in result.lines():
            print(f"  年度工作总结句子模板：{line}")
