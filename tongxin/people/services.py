"""Writes over people and membership: each one transaction, keyword-only."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core.codes import SpellReason
from tongxin.core.dated import overlapping_q
from tongxin.core.extensions import post_rule_check
from tongxin.core.pinyin import name_pinyin

from .models import Affiliation, MembershipSpell, Person, Post, Suspension
from .rules import id_number_facts, member_status


def _prepare(person: Person) -> None:
    """Fill what follows from other fields, then validate the whole record."""
    person.name = person.name.strip()
    person.name_pinyin, person.name_initials = name_pinyin(person.name)
    if person.id_number:
        facts = id_number_facts(
            person.id_number, gender=person.gender, birth_date=person.birth_date
        )
        if facts.errors:
            raise ValidationError(facts.errors)
        person.id_number, person.gender, person.birth_date = facts[:3]
    person.full_clean()


def person_check(*, person: Person) -> None:
    """Fill what follows from other fields (pinyin; gender and birth date from the ID number)
    and validate, without saving: a service checks a new person before it writes anything."""
    _prepare(person)


def _check_no_overlap(*, person: Person, start: date, end: date | None, exclude=None) -> None:
    overlapping = MembershipSpell.objects.filter(person=person).filter(
        overlapping_q("", start, end)
    )
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
    letter_no: str = "",
    came_from: str = "",
) -> Person:
    """Record a new person as a member of ``org`` from ``start`` (admitted, or transferred in
    with the letter of ``came_from``)."""
    if person.admitted_on is None and start_reason == SpellReason.ADMITTED:
        person.admitted_on = start
    person.political_status = member_status(
        party=org.effective_party(), held=person.political_status
    )
    _prepare(person)
    person.save()
    membership_start(
        person=person,
        org=org,
        on=start,
        reason=start_reason,
        document_no=document_no,
        letter_no=letter_no,
        came_from=came_from,
    )
    return person


@transaction.atomic
def person_update(*, person: Person) -> Person:
    _prepare(person)
    person.save()
    return person


def _follow_membership(person: Person, org) -> None:
    """A member's political status is their party's (CODES.md: it follows from membership)."""
    status = member_status(party=org.effective_party(), held=person.political_status)
    if person.political_status != status:
        person.political_status = status
        person.save(update_fields=["political_status", "updated_at"])


@transaction.atomic
def membership_start(
    *,
    person: Person,
    org,
    on: date,
    reason: str,
    document_no: str = "",
    approved_by: str = "",
    letter_no: str = "",
    came_from: str = "",
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
        start_letter_no=letter_no,
        came_from=came_from,
    )
    spell.full_clean()
    spell.save()
    _follow_membership(person, org)
    return spell


def _active_spell(person: Person, on: date) -> MembershipSpell:
    spell = MembershipSpell.objects.filter(person=person).active_on(on).select_for_update().first()
    if spell is None:
        raise ValidationError(f"{person.name} 在 {on:%Y-%m-%d} 没有在册的成员关系")
    return spell


@transaction.atomic
def membership_end(
    *,
    person: Person,
    on: date,
    reason: str,
    document_no: str = "",
    approved_by: str = "",
    letter_no: str = "",
    went_to: str = "",
) -> MembershipSpell:
    """End the spell in force on ``on`` (退出, 除名, 开除, 去世, 转出 to outside)."""
    if reason in (SpellReason.ADMITTED, SpellReason.TRANSFERRED_IN):
        raise ValidationError("成员关系的结束原因不能是入会或转入")
    spell = _active_spell(person, on)
    if spell.start > on:
        raise ValidationError("结束日期不能早于开始日期")
    if spell.end is not None:
        # History is never overwritten: a later event already closed this spell.
        raise ValidationError(
            f"{person.name} 在「{spell.org}」的成员关系已于 {spell.end:%Y-%m-%d} "
            f"{spell.get_end_reason_display()}，不能改记为 {on:%Y-%m-%d} 结束"
        )
    spell.end = on
    spell.end_reason = reason
    spell.end_document_no = document_no
    spell.end_approved_by = approved_by
    spell.end_letter_no = letter_no
    spell.went_to = went_to
    spell.full_clean()
    spell.save()
    return spell


@transaction.atomic
def membership_transfer(
    *,
    person: Person,
    to_org,
    on: date,
    document_no: str = "",
    approved_by: str = "",
    letter_no: str = "",
) -> MembershipSpell:
    """Move a member to another organization on ``on``: the old spell ends, a new one starts."""
    spell = _active_spell(person, on)
    if spell.org_id == to_org.pk:
        raise ValidationError(f"{person.name} 已在「{to_org}」在册")
    if spell.start == on:
        raise ValidationError("转入当天不能再次转出，请修改原成员关系")
    membership_end(
        person=person,
        on=on,
        reason=SpellReason.TRANSFERRED_OUT,
        document_no=document_no,
        approved_by=approved_by,
        letter_no=letter_no,
    )
    return membership_start(
        person=person,
        org=to_org,
        on=on,
        reason=SpellReason.TRANSFERRED_IN,
        document_no=document_no,
        approved_by=approved_by,
        letter_no=letter_no,
    )


# --- the member lifecycle: transfers across Tongxin's border, exits, 停止组织生活 ----------------

# After an exit a person holds no party's status: 群众, or 中共党员 for a cross member (the
# status they held before admission is not kept, and cannot be assumed).
_EXIT_STATUS = {True: "01", False: "13"}


@transaction.atomic
def membership_transfer_out(
    *,
    person: Person,
    on: date,
    to_name: str,
    letter_no: str,
    document_no: str = "",
    approved_by: str = "",
) -> MembershipSpell:
    """转出 to an organization outside Tongxin (another city's committee): the spell ends on
    ``on`` with the letter's number; its receipt is recorded when it comes back."""
    errors = {}
    if not to_name.strip():
        errors["to_name"] = "请填写转往的组织"
    if not letter_no.strip():
        errors["letter_no"] = "请填写转出介绍信编号"
    if errors:
        raise ValidationError(errors)
    spell = membership_end(
        person=person,
        on=on,
        reason=SpellReason.TRANSFERRED_OUT,
        document_no=document_no,
        approved_by=approved_by,
        letter_no=letter_no.strip(),
        went_to=to_name.strip(),
    )
    _end_suspension_with(person, on)
    return spell


@transaction.atomic
def membership_receipt(*, spell: MembershipSpell, on: date) -> MembershipSpell:
    """The receipt (回执) of a transfer out came back on ``on``."""
    if spell.end_reason != SpellReason.TRANSFERRED_OUT or not spell.went_to:
        raise ValidationError("只有转往系统外组织的转出才登记回执")
    if spell.end_receipt_on is not None:
        raise ValidationError(f"回执已于 {spell.end_receipt_on:%Y-%m-%d} 登记，不能改记")
    if on < spell.end:
        raise ValidationError(f"回执日期不能早于转出日期（{spell.end:%Y-%m-%d}）")
    spell.end_receipt_on = on
    spell.full_clean()
    spell.save()
    return spell


@transaction.atomic
def membership_transfer_in(
    *,
    person: Person,
    org,
    on: date,
    from_name: str,
    letter_no: str,
    document_no: str = "",
    approved_by: str = "",
) -> MembershipSpell:
    """转入 from an organization outside Tongxin, on the day the letter was received."""
    errors = {}
    if not from_name.strip():
        errors["from_name"] = "请填写转出的组织"
    if not letter_no.strip():
        errors["letter_no"] = "请填写转入介绍信编号"
    if errors:
        raise ValidationError(errors)
    return membership_start(
        person=person,
        org=org,
        on=on,
        reason=SpellReason.TRANSFERRED_IN,
        document_no=document_no,
        approved_by=approved_by,
        letter_no=letter_no.strip(),
        came_from=from_name.strip(),
    )


# What each exit asks for: an approving body, and for 除名 and 开除 a decision's number.
EXIT_REASONS = {
    SpellReason.WITHDREW: {"approved_by": True, "document_no": False},
    SpellReason.REMOVED: {"approved_by": True, "document_no": True},
    SpellReason.EXPELLED: {"approved_by": True, "document_no": True},
    SpellReason.DIED: {"approved_by": False, "document_no": False},
}


@transaction.atomic
def membership_exit(
    *,
    person: Person,
    on: date,
    reason: str,
    document_no: str = "",
    approved_by: str = "",
) -> MembershipSpell:
    """退出, 除名, 开除 or 去世 on ``on``: the spell ends, a 停止组织生活 in force ends with it,
    and a living former member's political status is no longer the party's."""
    needs = EXIT_REASONS.get(reason)
    if needs is None:
        raise ValidationError("离开的原因只能是退出、除名、开除或去世")
    label = SpellReason(reason).label
    errors = {}
    if needs["approved_by"] and not approved_by.strip():
        errors["approved_by"] = f"{label}须填写审批机关"
    if needs["document_no"] and not document_no.strip():
        errors["document_no"] = f"{label}须填写决定的文号"
    if errors:
        raise ValidationError(errors)
    spell = membership_end(
        person=person,
        on=on,
        reason=reason,
        document_no=document_no.strip(),
        approved_by=approved_by.strip(),
    )
    _end_suspension_with(person, on)
    if reason != SpellReason.DIED:
        person.political_status = _EXIT_STATUS[person.is_cross_member]
        person.save(update_fields=["political_status", "updated_at"])
    return spell


def _end_suspension_with(person: Person, on: date) -> None:
    for suspension in Suspension.objects.filter(person=person, end__isnull=True, start__lte=on):
        suspension.end = on
        suspension.end_approved_by = suspension.end_approved_by or "随成员关系结束"
        suspension.save()


@transaction.atomic
def suspension_start(
    *,
    person: Person,
    on: date,
    reason: str,
    document_no: str = "",
    approved_by: str = "",
) -> Suspension:
    """停止组织生活 from ``on``: the member stays on the roll, not in good standing."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写停止组织生活的原因"})
    _active_spell(person, on)
    current = Suspension.objects.filter(person=person).active_on(on).first()
    if current is not None:
        raise ValidationError(
            f"{person.name} 已于 {current.start:%Y-%m-%d} 起停止组织生活，尚未恢复"
        )
    later = Suspension.objects.filter(person=person, start__gt=on).first()
    if later is not None:
        raise ValidationError(
            f"{person.name} 在 {later.start:%Y-%m-%d} 另有停止组织生活的记录，日期不能早于它"
        )
    suspension = Suspension(
        person=person,
        start=on,
        reason=reason.strip(),
        document_no=document_no.strip(),
        approved_by=approved_by.strip(),
    )
    suspension.full_clean()
    suspension.save()
    return suspension


@transaction.atomic
def suspension_end(
    *, suspension: Suspension, on: date, document_no: str = "", approved_by: str = ""
) -> Suspension:
    """恢复组织生活 on ``on``."""
    if suspension.end is not None:
        raise ValidationError(f"已于 {suspension.end:%Y-%m-%d} 恢复组织生活，不能改记")
    if on < suspension.start:
        raise ValidationError(f"恢复日期不能早于停止日期（{suspension.start:%Y-%m-%d}）")
    suspension.end = on
    suspension.end_document_no = document_no.strip()
    suspension.end_approved_by = approved_by.strip()
    suspension.full_clean()
    suspension.save()
    return suspension


@transaction.atomic
def post_record(*, post: Post, rules_checked: bool = False) -> Post:
    """Save a dated post. A new post, or one whose kind, title or start changes, is first put
    to the rules for taking it (不培训不上岗, tongxin.core.extensions.post_rule_check) on its
    start date: a refusing rule refuses it, and the messages of the rules that only warn are
    left on ``post.rule_warnings`` for the page to show. ``rules_checked``: the caller has
    already put the same post to them (a recommendation's 任用 step, with its reasons)."""
    post.full_clean()
    post.rule_warnings = []
    if not rules_checked and _post_taken_anew(post):
        on = post.start or timezone.localdate()
        post.rule_warnings = post_rule_check(
            person=post.person,
            post_kind=post.kind,
            title=post.title,
            on=on,
            refused=f"不能登记{post.get_kind_display()}「{post.title}」",
        )
    post.save()
    return post


def _post_taken_anew(post: Post) -> bool:
    if post.pk is None:
        return True
    before = Post.objects.filter(pk=post.pk).values("person", "kind", "title", "start").first()
    now = {"person": post.person_id, "kind": post.kind, "title": post.title, "start": post.start}
    return before != now


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
