"""Write a checked plan in one transaction, repeating the check against the database as it is
then, and record each record created or changed (``BatchChange``) so that the batch can be
undone."""

from __future__ import annotations

import datetime
import json
import operator
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from tongxin.core import codes
from tongxin.core.bulk import JSONText, analyze, insert_rows, reserve_ids
from tongxin.core.pinyin import name_pinyin
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.people import services as people_services
from tongxin.people.models import PERSON_FIELDS, Affiliation, MembershipSpell, Person, Post
from tongxin.people.rules import member_status

from ..models import BatchChange, ImportBatch
from .plan import (
    GOVERNMENT_POST_TITLE,
    NOTHING,
    ORG_FIELDS,
    PROGRESS_EVERY,
    TOUCHED,
    UPDATED_PERSON_FIELDS,
    WITH,
    MemberRow,
    Plan,
    Progress,
    _chunks,
    _collector_paused,
    _member_changes,
    _no_progress,
    _snapshot_values,
)


def _snapshot(obj, fields) -> dict:
    """The ``fields`` of ``obj`` as an undo record holds them (dates as ISO text)."""
    return _snapshot_values({name: getattr(obj, name) for name in fields}, fields)


def apply(*, batch: ImportBatch, plan: Plan, progress: Progress = _no_progress) -> None:
    """Write a checked plan in one transaction and record every change on ``batch``."""
    with _collector_paused():
        _apply(batch=batch, plan=plan, progress=progress)


def _apply(*, batch: ImportBatch, plan: Plan, progress: Progress) -> None:
    if connection.vendor == "sqlite":
        # SQLite's own page cache (2 MB by default) is far smaller than the indexes a large
        # import extends; with it, inserts stop re-reading index pages. Per connection.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    on = batch.effective_date
    # (model label, object id, action, before, after) for every record touched, written at the end.
    changes: list[tuple] = []
    # Counted before writing: the write fills in the people it creates.
    batch.created, batch.updated, batch.unchanged = plan.created, plan.updated, plan.unchanged
    batch.transferred = plan.transferred
    batch.orgs_created, batch.orgs_updated = plan.orgs_created, plan.orgs_updated

    def record(obj, action, before, after_fields):
        changes.append(
            (obj._meta.label_lower, obj.pk, action, before, _snapshot(obj, after_fields))
        )

    record.rows = changes  # the bulk path appends plain rows

    with transaction.atomic():
        orgs_by_code = _write_orgs(plan, record)
        orgs_by_code.update(
            {
                o.code: o
                for o in Organization.objects.filter(
                    code__in={m.values["org_code"] for m in plan.members} - set(orgs_by_code)
                )
            }
        )
        total = len(plan.members)
        new = [m for m in plan.members if m.existing is None]
        _write_new_people(
            new, orgs_by_code, plan.hashes, record, lambda done: progress("write", done, total), on
        )
        written = len(new)
        changing = [m for m in plan.members if m.existing is not None and _member_changes(m)]
        for chunk in _chunks(changing, PROGRESS_EVERY):
            people = Person.objects.in_bulk([m.existing["pk"] for m in chunk])
            for m in chunk:
                _write_person_update(m, people[m.existing["pk"]], orgs_by_code, on, record)
            written += len(chunk)
            progress("write", written, total)
        for extension, items in plan.extra:
            for obj in extension.write(items=items, by=batch.created_by):
                record(obj, BatchChange.Action.CREATED, {}, ("start", "end"))
        insert_rows(
            BatchChange,
            ("batch_id", "model", "object_id", "action", "before", "after"),
            ((batch.pk, *change) for change in changes),
            ids=reserve_ids(BatchChange, len(changes)),
        )
        progress("write", total, total)
        batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save_state()
    if plan.created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        analyze((Person, ANALYZED_PERSON_FIELDS), (MembershipSpell, ()), (Post, ()),
                 (BatchChange, ()))  # fmt: skip


