"""Who is listed and who is counted: the conditions behind the roster's filters.

The roster lists ``population(...).filter(person_q(...))`` for the parameters in its URL. The
statistics (tongxin.stats) count the very same expression with the parameters of each figure's
drill-down link, so that a figure and the list it opens cannot disagree (STATS.md).

Definitions (STATS.md): a member at D has a spell in the subtree with start <= D < end; a flow
of the period is a spell of the subtree starting or ending in it, by reason, a move between two
organizations of the subtree excepted; posts and political arrangements count when in force on
D; the other attributes are the person's current values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tongxin.core import codes, tally
from tongxin.core.dates import AGE_BANDS, birth_date_bounds
from tongxin.core.figures import default_period_start
from tongxin.core.scope import Scope, subtree_q

from .models import MembershipSpell, Person, Post, PostQuerySet

# Spell reasons that make a flow, in the order of STATS.md.
FLOW_REASONS = (*codes.START_REASONS, *codes.END_REASONS)
# 少数民族: the 55 minority nationalities of GB/T 3304 (02–56); 其他 and 外国血统 are not counted.
MINORITY_CODES = tuple(v for v in codes.Ethnicity.values if "02" <= v <= "56")
# The bodies a political-arrangement figure counts (特约人员 is no seat).
ARRANGEMENT_BODIES = (
    codes.PoliticalBody.NPC_DEPUTY,
    codes.PoliticalBody.NPC_STANDING,
    codes.PoliticalBody.CPPCC_MEMBER,
    codes.PoliticalBody.CPPCC_STANDING,
)


# --- populations -----------------------------------------------------------------------------


def subtree_spells(*, scope: Scope, path: str) -> QuerySet[MembershipSpell]:
    return MembershipSpell.objects.filter(scope.q("org__path"), subtree_q(path, "org__path"))


def member_spells(*, scope: Scope, path: str, on) -> QuerySet[MembershipSpell]:
    """The spells that make their people members of the subtree at ``path`` on ``on``: the one
    definition of "members on a date". ``on`` may be an expression (``OuterRef("decided_on")``)
    to ask it of each row of an outer query."""
    return subtree_spells(scope=scope, path=path).active_on(on)


def flow_q(*, inside: QuerySet[MembershipSpell], reason: str, start: date, end: date) -> Q:
    """Spells that start (admitted, transferred_in) or end (the other reasons) for ``reason`` in
    ``[start, end]``. ``inside`` are the subtree's spells: a move between two organizations of
    the subtree ends one of them and starts the next on the same day, and is no flow of the
    subtree."""
    if reason not in FLOW_REASONS:
        raise ValueError(f"unknown flow {reason!r}")
    if reason in codes.START_REASONS:
        q = Q(start_reason=reason, start__gte=start, start__lte=end)
        if reason == codes.SpellReason.TRANSFERRED_IN:
            q &= ~Exists(inside.filter(person_id=OuterRef("person_id"), end=OuterRef("start")))
        return q
    q = Q(end_reason=reason, end__gte=start, end__lte=end)
    if reason == codes.SpellReason.TRANSFERRED_OUT:
        q &= ~Exists(inside.filter(person_id=OuterRef("person_id"), start=OuterRef("end")))
    return q


def flow_spells(
    *, scope: Scope, path: str, reason: str, start: date, end: date
) -> QuerySet[MembershipSpell]:
    """The spells of the subtree at ``path`` that make a flow of ``reason`` in the period."""
    inside = subtree_spells(scope=scope, path=path)
    return inside.filter(flow_q(inside=inside, reason=reason, start=start, end=end))


def population(
    *, scope: Scope, path: str, on: date, flow: str = "", period_start: date | None = None
) -> QuerySet[Person]:
    """Members of the subtree at ``path`` on ``on`` (each person once); with ``flow`` (a
    reason of FLOW_REASONS), the people of that flow in ``[period_start, on]`` instead (the
    period starts on 1 January of ``on``'s year unless told)."""
    if flow:
        start = period_start or default_period_start(on)
        spells = flow_spells(scope=scope, path=path, reason=flow, start=start, end=on)
    else:
        spells = member_spells(scope=scope, path=path, on=on)
    # Driving from the spells keeps the cost proportional to the subtree, not the table.
    return Person.objects.filter(pk__in=spells.values("person_id"))


def everyone_count() -> int:
    """How many people the table holds, through the figure store (the roster's cost model)."""
    return tally.aggregate(Person.objects.all(), n=Count("pk"))["n"]


# --- conditions on a person ------------------------------------------------------------------


@cache  # the code tables are constants; a report asks for each group several times
def _codes_in_group(choices, group_of, group: str) -> tuple[str, ...]:
    return tuple(value for value in choices.values if group_of(value) == group)


def _flag(value: str, q: Q) -> Q:
    return q if value == "1" else ~q


# The ranks of the rank groups by their names (县处级正职 → 131): the report splits each group.
RANK_BY_NAME = {
    codes.AdminRank(rank).label: rank for ranks in codes.RANK_GROUPS.values() for rank in ranks
}


def posts_in_force(on: date, kind: str) -> QuerySet[Post]:
    return Post.objects.active_on(on).filter(kind=kind)


def post_q(
    *,
    rank_group: str = "",
    rank: str = "",
    political_body: str = "",
    political_level: str = "",
    prefix: str = "",
) -> Q:
    """The posts a rank group or a political arrangement counts (of the kind ``post_kind``);
    ``prefix`` reaches them through a relation (``posts__``)."""
    q = Q()
    if rank_group:
        q &= Q(**{f"{prefix}rank__in": codes.RANK_GROUPS[rank_group]})
    if rank:
        # A GB/T 12407 name (县处级正职) or code (131): 正职 and 副职 apart.
        q &= Q(**{f"{prefix}rank": RANK_BY_NAME.get(rank, rank)})
    if political_body:
        q &= Q(**{f"{prefix}body": political_body})
    if political_level:
        q &= Q(**{f"{prefix}level": political_level})
    return q


def held_q(on: date, kind: str, prefix: str = "posts__") -> Q:
    """Posts of ``kind`` in force on ``on``, reached from a person through ``prefix``."""
    return Q(**{f"{prefix}kind": kind}) & PostQuerySet.in_force_q(prefix, on)


def post_kind(params: dict) -> str:
    """The kind of post the filters ``params`` of post_q ask about."""
    if params.get("rank_group") or params.get("rank"):
        return codes.PostKind.GOVERNMENT
    return codes.PostKind.POLITICAL


def holders_q(on: date, kind: str, q: Q) -> Q:
    """People holding, on ``on``, a post of ``kind`` that meets ``q``. Asked of each person
    (a correlated EXISTS on the posts' person index): a city's members cost a city's posts,
    where a list of every holder in the country would cost the country's."""
    held = posts_in_force(on, kind).filter(q, person_id=OuterRef("pk"))
    return Q(Exists(held))


def rank_holders_q(on: date, ranks) -> Q:
    """People holding, on ``on``, a government post (实职) of one of ``ranks``."""
    return holders_q(on, codes.PostKind.GOVERNMENT, Q(rank__in=list(ranks)))


def age_band_q(label: str, on: date) -> Q:
    for band, youngest, oldest in AGE_BANDS:
        if band == label:
            earliest, latest = birth_date_bounds(on, youngest, oldest)
            q = Q(birth_date__isnull=False)
            if earliest:
                q &= Q(birth_date__gte=earliest)
            if latest:
                q &= Q(birth_date__lte=latest)
            return q
    raise ValueError(f"unknown age band {label!r}")


def title_level_q(group: str) -> Q:
    if group == "无":
        return Q(title_level="")
    return Q(title_level__in=_codes_in_group(codes.TitleLevel, codes.title_level_group, group))


# --- 中上层人士 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpperMiddleRule:
    """Who is 中上层人士 when the person's own field is empty: a title level, an
    administrative rank held on the date (a government post in force), or a degree, at or above
    the deployment's thresholds. An empty threshold does not apply."""

    title_levels: tuple[str, ...]
    ranks: tuple[str, ...]
    degrees: tuple[str, ...]

    def describe(self) -> str:
        parts = []
        if self.title_levels:
            parts.append(f"{settings.TONGXIN_UPPER_MIDDLE_TITLE_LEVEL}及以上职称")
        if self.ranks:
            parts.append(f"{settings.TONGXIN_UPPER_MIDDLE_RANK}及以上行政级别（实职在任）")
        if self.degrees:
            parts.append(f"{settings.TONGXIN_UPPER_MIDDLE_DEGREE}及以上学位")
        return "、或".join(parts) or "（未设定推定规则：只计本人登记为中上层人士者）"


# Levels from the highest: a threshold takes its own level and every one above it.
_TITLE_THRESHOLDS = {"正高级": ("1",), "副高级": ("1", "2"), "中级": ("1", "2", "3")}
_TITLE_THRESHOLDS["初级"] = ("1", "2", "3", "4", "5")
_DEGREE_THRESHOLDS = {"博士": ("1", "2"), "硕士": ("1", "2", "3"), "学士": ("1", "2", "3", "4")}
# Ranks from 国家级 (101) down to the group's deputy rank.
_RANK_ORDER = ("101", "102", *(r for group in codes.RANK_GROUPS.values() for r in group))
_RANK_THRESHOLDS = {
    group: _RANK_ORDER[: _RANK_ORDER.index(ranks[-1]) + 1]
    for group, ranks in codes.RANK_GROUPS.items()
}


def _threshold(setting: str, table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    value = str(getattr(settings, setting, "") or "").strip()
    if value in ("", "无"):
        return ()
    if value not in table:
        raise ImproperlyConfigured(
            f"{setting} 的值「{value}」无效，应为 {'、'.join(table)} 之一，或留空表示不按此项推定"
        )
    return table[value]


def upper_middle_rule() -> UpperMiddleRule:
    """The deployment's rule, read from the settings each time (they are never read at import).
    A bad setting raises ImproperlyConfigured with the setting's name (``manage.py check``
    reports it too)."""
    return UpperMiddleRule(
        title_levels=_threshold("TONGXIN_UPPER_MIDDLE_TITLE_LEVEL", _TITLE_THRESHOLDS),
        ranks=_threshold("TONGXIN_UPPER_MIDDLE_RANK", _RANK_THRESHOLDS),
        degrees=_threshold("TONGXIN_UPPER_MIDDLE_DEGREE", _DEGREE_THRESHOLDS),
    )


def upper_middle_q(on: date, rule: UpperMiddleRule | None = None) -> Q:
    """中上层人士 on ``on``: as set on the person, else by the deployment's rule."""
    rule = rule or upper_middle_rule()
    derived = Q(pk__in=[])
    if rule.title_levels:
        derived |= Q(title_level__in=rule.title_levels)
    if rule.degrees:
        derived |= Q(degree__in=rule.degrees)
    if rule.ranks:
        derived |= rank_holders_q(on, rule.ranks)
    return Q(upper_middle=True) | Q(upper_middle__isnull=True) & derived


# --- the filters, by their names in the roster's URL -----------------------------------------

# name -> Q for a non-empty value on date ``on``.
PERSON_FILTERS = {
    "gender": lambda value, on: Q(gender=value),
    "minority": lambda value, on: _flag(value, Q(ethnicity__in=MINORITY_CODES)),
    "age_band": lambda value, on: age_band_q(value, on),
    "education": lambda value, on: Q(
        education__in=_codes_in_group(codes.Education, codes.education_group, value)
    ),
    "degree": lambda value, on: Q(
        degree__in=_codes_in_group(codes.Degree, codes.degree_group, value)
    ),
    "title_level": lambda value, on: title_level_q(value),
    "rank_group": lambda value, on: holders_q(
        on, codes.PostKind.GOVERNMENT, post_q(rank_group=value)
    ),
    "rank": lambda value, on: holders_q(on, codes.PostKind.GOVERNMENT, post_q(rank=value)),
    "sector": lambda value, on: Q(sector=value),
    "retired": lambda value, on: _flag(value, Q(is_retired=True)),
    "cross_member": lambda value, on: _flag(value, Q(is_cross_member=True)),
    "upper_middle": lambda value, on: _flag(value, upper_middle_q(on)),
}


def person_q(*, on: date, political_body: str = "", political_level: str = "", **params) -> Q:
    """The conditions of the roster filters ``params`` (names of PERSON_FILTERS, empty values
    ignored) and of a political arrangement of ``political_body`` and/or ``political_level``,
    all on date ``on``."""
    q = Q()
    for name, value in params.items():
        if value not in ("", None):
            q &= PERSON_FILTERS[name](str(value), on)
    if political_body or political_level:
        arrangement = post_q(political_body=political_body, political_level=political_level)
        q &= holders_q(on, codes.PostKind.POLITICAL, arrangement)
    return q
