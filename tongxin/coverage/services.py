"""Writes over the 两新组织 registry: each one transaction, keyword-only, refusing bad input in
Chinese and changing nothing then. The import, the admin and the demo call these too."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tongxin.orgs.models import Organization
from tongxin.people.models import Person

from .models import (
    InstructorAssignment,
    InstructorVisit,
    MassKind,
    MassOrganization,
    NewOrganization,
    PartyForm,
    PartyMemberCount,
    PartyOrgForm,
    clean_credit_code,
)


def _check_area(new_org: NewOrganization) -> None:
    area = new_org.area
    if area.dissolved and (new_org.deregistered is None or area.dissolved <= new_org.deregistered):
        if new_org.deregistered is None:
            raise ValidationError(
                {"area": f"所在组织「{area.name}」已于 {area.dissolved:%Y-%m-%d} 撤销"}
            )


# --- the rules of each fact, for one record (the services) and for many (the import) -----------

# Read once: the enums build these lists anew at each use (thousands in an import).
_FORMS = frozenset(PartyForm.values)
_MASS_KINDS = frozenset(MassKind.values)


def check_new_org(new_org: NewOrganization) -> None:
    """The organization's own rules, without the queries (unique key, area) of ``full_clean``:
    the import checks those for a whole file at once."""
    new_org.credit_code = clean_credit_code(new_org.credit_code)
    new_org.full_clean(exclude=["area"], validate_unique=False, validate_constraints=False)
    _check_area(new_org)


def check_form(
    *, new_org: NewOrganization, form: str, start: date, party_org: Organization | None
) -> None:
    if form not in _FORMS:
        raise ValidationError(f"党组织形式“{form}”无效，应为：{'、'.join(PartyForm.labels)}")
    if party_org is not None and form != PartyForm.SINGLE:
        raise ValidationError("只有单独组建的两新组织才能指定本单位党组织")
    if new_org.founded and start < new_org.founded:
        raise ValidationError(
            f"党组织建立日期 {start:%Y-%m-%d} 早于「{new_org.name}」的成立日期 "
            f"{new_org.founded:%Y-%m-%d}"
        )


def check_mass(*, new_org: NewOrganization, kind: str, start: date | None) -> None:
    if kind not in _MASS_KINDS:
        raise ValidationError(f"群团组织“{kind}”无效，应为：{'、'.join(MassKind.labels)}")
    if start is not None and new_org.founded and start < new_org.founded:
        raise ValidationError(
            f"{MassKind(kind).label}建立日期 {start:%Y-%m-%d} 早于「{new_org.name}」的成立日期 "
            f"{new_org.founded:%Y-%m-%d}"
        )


def check_members(count: int) -> None:
    if count < 0:
        raise ValidationError(f"党员人数不能为负数：{count}")


@transaction.atomic
def new_org_save(*, new_org: NewOrganization) -> NewOrganization:
    """Record a new organization or the changes to one (name, area, size …); the dated facts
    have their own services."""
    try:
        new_org.credit_code = clean_credit_code(new_org.credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from exc
    try:
        new_org.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict({})
        if any(e.code == "unique" for e in errors.get("credit_code", [])):
            errors["credit_code"] = [
                f"统一社会信用代码“{new_org.credit_code}”已经登记过，不能重复登记"
            ]
        raise ValidationError(errors) from exc
    _check_area(new_org)
    new_org.save()
    return new_org


@transaction.atomic
def new_org_deregister(*, new_org: NewOrganization, on: date) -> NewOrganization:
    """注销 on ``on``: the organization leaves the counts taken on and after that day."""
    if new_org.founded and on < new_org.founded:
        raise ValidationError(
            f"「{new_org.name}」的注销日期 {on:%Y-%m-%d} 早于成立日期 {new_org.founded:%Y-%m-%d}"
        )
    new_org.deregistered = on
    new_org.full_clean()
    new_org.save(update_fields=["deregistered"])
    return new_org


def current_form(new_org: NewOrganization, on: date | None = None) -> PartyOrgForm | None:
    """The form in force on ``on`` (the latest when None)."""
    forms = new_org.forms.all()
    if on is not None:
        forms = forms.active_on(on)
    return forms.order_by("-start").first()


@transaction.atomic
def party_form_set(
    *,
    new_org: NewOrganization,
    form: str,
    start: date,
    party_org: Organization | None = None,
) -> PartyOrgForm:
    """The party organization's form from ``start`` (联合 → 单独 …). The form it replaces keeps
    its dates and ends on ``start``; the same form given again changes nothing, and a new start
    date for the latest form corrects it."""
    check_form(new_org=new_org, form=form, start=start, party_org=party_org)
    latest = current_form(new_org)
    if latest is not None:
        if latest.form == form:
            if latest.start != start or latest.party_org_id != getattr(party_org, "pk", None):
                if latest.end is None or latest.end > start:
                    latest.start = start
                    latest.party_org = party_org
                    latest.full_clean()
                    latest.save()
            return latest
        if start <= latest.start:
            raise ValidationError(
                f"新的党组织形式“{PartyForm(form).label}”的建立日期 {start:%Y-%m-%d} 应晚于现有的"
                f"“{latest.get_form_display()}”（{latest.start:%Y-%m-%d}起）"
            )
        latest.end = start
        latest.save(update_fields=["end"])
    record = PartyOrgForm(new_org=new_org, form=form, start=start, party_org=party_org)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def mass_org_set(
    *, new_org: NewOrganization, kind: str, start: date | None, on: date
) -> MassOrganization | None:
    """The union / youth league / women's organization established on ``start``; None
    dissolves the one in force on ``on``. The same date given again changes nothing; another
    date corrects the one in force."""
    check_mass(new_org=new_org, kind=kind, start=None)
    current = new_org.mass.filter(kind=kind, end__isnull=True).order_by("-start").first()
    if start is None:
        if current is not None and current.start < on:
            current.end = on
            current.save(update_fields=["end"])
        elif current is not None:
            current.delete()
        return None
    check_mass(new_org=new_org, kind=kind, start=start)
    _check_after_dissolved(new_org=new_org, kind=kind, start=start)
    if current is not None:
        if current.start != start:
            current.start = start
            current.full_clean()
            current.save(update_fields=["start"])
        return current
    record = MassOrganization(new_org=new_org, kind=kind, start=start)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def party_members_record(*, new_org: NewOrganization, on: date, count: int) -> None:
    """党员人数 ``count`` as of ``on``; the same count as the latest before it adds nothing."""
    check_members(count)
    earlier = new_org.member_counts.filter(on__lte=on).order_by("-on").first()
    if earlier is not None and earlier.count == count:
        return
    if earlier is not None and earlier.on == on:
        earlier.count = count
        earlier.save(update_fields=["count"])
        return
    PartyMemberCount.objects.create(new_org=new_org, on=on, count=count)


@transaction.atomic
def instructor_assign(
    *, new_org: NewOrganization, person: Person, start: date
) -> InstructorAssignment:
    """Send ``person`` as the 党建工作指导员 from ``start``; the one before leaves that day."""
    if new_org.founded and start < new_org.founded:
        raise ValidationError(
            {"start": f"选派日期 {start:%Y-%m-%d} 早于成立日期 {new_org.founded:%Y-%m-%d}"}
        )
    current = new_org.instructors.filter(end__isnull=True).order_by("-start").first()
    if current is not None:
        if current.person_id == person.pk:
            return current
        if start <= current.start:
            raise ValidationError(
                f"新指导员的选派日期 {start:%Y-%m-%d} 应晚于现任指导员的选派日期 "
                f"{current.start:%Y-%m-%d}"
            )
        current.end = start
        current.save(update_fields=["end"])
    record = InstructorAssignment(new_org=new_org, person=person, start=start)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def visit_record(
    *, new_org: NewOrganization, on: date, person: Person | None = None, note: str = ""
) -> InstructorVisit:
    if new_org.founded and on < new_org.founded:
        raise ValidationError(f"走访日期 {on:%Y-%m-%d} 早于成立日期 {new_org.founded:%Y-%m-%d}")
    visit = InstructorVisit(new_org=new_org, on=on, person=person, note=note)
    visit.full_clean()
    visit.save()
    return visit


def _check_after_dissolved(*, new_org: NewOrganization, kind: str, start: date) -> None:
    """A union (youth league, women's organization) established again starts on or after the
    day the one before was dissolved: two of the same kind never overlap."""
    ended = (
        new_org.mass.filter(kind=kind, end__isnull=False, end__gt=start).order_by("-end").first()
    )
    if ended is not None:
        raise ValidationError(
            f"{MassKind(kind).label}曾于 {ended.start:%Y-%m-%d} 建立、{ended.end:%Y-%m-%d} 撤销，"
            f"新的建立日期 {start:%Y-%m-%d} 不能早于撤销日期"
        )


@transaction.atomic
def mass_org_dissolve(*, new_org: NewOrganization, kind: str, on: date) -> MassOrganization:
    """撤销 the union / youth league / women's organization in force, on ``on``: it keeps its
    dates and stops counting that day."""
    check_mass(new_org=new_org, kind=kind, start=None)
    label = MassKind(kind).label
    current = new_org.mass.filter(kind=kind, end__isnull=True).order_by("-start").first()
    if current is None:
        raise ValidationError({"kind": f"「{new_org.name}」没有在建的{label}，无需撤销"})
    if on <= current.start:
        raise ValidationError(
            {"on": f"撤销日期 {on:%Y-%m-%d} 应晚于{label}的建立日期 {current.start:%Y-%m-%d}"}
        )
    current.end = on
    current.full_clean()
    current.save(update_fields=["end"])
    return current


@transaction.atomic
def union_chair_set(
    *, new_org: NewOrganization, party_member: bool | None, cross_post: bool | None
) -> NewOrganization:
    """Whether the union chair is a party member and holds a post of the party organization
    (交叉任职); None: not known. The rules are the organization's own (``new_org_save``)."""
    new_org.union_chair_party_member = party_member
    new_org.union_chair_cross_post = cross_post
    return new_org_save(new_org=new_org)
