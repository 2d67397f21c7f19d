"""Writes over liaison, activities and contributions: each one transaction, keyword-only.

A service that reads the roster (who may be on an activity's list, whom a contribution may
name) takes the user's scope and reads through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core.dated import overlapping_q
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.people.models import MembershipSpell, Person

from . import photos as photo_files
from .models import (
    Activity,
    ActivityPhoto,
    Adoption,
    Attendance,
    AuthorRole,
    Contribution,
    ContributionAuthor,
    ContributionKind,
    LiaisonAssignment,
    LiaisonVisit,
)
from .selectors import roster_on


def _names(people: Iterable[Person]) -> str:
    return "、".join(sorted(p.name for p in people))


def _not_after_today(day: date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{label}（{day:%Y-%m-%d}）不能晚于今天"})


def _org_current(org: Organization, day: date, field: str = "org") -> None:
    if not org.is_current(day):
        raise ValidationError({field: f"「{org}」在 {day:%Y-%m-%d} 尚未成立或已撤销"})


# --- liaison ---------------------------------------------------------------------------------


@transaction.atomic
def liaison_assign(
    *,
    orgs: Iterable[Organization],
    start: date,
    user=None,
    person: Person | None = None,
    title: str = "",
    end: date | None = None,
    note: str = "",
) -> list[LiaisonAssignment]:
    """Assign one liaison (an account, a person or both) to each of ``orgs`` from ``start``."""
    orgs = list(orgs)
    if not orgs:
        raise ValidationError({"orgs": "请至少选择一个联系的组织"})
    made = []
    for org in orgs:
        assignment = LiaisonAssignment(
            org=org, user=user, person=person, title=title, start=start, end=end, note=note
        )
        made.append(assignment_save(assignment=assignment))
    return made


@transaction.atomic
def assignment_save(*, assignment: LiaisonAssignment) -> LiaisonAssignment:
    """Save an assignment, refusing one that overlaps the same liaison's for the same org."""
    assignment.full_clean()
    same = LiaisonAssignment.objects.filter(org=assignment.org).exclude(pk=assignment.pk)
    if assignment.person_id:
        same = same.filter(person_id=assignment.person_id)
    else:
        same = same.filter(user_id=assignment.user_id, person__isnull=True)
    same = same.filter(overlapping_q("", assignment.start, assignment.end))
    clash = same.first()
    if clash:
        raise ValidationError(
            f"{assignment.liaison_name} 自 {clash.start:%Y-%m-%d} 起已联系「{assignment.org}」，"
            "联系期间不能重叠"
        )
    assignment.save()
    return assignment


@transaction.atomic
def visit_save(*, visit: LiaisonVisit, by=None) -> LiaisonVisit:
    _not_after_today(visit.date, "date", "走访日期")
    if visit.assignment_id:
        a = visit.assignment
        if a.org_id != visit.org_id:
            raise ValidationError(
                {"assignment": f"{a.liaison_name} 联系的是「{a.org}」，不是「{visit.org}」"}
            )
        if not a.active_on(visit.date):
            raise ValidationError(
                {"assignment": f"{a.liaison_name} 在 {visit.date:%Y-%m-%d} 不在联系期间内"}
            )
    if visit.pk is None and by is not None:
        visit.recorded_by = by
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_delete(*, visit: LiaisonVisit) -> None:
    visit.delete()


# --- activities ------------------------------------------------------------------------------


def _attendance(*, scope: Scope, activity: Activity, expected, present) -> dict[int, Person]:
    """The people named, all from the activity's roster on its date; else a ValidationError
    naming those who are not."""
    wanted = {int(pk) for pk in [*expected, *present]}
    roster = roster_on(scope=scope, org=activity.org, on=activity.date)
    found = {p.pk: p for p in roster.filter(pk__in=wanted)}
    missing = wanted - found.keys()
    if missing:
        names = _names(Person.objects.filter(pk__in=missing)) or f"{len(missing)} 人"
        raise ValidationError(
            {
                "attendance": f"{names} 在 {activity.date:%Y-%m-%d} 不在「{activity.org}」的"
                "名册中，不能登记为应到或实到"
            }
        )
    return found


