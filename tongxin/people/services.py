"""Writes over people and membership: each one transaction, keyword-only."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from tongxin.core.codes import SpellReason
from tongxin.core.idnumber import parse_id_number
from tongxin.core.pinyin import name_pinyin

from .models import Affiliation, MembershipSpell, Person, Post


def _prepare(person: Person) -> None:
    """Fill what follows from other fields, then validate the whole record."""
    person.name = person.name.strip()
    person.name_pinyin, person.name_initials = name_pinyin(person.name)
    if person.id_number:
        info = parse_id_number(person.id_number)
        person.id_number = info.number
        errors = {}
        if person.gender and person.gender in ("1", "2") and person.gender != info.gender:
            errors["gender"] = "性别与身份证号不一致"
        if person.birth_date and person.birth_date != info.birth_date:
            errors["birth_date"] = (
                f"出生日期与身份证号不一致（身份证号中为 {info.birth_date:%Y-%m-%d}）"
            )
        if errors:
            raise ValidationError(errors)
        person.gender = person.gender or info.gender
        person.birth_date = person.birth_date or info.birth_date
    person.full_clean()


def _check_no_overlap(*, person: Person, start: date, end: date | None, exclude=None) -> None:
    overlapping = MembershipSpell.objects.filter(person=person).filter(
        Q(end__isnull=True) | Q(end__gt=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start__lt=end)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    clash = overlapping.select_related("org").first()
    if clash:
        raise ValidationError(
            f"{person.name} 在 {clash.start:%Y-%m-%d} 起已在「{clash.org}」在册，成员关系不能重叠"
        )


@transaction.atomic
def person_create(
    *,
    person: Person,
    org,
    start: date,
    start_reason: str = SpellReason.ADMITTED,
    document_no: str = "",
) -> Person:
    """Record a new person as a member of ``org`` from ``start``."""
    if person.admitted_on is None and start_reason == SpellReason.ADMITTED:
        person.admitted_on = start
    _prepare(person)
    person.save()
    membership_start(person=person, org=org, on=start, reason=start_reason, document_no=document_no)
    return person


@transaction.atomic
def person_update(*, person: Person) -> Person:
    _prepare(person)
    person.save()
    return person


@transaction.atomic
def membership_start(
    *, person: Person, org, on: date, reason: str, document_no: str = "", approved_by: str = ""
) -> MembershipSpell:
    if reason not in (SpellReason.ADMITTED, SpellReason.TRANSFERRED_IN):
        raise ValidationError("成员关系的开始原因只能是入会或转入")
    if org.established and on < org.established:
        raise ValidationError(f"「{org}」成立于 {org.established:%Y-%m-%d}，不能在此之前接收成员")
    if org.dissolved and org.dissolved <= on:
        raise ValidationError(f"「{org}」已于 {org.dissolved:%Y-%m-%d} 撤销，不能接收成员")
    _check_no_overlap(person=person, start=on, end=None)
    spell = MembershipSpell(
        person=person,
        org=org,
        start=on,
        start_reason=reason,
        document_no=document_no,
        approved_by=approved_by,
    )
    spell.full_clean()
    spell.save()
    return spell


def _active_spell(person: Person, on: date) -> MembershipSpell:
    spell = (
        MembershipSpell.objects.filter(person=person, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .select_for_update()
        .first()
    )
    if spell is None:
        raise ValidationError(f"{person.name} 在 {on:%Y-%m-%d} 没有在册的成员关系")
    return spell


@transaction.atomic
def membership_end(
    *, person: Person, on: date, reason: str, document_no: str = "", approved_by: str = ""
) -> MembershipSpell:
    """End the spell in force on ``on`` (退出, 除名, 开除, 去世, 转出 to outside)."""
    if reason in (SpellReason.ADMITTED, SpellReason.TRANSFERRED_IN):
        raise ValidationError("成员关系的结束原因不能是入会或转入")
    spell = _active_spell(person, on)
    if spell.start > on:
        raise ValidationError("结束日期不能早于开始日期")
    spell.end = on
    spell.end_reason = reason
    spell.end_document_no = document_no
    spell.end_approved_by = approved_by
    spell.full_clean()
    spell.save()
    return spell


@transaction.atomic
def membership_transfer(
    *, person: Person, to_org, on: date, document_no: str = ""
) -> MembershipSpell:
    """Move a member to another organization on ``on``: the old spell ends, a new one starts."""
    spell = _active_spell(person, on)
    if spell.org_id == to_org.pk:
        raise ValidationError(f"{person.name} 已在「{to_org}」在册")
    if spell.start == on:
        raise ValidationError("转入当天不能再次转出，请修改原成员关系")
    membership_end(
        person=person, on=on, reason=SpellReason.TRANSFERRED_OUT, document_no=document_no
    )
    return membership_start(
        person=person, org=to_org, on=on, reason=SpellReason.TRANSFERRED_IN, document_no=document_no
    )


@transaction.atomic
def post_save(*, post: Post) -> Post:
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def affiliation_start(*, person: Person, org, kind: str, on: date, note: str = "") -> Affiliation:
    """Put a non-member's file in ``org``'s keeping from ``on`` (申请人, 党外干部 …). A link of
    the same kind to the same organization that is still in force is kept, not repeated."""
    if org.dissolved and org.dissolved <= on:
        raise ValidationError(f"「{org}」已于 {org.dissolved:%Y-%m-%d} 撤销，不能建立管理关系")
    current = Affiliation.objects.filter(person=person, org=org, kind=kind).active_on(on).first()
    if current is not None:
        return current
    affiliation = Affiliation(person=person, org=org, kind=kind, start=on, note=note)
    affiliation.full_clean()
    affiliation.save()
    return affiliation


@transaction.atomic
def affiliation_end(*, affiliation: Affiliation, on: date) -> Affiliation:
    """End a non-member's link on ``on`` (admitted as a member, left the pool, moved away)."""
    if on < affiliation.start:
        raise ValidationError(f"结束日期不能早于管理关系的开始日期（{affiliation.start:%Y-%m-%d}）")
    affiliation.end = on
    affiliation.full_clean()
    affiliation.save()
    return affiliation
