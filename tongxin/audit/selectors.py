"""The audit log as one list: auditlog's model changes and our events, newest first."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from .models import Event

EVENT, CHANGE = "e", "c"

# Model changes by action, as the kind filter offers them next to the event kinds.
ACTIONS = {
    "create": (LogEntry.Action.CREATE, "新增"),
    "update": (LogEntry.Action.UPDATE, "修改"),
    "delete": (LogEntry.Action.DELETE, "删除"),
}
ACTION_LABELS = {action: label for action, label in ACTIONS.values()}


@dataclass
class Filters:
    user: str = ""
    kind: str = ""  # an event kind, or a key of ACTIONS
    start: datetime.date | None = None
    end: datetime.date | None = None
    q: str = ""
    # Not a filter a user sets: an export reads up to the moment it started, so that entries
    # written meanwhile do not shift its chunks.
    until: datetime.datetime | None = None

    def as_detail(self) -> dict:
        """The filter as an export event records it."""
        return {
            "用户": self.user,
            "类型": self.kind_label,
            "起始日期": self.start.isoformat() if self.start else "",
            "截止日期": self.end.isoformat() if self.end else "",
            "关键词": self.q,
        }

    @property
    def kind_label(self) -> str:
        if self.kind in ACTIONS:
            return ACTIONS[self.kind][1]
        return Event.Kind(self.kind).label if self.kind in Event.Kind.values else ""


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _time_q(field: str, filters: Filters) -> Q:
    q = Q()
    if filters.start:
        q &= Q(**{f"{field}__gte": _day_start(filters.start)})
    if filters.end:
        q &= Q(**{f"{field}__lt": _day_start(filters.end + datetime.timedelta(days=1))})
    if filters.until:
        q &= Q(**{f"{field}__lte": filters.until})
    return q


def _json_text_q(field: str, text: str) -> Q:
    """``text`` in a JSON column read as text. SQLite keeps the JSON as Django wrote it, with
    non-ASCII characters escaped (\\u5f20); PostgreSQL gives them back as they are."""
    q = Q(**{f"{field}__icontains": text})
    escaped = json.dumps(text)[1:-1]
    if escaped != text:
        q |= Q(**{f"{field}__icontains": escaped})
    return q


def events(filters: Filters) -> QuerySet[Event] | None:
    """The events the filters select, or None when the kind asks for model changes only."""
    if filters.kind and filters.kind not in Event.Kind.values:
        return None
    qs = Event.objects.filter(_time_q("time", filters))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.user:
        qs = qs.filter(username=filters.user)
    if filters.q:
        qs = qs.annotate(detail_text=Cast("detail", TextField())).filter(
            Q(summary__icontains=filters.q)
            | Q(username__icontains=filters.q)
            | Q(path__icontains=filters.q)
            | _json_text_q("detail_text", filters.q)
        )
    return qs


def changes(filters: Filters) -> QuerySet[LogEntry] | None:
    """The model changes the filters select, or None when the kind asks for an event."""
    if filters.kind and filters.kind not in ACTIONS:
        return None
    actions = [ACTIONS[filters.kind][0]] if filters.kind else [a for a, _ in ACTIONS.values()]
    qs = LogEntry.objects.filter(_time_q("timestamp", filters), action__in=actions)
    if filters.user:
        qs = qs.filter(actor__username=filters.user)
    if filters.q:
        qs = qs.annotate(changes_as_text=Cast("changes", TextField())).filter(
            Q(object_repr__icontains=filters.q) | _json_text_q("changes_as_text", filters.q)
        )
    return qs


def entries(filters: Filters) -> QuerySet:
    """Key tuples (time, source, pk) of every entry the filters select, newest first."""
    parts = []
    if (qs := events(filters)) is not None:
        parts.append(qs.annotate(src=Value(EVENT)).values_list("time", "src", "pk").order_by())
    if (qs := changes(filters)) is not None:
        parts.append(
            qs.annotate(src=Value(CHANGE)).values_list("timestamp", "src", "pk").order_by()
        )
    if len(parts) == 1:
        return parts[0].order_by("-time" if parts[0].model is Event else "-timestamp", "-pk")
    return parts[0].union(parts[1], all=True).order_by("-time", "-src", "-pk")


@dataclass
class Row:
    """One line of the audit log, from an event or a model change."""

    time: datetime.datetime
    kind: str
    kind_label: str
    username: str = ""
    target: str = ""
    summary: str = ""
    changes: tuple[tuple[str, str, str], ...] = ()
    ip: str = ""
    path: str = ""
    rows: int | None = None
    is_change: bool = False

    @property
    def text(self) -> str:
        """The summary and the changes on one line (the export's column)."""
        parts = [self.summary] if self.summary else []
        parts += [
            f"{label}：{old} → {new}" if old else f"{label}：{new}"
            for label, old, new in self.changes
        ]
        return "；".join(parts)


def _shown(field, value) -> str:
    if value in (None, "None", ""):
        return "（空）"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if getattr(field, "get_internal_type", lambda: "")() == "BooleanField":
        return {"True": "是", "False": "否"}.get(value, value)
    return str(value)


def change_lines(entry: LogEntry) -> tuple[tuple[str, str, str], ...]:
    """(field label, before, after) for each field a model change touched."""
    model = entry.content_type.model_class()
    lines = []
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    changed = sorted((entry.changes_dict or {}).items(), key=lambda kv: order.get(kv[0], 999))
    for name, values in changed:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = str(getattr(field, "verbose_name", name))
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = "增加" if values.get("operation") == "add" else "移除"
            lines.append((label, "", f"{verb}：{'、'.join(values.get('objects', []))}"))
        else:
            old, new = (_shown(field, value) for value in values)
            if old != new:  # a new record's empty fields ("None" → "")
                lines.append((label, old, new))
    return tuple(lines)


def _event_row(event: Event) -> Row:
    return Row(
        time=event.time,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        username=event.username,
        summary=event.summary,
        ip=event.ip or "",
        path=event.path,
        rows=event.rows,
    )


def _change_row(entry: LogEntry) -> Row:
    model = entry.content_type.model_class()
    model_label = str(model._meta.verbose_name) if model else entry.content_type.model
    return Row(
        time=entry.timestamp,
        kind=next((k for k, (a, _) in ACTIONS.items() if a == entry.action), ""),
        kind_label=ACTION_LABELS.get(entry.action, ""),
        username=entry.actor.get_username() if entry.actor else (entry.actor_email or ""),
        target=f"{model_label}：{entry.object_repr}",
        changes=change_lines(entry),
        ip=entry.remote_addr or "",
        is_change=True,
    )


def load_rows(keys) -> list[Row]:
    """The rows of ``keys`` (from ``entries``), in their order."""
    event_ids = [pk for _, src, pk in keys if src == EVENT]
    change_ids = [pk for _, src, pk in keys if src == CHANGE]
    found = {(EVENT, pk): _event_row(e) for pk, e in Event.objects.in_bulk(event_ids).items()}
    entries_ = LogEntry.objects.select_related("actor", "content_type").in_bulk(change_ids)
    found |= {(CHANGE, pk): _change_row(e) for pk, e in entries_.items()}
    return [found[(src, pk)] for _, src, pk in keys if (src, pk) in found]