# New people from which the tables' planner statistics are brought up to date at once.
ANALYZE_AFTER = 1000
# The person fields that pages filter, join or sort on. The free text (units, posts, notes,
# phones) waits for autovacuum: an ANALYZE of some columns leaves its counter running, so
# autovacuum still gathers every column soon after. Half the time of a full ANALYZE.
ANALYZED_PERSON_FIELDS = (
    "id", "id_number_hash", "name", "name_pinyin", "name_initials", "gender", "birth_date",
    "ethnicity", "education", "degree", "title_level", "unit_nature", "sector", "is_retired",
    "is_cross_member", "upper_middle", "admitted_on",
)  # fmt: skip


def _write_orgs(plan: Plan, record) -> dict[str, Organization]:
    by_code: dict[str, Organization] = {}
    pending = list(plan.orgs)
    fields = ("code", *ORG_FIELDS, "path")
    while pending:
        progressed = False
        for item in list(pending):
            values = item.values
            parent_code = values["parent_code"]
            parent = (
                by_code.get(parent_code) or Organization.objects.filter(code=parent_code).first()
            )
            if parent_code and parent is None:
                continue  # its parent is later in the file
            pending.remove(item)
            progressed = True
            org = item.existing
            if org is None:
                org = Organization(
                    code=values["code"],
                    name=values["name"],
                    kind=values["kind"],
                    established=values["established"],
                    party=values["party"] or "",
                )
                if parent is None:  # a new root: the check allowed it
                    org = Organization.objects.add_root(instance=org)
                else:
                    org = Organization.objects.add_child(parent, instance=org)
                record(org, BatchChange.Action.CREATED, {}, fields)
            elif item.changes:
                before = _snapshot(org, fields)
                before["categories"] = sorted(org.categories.values_list("name", flat=True))
                for key in ORG_FIELDS:
                    if key in item.changes:
                        setattr(org, key, item.changes[key])
                org.save()
                if "parent_code" in item.changes:
                    Organization.objects.move(org, parent, pos="last-child")
                    org = Organization.objects.get(pk=org.pk)
                record(org, BatchChange.Action.UPDATED, before, fields)
            if values["categories"]:
                org.categories.set(
                    [
                        OrganizationCategory.objects.get_or_create(name=n)[0]
                        for n in values["categories"]
                    ]
                )
            by_code[org.code] = org
        if not progressed:
            break
    return by_code


NEW_PERSON_COLUMNS = (
    *PERSON_FIELDS, "name_pinyin", "name_initials", "created_at", "updated_at", "id_number_hash",
    "political_status",
)  # fmt: skip
SPELL_COLUMNS = (
    "person_id", "org_id", "start", "end", "start_reason", "end_reason", "document_no",
    "approved_by", "end_document_no", "end_approved_by", "note",
)  # fmt: skip
AFFILIATION_COLUMNS = ("person_id", "org_id", "kind", "start", "end", "note")
POST_COLUMNS = (
    "person_id", "kind", "title", "org_id", "unit", "rank", "body", "level", "term", "start",
    "end", "document_no", "note",
)  # fmt: skip


_PERSON_VALUES = operator.itemgetter(*PERSON_FIELDS)  # every member column holds a value
_AT_RETIRED, _AT_CROSS, _AT_TITLE_LEVEL = (
    PERSON_FIELDS.index(k) for k in ("is_retired", "is_cross_member", "title_level")
)


def _person_row(values: dict, now, hashes: dict[str, str], party: str, member: bool) -> list:
    row = list(_PERSON_VALUES(values))
    row[_AT_RETIRED] = bool(row[_AT_RETIRED])
    row[_AT_CROSS] = bool(row[_AT_CROSS])
    row[_AT_TITLE_LEVEL] = row[_AT_TITLE_LEVEL] or ""
    number = values["id_number"]
    # The check hashed every number it looked up; a blank number has a blank hash.
    # 政治面貌 as the row gives it; else a member's follows from the party, and a non-member's
    # stays unknown.
    status = values.get("political_status") or (
        member_status(party=party, held="") if member else ""
    )
    row += (*name_pinyin(values["name"]), now, now, hashes[number] if number else "",
            status)  # fmt: skip
    return row


