"""Writes over the organization tree: each one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tongxin.core.dated import not_ended_q
from tongxin.core.scope import subtree_q

from .models import Organization


def _check_parent(parent: Organization | None, on: date | None = None) -> None:
    if parent is not None and parent.dissolved is not None:
        raise ValidationError(f"上级组织「{parent}」已撤销，不能在其下设立组织")


@transaction.atomic
def org_create(*, parent: Organization | None, org: Organization, categories=()) -> Organization:
    _check_parent(parent)
    org.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        node = Organization.objects.add_root(instance=org)
    else:
        node = Organization.objects.add_child(parent, instance=org)
    if categories:
        node.categories.set(categories)
    return node


@transaction.atomic
def org_update(*, org: Organization, categories=None) -> Organization:
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    if categories is not None:
        org.categories.set(categories)
    return org


@transaction.atomic
def org_move(*, org: Organization, new_parent: Organization) -> Organization:
    """Put ``org`` and its subtree under ``new_parent``; spells follow by foreign key."""
    if new_parent.path.startswith(org.path):
        raise ValidationError("不能把组织移到它自己或它的下级组织之下")
    if org.depth > 1 and Organization.objects.get_parent(org).pk == new_parent.pk:
        raise ValidationError(f"「{org}」已在「{new_parent}」之下")
    _check_parent(new_parent)
    Organization.objects.move(org, new_parent, pos="last-child")
    return Organization.objects.get(pk=org.pk)


@transaction.atomic
def org_dissolve(*, org: Organization, on: date) -> Organization:
    """Dissolve ``org`` on ``on``; it keeps its history but leaves the current lists."""
    if org.dissolved:
        raise ValidationError(f"「{org}」已于 {org.dissolved:%Y-%m-%d} 撤销")
    if org.established and on < org.established:
        raise ValidationError("撤销日期不能早于成立日期")
    live_children = (
        Organization.objects.filter(subtree_q(org.path), depth__gt=org.depth)
        .filter(dissolved__isnull=True)
        .count()
    )
    if live_children:
        raise ValidationError(f"「{org}」还有 {live_children} 个未撤销的下级组织，请先撤销或移走")
    remaining = org.spells.filter(not_ended_q("", on)).count()
    if remaining:
        raise ValidationError(
            f"「{org}」在 {on:%Y-%m-%d} 之后仍有 {remaining} 名在册成员，请先办理转出"
        )
    org.dissolved = on
    org.save(update_fields=["dissolved"])
    return org
