"""Posts taken up in a period (新任 · 提拔 · 增选, GLOSSARY.md), whatever way they came.

A government post (实职) or a political seat (政治安排) counts from the day it started, whether a
recommendation made it, staff entered it on the person file, or a roster import wrote it: the
post is the record, so one selector reads them all.

- 新任 (``appointed``): every such post that started in the period;
- 提拔 (``promoted``): a government post of a higher rank than the person's previous government
  post (GB/T 12407: a lower code is a higher rank);
- 增选 (``co_opted``): a political seat started after the body's term had begun, that is later
  than the first seat of the same body, level, term and unit on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from tongxin.core.codes import PostKind

from .models import Post

TAKEN_UP_KINDS = (PostKind.GOVERNMENT.value, PostKind.POLITICAL.value)


class Change(models.TextChoices):
    APPOINTED = "appointed", "新任"
    PROMOTED = "promoted", "提拔"
    CO_OPTED = "co_opted", "增选"


def _previous_rank():
    earlier = Post.objects.filter(
        person_id=OuterRef("person_id"),
        kind=PostKind.GOVERNMENT,
        start__lt=OuterRef("start"),
    ).exclude(rank="")
    return Subquery(earlier.order_by("-start", "-pk").values("rank")[:1])


def _earlier_seat():
    return Exists(
        Post.objects.filter(
            kind=PostKind.POLITICAL,
            body=OuterRef("body"),
            level=OuterRef("level"),
            term=OuterRef("term"),
            unit=OuterRef("unit"),
            start__lt=OuterRef("start"),
        )
    )


def change_q(change: str) -> Q:
    """The posts (annotated by ``with_change``) of one kind of change; 新任 is every one."""
    if change in ("", Change.APPOINTED):
        return Q()
    return Q(change=change)


def with_change(posts: QuerySet[Post]) -> QuerySet[Post]:
    """``posts`` annotated with ``change``: promoted, co_opted, or appointed for the rest."""
    return posts.annotate(
        previous_rank=_previous_rank(),
        change=Case(
            When(
                Q(kind=PostKind.GOVERNMENT, previous_rank__gt=F("rank")),
                then=Value(Change.PROMOTED.value),
            ),
            When(
                Q(kind=PostKind.POLITICAL) & ~Q(term="") & Q(_earlier_seat()),
                then=Value(Change.CO_OPTED.value),
            ),
            default=Value(Change.APPOINTED.value),
            output_field=models.CharField(),
        ),
    )


@dataclass(frozen=True)
class TakeUpFilter:
    start: date
    end: date
    kind: str = ""  # government or political; both when empty
    ranks: tuple[str, ...] = ()  # GB/T 12407 codes
    change: str = ""  # a Change value; appointed (新任) counts every post taken up


def taken_up(*, people: QuerySet, filters: TakeUpFilter) -> QuerySet[Post]:
    """The government posts and political seats of ``people`` (a queryset of Person, already
    read through the user's scope) that started in ``[filters.start, filters.end]``."""
    kinds = [filters.kind] if filters.kind else list(TAKEN_UP_KINDS)
    posts = Post.objects.filter(
        kind__in=kinds,
        start__gte=filters.start,
        start__lte=filters.end,
        person__in=people.values("pk"),
    )
    if filters.ranks:
        posts = posts.filter(rank__in=list(filters.ranks))
    posts = with_change(posts)
    if filters.change:
        posts = posts.filter(change_q(filters.change))
    return posts.order_by("-start", "pk")