def _write_new_people(
    items: list[MemberRow], orgs_by_code, hashes, record, report, on: datetime.date
) -> None:
    """New people with their spells and posts, as plain rows: no model instance per row, one
    insert per table. The people's rows (with their pinyin) are built as they are sent, so
    that PostgreSQL stores the first while Python builds the next."""
    if not items:
        return
    now = timezone.now()
    # Each organization's party, asked before the rows are sent: PostgreSQL takes them as one
    # COPY, during which the connection answers no other query.
    orgs = {orgs_by_code[code] for code in {m.values["org_code"] for m in items}}
    party_of = org_selectors.effective_parties(orgs)
    parties = {org.code: party_of[org.pk] for org in orgs}

    def people():
        for done, m in enumerate(items, 1):
            if done % PROGRESS_EVERY == 0:
                report(done)
            party = parties[m.values["org_code"]]
            yield _person_row(m.values, now, hashes, party, member=not m.affiliation)

    ids = insert_rows(Person, NEW_PERSON_COLUMNS, people(), ids=reserve_ids(Person, len(items)))
    spells, posts, affiliations = [], [], []
    for m, person_id in zip(items, ids, strict=True):
        m.person_id = person_id
        org = orgs_by_code[m.values["org_code"]]
        if m.affiliation:
            # A non-member: the organization keeps the file from the import's date; the post
            # from its 任职日期.
            affiliations.append((person_id, org.pk, m.affiliation, on, None, ""))
            if m.values.get("admin_rank"):
                title = m.values.get("job_post") or GOVERNMENT_POST_TITLE
                posts.append((person_id, codes.PostKind.GOVERNMENT, title, None,
                              m.values.get("work_unit") or "", m.values["admin_rank"], "", "",
                              "", m.values.get("post_start") or on, None, "", ""))  # fmt: skip
            continue
        admitted = m.values["admitted_on"]
        # A member admitted before the branch existed joined it when it was set up.
        start = max(admitted, org.established) if org.established else admitted
        reason = (
            codes.SpellReason.ADMITTED if start == admitted else codes.SpellReason.TRANSFERRED_IN
        )
        spells.append((person_id, org.pk, start, None, reason, "", "", "", "", "", ""))
        if m.values.get("admin_rank"):
            title = m.values.get("job_post") or GOVERNMENT_POST_TITLE
            posts.append((person_id, codes.PostKind.GOVERNMENT, title, None,
                          m.values.get("work_unit") or "", m.values["admin_rank"], "", "", "",
                          m.values.get("post_start") or start, None, "", ""))  # fmt: skip
        for title in m.values.get("party_posts") or []:
            posts.append((person_id, codes.PostKind.PARTY, title, org.pk, "", "", "", "", "",
                          start, None, "", ""))  # fmt: skip
    # One undo record per new person, which also stands for the spell and posts created with
    # them, rather than one record per row written.
    created_with: dict[int, dict[str, list]] = {person_id: {} for person_id in ids}
    for label, model, columns, rows in (
        ("people.membershipspell", MembershipSpell, SPELL_COLUMNS, spells),
        ("people.post", Post, POST_COLUMNS, posts),
        ("people.affiliation", Affiliation, AFFILIATION_COLUMNS, affiliations),
    ):
        if not rows:
            continue
        at = columns.index("start")
        for object_id, row in zip(insert_rows(model, columns, rows), rows, strict=True):
            created_with[row[0]].setdefault(label, []).append((object_id, row[at]))
    write = _created_record_writer(now)
    record.rows.extend(
        ("people.person", person_id, BatchChange.Action.CREATED, NOTHING, write(children))
        for person_id, children in created_with.items()
    )


