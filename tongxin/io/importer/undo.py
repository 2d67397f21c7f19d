"""Undo an import while nothing later has touched the records it created or changed."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tongxin.core.pinyin import name_pinyin
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.people.models import Affiliation, MembershipSpell, Person, Post

from ..models import BatchChange, ImportBatch
from .plan import WITH, _chunks, _snapshot_values

_MODELS = {
    "people.person": Person,
    "people.membershipspell": MembershipSpell,
    "people.post": Post,
    "people.affiliation": Affiliation,
    "orgs.organization": Organization,
}
# Created records are removed children first: the records of the extra sheets (入库名单,
# tongxin.core.extensions: roster_sheets) before everything.
_DELETE_ORDER = (
    "people.post",
    "people.membershipspell",
    "people.affiliation",
    "people.person",
    "orgs.organization",
)


class UndoRefused(Exception):
    pass


def undo_blockers(batch: ImportBatch, limit: int = 10, *, records=None) -> list[str]:
    """Why ``batch`` cannot be undone (empty when it can), at most ``limit`` reasons.
    ``records``: the batch's ``_batch_records``, when the caller has them already.

    The batch's records are compared with the database a chunk at a time: a few queries per
    5,000 records, so that the page of a large import can tell at once (one query per record
    grows with the import)."""
    if batch.status not in (ImportBatch.Status.DONE, ImportBatch.Status.UNDOING):
        return [f"只有已完成的导入可以撤销（当前状态：{batch.get_status_display()}）"]
    if records is None:
        records = _batch_records(batch)
    reasons: list[str] = []
    later = BatchChange.objects.filter(batch__gt=batch.pk).exclude(
        batch__status=ImportBatch.Status.UNDONE
    )
    changes = [(label, object_id, after) for label, object_id, _action, after in records]
    for chunk in _chunks(changes):
        current: dict[tuple[str, int], dict] = {}
        changed_later: set[tuple[str, int]] = set()
        for label in {c[0] for c in chunk}:
            model = _model(label)
            ids = [object_id for m, object_id, _after in chunk if m == label]
            fields = {key for m, _id, after in chunk if m == label for key in after}
            for values in model.objects.filter(_among("pk", ids)).order_by().values("pk", *fields):
                current[label, values["pk"]] = values
            changed_later.update(
                (label, object_id)
                for object_id in later.filter(_among("object_id", ids), model=label).values_list(
                    "object_id", flat=True
                )
            )
        for label, object_id, after in chunk:
            model = _model(label)
            found = current.get((label, object_id))
            name = f"{model._meta.verbose_name}#{object_id}"
            if found is None:
                reasons.append(f"{name} 已被删除")
            elif _snapshot_values(found, after.keys()) != after:
                reasons.append(f"{name}（{_describe(model, object_id)}）在导入后又被修改过")
            elif (label, object_id) in changed_later:
                reasons.append(f"{name}（{_describe(model, object_id)}）被后来的导入修改过")
            if len(reasons) >= limit:
                return reasons
    return reasons + _records_added_later(_created_ids(records), limit - len(reasons))


def _batch_records(batch: ImportBatch) -> list[tuple[str, int, str, dict]]:
    """(model label, object id, action, after) for each record ``batch`` created or changed, in
    the order written. The record of a person the import created stands for the spells and
    posts created with them as well: each of those is listed as if it had a record of its own
    (created open: its start, no end)."""
    created = BatchChange.Action.CREATED
    records = []
    for label, object_id, action, after in batch.changes.order_by("pk").values_list(
        "model", "object_id", "action", "after"
    ):
        created_with = after.pop(WITH, None) if label == "people.person" else None
        records.append((label, object_id, action, after))
        if created_with:
            for child_label, rows in created_with.items():
                for child_id, start, end in rows:
                    records.append((child_label, child_id, created, {"start": start, "end": end}))
    return records


def _created_ids(records) -> dict[str, list[int]]:
    """The ids of the records the batch created, by model label, in the order recorded."""
    ids: dict[str, list[int]] = {label: [] for label in _MODELS}
    for label, object_id, action, _after in records:
        if action == BatchChange.Action.CREATED:
            ids.setdefault(label, []).append(object_id)
    return ids


def _model(label: str):
    """The model of a record label: the roster's own, or an extra sheet's (by its label)."""
    return _MODELS.get(label) or apps.get_model(label)


def _person_references() -> list[tuple[str, type, str]]:
    """(model label, model, column attname) of every record that refers to a person: spells
    and posts first, then affiliations and whatever the other apps add (their many-to-many
    tables too). Undoing the import of a person removes the person, so any such record the
    import did not create itself stops the undo."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if f.remote_field is not None and f.related_model is Person:
                found.append((model._meta.label_lower, model, f.attname))
    first = {"people.membershipspell": 0, "people.post": 1}
    return sorted(found, key=lambda r: (first.get(r[0], 2), r[0]))