def _attendance_text(rows) -> str:
    rows = sorted(rows)
    expected = "、".join(name for name, e, _ in rows if e)
    present = "、".join(name for name, _, p in rows if p)
    return f"应到：{expected or '无'}；实到：{present or '无'}" if rows else ""


def _log_attendance(activity: Activity, before: str, after: str) -> None:
    """The list is written in bulk (an activity has dozens of rows): one entry in the audit
    log, on the activity, says who was expected and who came, before and after."""
    if before != after:
        LogEntry.objects.log_create(
            activity, action=LogEntry.Action.UPDATE, changes={"attendees": [before, after]}
        )


@transaction.atomic
def activity_save(
    *, activity: Activity, expected: Iterable, present: Iterable, scope: Scope, by=None
) -> Activity:
    """Record or change an activity with its list: who was expected (应到) and who came (实到),
    both picked from the organization's roster on the activity's date."""
    _not_after_today(activity.date, "date", "活动日期")
    _org_current(activity.org, activity.date)
    expected = {int(pk) for pk in expected}
    present = {int(pk) for pk in present}
    people = _attendance(scope=scope, activity=activity, expected=expected, present=present)
    if activity.pk is None and by is not None:
        activity.recorded_by = by
    activity.full_clean()
    activity.save()
    before = list(activity.attendance.select_related("person"))
    kept = {a.person_id: a for a in before}
    Attendance.objects.filter(activity=activity).exclude(person_id__in=people).delete()
    new, changed = [], []
    for person_id in people:
        flags = (person_id in expected, person_id in present)
        row = kept.get(person_id)
        if row is None:
            new.append(
                Attendance(
                    activity=activity, person_id=person_id, expected=flags[0], present=flags[1]
                )
            )
        elif (row.expected, row.present) != flags:
            row.expected, row.present = flags
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["expected", "present"])
    _log_attendance(
        activity,
        _attendance_text((a.person.name, a.expected, a.present) for a in before),
        _attendance_text((p.name, pk in expected, pk in present) for pk, p in people.items()),
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    names = list(activity.photos.values_list("file", "thumbnail"))
    activity.delete()
    transaction.on_commit(lambda: photo_files.remove(*(n for pair in names for n in pair)))


@transaction.atomic
def photos_add(*, activity: Activity, uploads, by=None, caption: str = "") -> list[ActivityPhoto]:
    """Check every file first, then store them all: one bad file stores none."""
    uploads = list(uploads)
    if not uploads:
        raise ValidationError({"photos": "请选择要上传的照片"})
    room = photo_files.MAX_PHOTOS_PER_ACTIVITY - activity.photos.count()
    if len(uploads) > room:
        raise ValidationError(
            {
                "photos": f"每次活动最多 {photo_files.MAX_PHOTOS_PER_ACTIVITY} 张照片，"
                f"还可上传 {max(room, 0)} 张"
            }
        )
    errors, prepared = [], []
    for upload in uploads:
        try:
            prepared.append(photo_files.prepare(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"photos": errors})
    stored, made = [], []
    try:
        for photo in prepared:
            name, thumb = photo_files.store(photo)
            stored += [name, thumb]
            made.append(
                ActivityPhoto.objects.create(
                    activity=activity,
                    file=name,
                    thumbnail=thumb,
                    content_type=photo.content_type,
                    original_name=photo.original_name,
                    size=len(photo.content),
                    width=photo.width,
                    height=photo.height,
                    caption=caption,
                    uploaded_by=by,
                )
            )
    except Exception:
        photo_files.remove(*stored)
        raise
    return made


@transaction.atomic
def photo_delete(*, photo: ActivityPhoto) -> None:
    names = (photo.file, photo.thumbnail)
    photo.delete()
    transaction.on_commit(lambda: photo_files.remove(*names))


# --- contributions ---------------------------------------------------------------------------


def _credited_orgs(*, scope: Scope, people: list[Person], on: date) -> dict[int, Organization]:
    """The organization each person belonged to on ``on``, within the scope."""
    spells = (
        MembershipSpell.objects.filter(scope.q("org__path"), person__in=people)
        .active_on(on)
        .select_related("org")
        .order_by("start")
    )
    credited = {s.person_id: s.org for s in spells}
    missing = [p for p in people if p.pk not in credited]
    if missing:
        raise ValidationError(
            {
                "authors": f"{_names(missing)} 在 {on:%Y-%m-%d} 不是本管理范围内的在册成员，"
                "不能作为作者或联名人"
            }
        )
    return credited


@transaction.atomic
def contribution_save(
    *,
    contribution: Contribution,
    authors: Iterable[Person] = (),
    author_orgs: Iterable[Organization] = (),
    co_signers: Iterable[Person] = (),
    scope: Scope,
    by=None,
) -> Contribution:
    """Record or change a contribution with its authors (members and/or organizations) and,
    for a proposal, its co-signers. A member is credited to the organization they belonged to
    on the day it was submitted."""
    authors, author_orgs, co_signers = list(authors), list(author_orgs), list(co_signers)
    c = contribution
    _not_after_today(c.submitted_on, "submitted_on", "报送日期")
    errors = {}
    if not authors and not author_orgs:
        errors["authors"] = "请至少填写一位作者（成员或组织）"
    if c.kind == ContributionKind.PROPOSAL:
        if c.is_collective and not author_orgs:
            errors["author_orgs"] = "集体提案须以组织名义提出，请选择提案组织"
        if not c.is_collective and not authors:
            errors["authors"] = "个人提案须填写提案人"
    else:
        if c.is_collective:
            errors["is_collective"] = "只有提案分为个人提案和集体提案"
        if co_signers or c.other_co_signers.strip():
            errors["co_signers"] = "只有提案可以有联名人"
    both = {p.pk for p in authors} & {p.pk for p in co_signers}
    if both:
        errors["co_signers"] = (
            f"{_names(p for p in authors if p.pk in both)} 已是作者，不能再作联名人"
        )
    outside = [o for o in author_orgs if not scope.contains_path(o.path)]
    if outside:
        errors["author_orgs"] = f"「{'、'.join(o.name for o in outside)}」不在您的管理范围内"
    for org in author_orgs:
        if not org.is_current(c.submitted_on):
            errors["author_orgs"] = f"「{org}」在 {c.submitted_on:%Y-%m-%d} 尚未成立或已撤销"
    if errors:
        raise ValidationError(errors)
    credited = _credited_orgs(scope=scope, people=authors + co_signers, on=c.submitted_on)
    if c.pk is None and by is not None:
        c.recorded_by = by
    c.full_clean()
    c.save()
    author, co_signer = AuthorRole.AUTHOR.value, AuthorRole.CO_SIGNER.value
    wanted = [(author, p.pk, credited[p.pk].pk) for p in authors]
    wanted += [(author, None, o.pk) for o in author_orgs]
    wanted += [(co_signer, p.pk, credited[p.pk].pk) for p in co_signers]
    existing = {(a.role, a.person_id, a.org_id): a for a in c.authors.all()}
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
    for position, (role, person_id, org_id) in enumerate(wanted):
        row = existing.get((role, person_id, org_id))
        if row is None:
            ContributionAuthor.objects.create(
                contribution=c, role=role, person_id=person_id, org_id=org_id, position=position
            )
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return c


@transaction.atomic
def contribution_delete(*, contribution: Contribution) -> None:
    contribution.delete()


@transaction.atomic
def adoption_save(*, adoption: Adoption) -> Adoption:
    """Record one rung of the ladder, dated with its document."""
    c = adoption.contribution
    _not_after_today(adoption.on, "on", "采用或批示日期")
    if adoption.on < c.submitted_on:
        raise ValidationError(
            {"on": f"采用或批示日期不能早于报送日期（{c.submitted_on:%Y-%m-%d}）"}
        )
    adoption.full_clean()
    adoption.save()
    return adoption


@transaction.atomic
def adoption_delete(*, adoption: Adoption) -> None:
    adoption.delete()