def _created_record_writer(now) -> Callable[[dict], JSONText]:
    """The JSON of a new person's undo record, ``{"updated_at": …, "with": {label: [[id,
    start, null], …]}}`` (see ``WITH``), written out directly rather than through
    ``json.dumps``, which an import would call once per new person. Every part is a key, a
    number or an ISO date, none of which needs escaping."""
    head = f'{{"updated_at": {json.dumps(now.isoformat())}, "{WITH}": {{'
    iso: dict[datetime.date, str] = {}  # each start date written out once

    def day(value: datetime.date) -> str:
        text = iso.get(value)
        if text is None:
            text = iso[value] = value.isoformat()
        return text

    def write(children: dict[str, list]) -> JSONText:
        parts = ", ".join(
            f'"{label}": [' + ", ".join(f'[{pk}, "{day(start)}", null]' for pk, start in rows) + "]"
            for label, rows in children.items()
        )
        return JSONText(f"{head}{parts}}}}}")

    return write


def _government_post(person, values, start) -> Post:
    return Post(
        person=person,
        kind=codes.PostKind.GOVERNMENT,
        title=values.get("job_post") or GOVERNMENT_POST_TITLE,
        unit=values.get("work_unit") or "",
        rank=values["admin_rank"],
        start=values.get("post_start") or start,
    )


def _end_post(post: Post, on, record) -> None:
    before = _snapshot(post, ("start", "end"))
    post.end = max(on, post.start) if post.start else on
    post.save(update_fields=["end"])
    record(post, BatchChange.Action.UPDATED, before, ("start", "end"))


def _write_person_update(m: MemberRow, person: Person, orgs_by_code, on, record) -> None:
    before = _snapshot(person, UPDATED_PERSON_FIELDS)
    if m.changes:
        for key, value in m.changes.items():
            setattr(person, key, value)
        person.name_pinyin, person.name_initials = name_pinyin(person.name)
        person.save()
    org = orgs_by_code[m.values["org_code"]]
    if m.affiliate:
        kept = Affiliation(person=person, org=org, kind=m.affiliation, start=on)
        kept.full_clean()
        kept.save()
        record(kept, BatchChange.Action.CREATED, {}, ("start", "end"))
    if m.move_to:
        spell = MembershipSpell.objects.filter(person=person).active_on(on).first()
        if spell is not None:
            spell_before = _snapshot(spell, ("end", "end_reason"))
            spell.end, spell.end_reason = on, codes.SpellReason.TRANSFERRED_OUT
            spell.save(update_fields=["end", "end_reason"])
            record(spell, BatchChange.Action.UPDATED, spell_before, ("end", "end_reason"))
        # The service's own start: its checks, and the political status that follows from
        # the membership (a returning member is no longer 群众).
        new = people_services.membership_start(
            person=person, org=org, on=on, reason=codes.SpellReason.TRANSFERRED_IN
        )
        record(new, BatchChange.Action.CREATED, {}, ("start", "end"))
    if m.changes or person.political_status != before["political_status"]:
        # Recorded after the spell, whose start may have saved the person again.
        record(person, BatchChange.Action.UPDATED, before, TOUCHED)
    if m.rank is not None:
        for post in Post.objects.active_on(on).filter(
            person=person, kind=codes.PostKind.GOVERNMENT
        ):
            _end_post(post, on, record)
        if m.rank:
            post = _government_post(person, m.values, on)
            post.save()
            record(post, BatchChange.Action.CREATED, {}, ("start", "end"))
    if m.party_titles is not None:
        held = list(Post.objects.active_on(on).filter(person=person, kind=codes.PostKind.PARTY))
        for post in held:
            if post.title not in m.party_titles:
                _end_post(post, on, record)
        held_titles = {p.title for p in held}
        for title in m.party_titles:
            if title not in held_titles:
                post = Post.objects.create(
                    person=person,
                    kind=codes.PostKind.PARTY,
                    title=title,
                    org=org,
                    start=on,
                )
                record(post, BatchChange.Action.CREATED, {}, ("start", "end"))