def _record_name(model) -> str:
    owner = model._meta.auto_created  # a many-to-many table: named after its model
    return (owner or model)._meta.verbose_name


def _records_added_later(created: dict[str, list[int]], limit: int) -> list[str]:
    """People the batch created (``created``: ids by label) who have since been given a spell,
    a post or any other record that the batch did not create (a transfer, a new post, an
    affiliation): undoing would delete that later record with them, or fail on it."""
    people = sorted(created["people.person"])
    reasons: list[str] = []
    for label, model, column in _person_references():
        own = set(created.get(label, ()))
        for chunk in _chunks(people):
            wanted = set(chunk)
            rows = model.objects.filter(_among(column, chunk)).order_by(column, "pk")
            for object_id, person_id in rows.values_list("pk", column):
                if person_id in wanted and object_id not in own:
                    reasons.append(
                        f"人员#{person_id}（{_describe(Person, person_id)}）在导入后又有了新的"
                        f"{_record_name(model)}记录"
                    )
                    if len(reasons) >= limit:
                        return reasons
    return reasons


def _among(field: str, ids: list[int]) -> Q:
    """``field`` in ``ids``, as a range when the ids are (nearly) consecutive, as the records
    of one import are: Django prepares each value of an IN list on its own, which cost more
    than the query. The range may match a few more rows; callers look up only their ids."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})  # keys take no __range
    return Q(**{f"{field}__in": ids})


def _exactly(ids: list[int]) -> Q:
    """Primary key in ``ids``: a range when they are a run of consecutive keys with nothing
    between (what one import inserts), an IN list otherwise."""
    low, high = min(ids), max(ids)
    if high - low + 1 == len(ids) == len(set(ids)):
        return Q(pk__gte=low, pk__lte=high)
    return Q(pk__in=ids)


def _describe(model, object_id) -> str:
    return str(model.objects.get(pk=object_id))


def undo(*, batch: ImportBatch, by) -> None:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        records = _batch_records(batch)
        blockers = undo_blockers(batch, records=records)
        if blockers:
            raise UndoRefused("；".join(blockers))
        for change in batch.changes.filter(action=BatchChange.Action.UPDATED).order_by("pk"):
            model = _MODELS[change.model]
            obj = model.objects.get(pk=change.object_id)
            categories = change.before.pop("categories", None)
            path = change.before.pop("path", None)
            for name, value in change.before.items():
                setattr(obj, name, model._meta.get_field(name).to_python(value))
            obj.save()
            if change.model == "orgs.organization":
                _restore_parent(obj, path)
                if categories is not None:
                    obj.categories.set(OrganizationCategory.objects.filter(name__in=categories))
            if change.model == "people.person":
                obj.name_pinyin, obj.name_initials = name_pinyin(obj.name)
                obj.save(update_fields=["name_pinyin", "name_initials"])
        created = _created_ids(records)
        extra = [label for label in created if label not in _DELETE_ORDER]
        for label in (*extra, *_DELETE_ORDER):
            ids = created[label]
            model = _model(label)
            if label == "orgs.organization":
                # Deepest first, so that treebeard keeps the parents' child counts right.
                for org in model.objects.filter(pk__in=ids).order_by("-depth"):
                    org.delete()
            elif label in extra:
                for chunk in _chunks(ids):
                    model.objects.filter(_exactly(chunk)).delete()
            else:
                # Straight deletes: the check above found nothing else that refers to these
                # people, spells and posts. Django's deletion would load every record and send
                # its signals, and auditlog would then log each record, with a query or two
                # for each, a large import's longest part: the batch is the record
                # of what it created (their creation was not logged one by one either), and
                # the undo itself is an audit event (撤销导入).
                for chunk in _chunks(ids):
                    model.objects.filter(_exactly(chunk))._raw_delete(model.objects.db)
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = by
        batch.save(update_fields=["status", "undone_at", "undone_by"])


def _restore_parent(org: Organization, old_path: str | None) -> None:
    if not old_path or org.path[: -org.steplen] == old_path[: -org.steplen]:
        return
    parent = Organization.objects.filter(path=old_path[: -org.steplen]).first()
    if parent is not None:
        Organization.objects.move(org, parent, pos="last-child")
