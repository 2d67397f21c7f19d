"""The closed set of calculators a rubric item may name (DESIGN.md: workflows are data).

A rubric item chooses a calculator by key and gives it parameters (points each, a bonus, the
levels that count …); the formulas themselves are code, here, and nothing of the database is
ever evaluated. Each calculator lists, for every branch of a round at once, the records that
earn points in the year — one line per record, with its points and the page that shows it — so
that a score is always the sum of its lines, capped by the item's maximum.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from tongxin.branchwork import selectors as branchwork
from tongxin.branchwork.models import ActivityKind
from tongxin.branchwork.points import RuleBook, branch_points
from tongxin.branchwork.selectors import Period as Dates
from tongxin.core import codes
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Honor, HonorLevel, MembershipSpell, Post

ZERO = Decimal(0)


def tenths(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def points_text(value: Decimal) -> str:
    """10.0 -> "10", 2.5 -> "2.5"."""
    return f"{Decimal(value).normalize():f}"


@dataclass(frozen=True)
class Line:
    """One record behind a score. ``points`` is None for a record that is counted but not
    valued on its own (a share of members, say)."""

    label: str
    points: Decimal | None = None
    url: str = ""

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "points": None if self.points is None else str(self.points),
            "url": self.url,
        }


@dataclass(frozen=True)
class Result:
    points: Decimal
    lines: tuple[Line, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: str  # "points", "count", "percent" or "choices"
    default: object
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def aware(self) -> tuple[datetime, datetime]:
        """The period as moments: from its first day's midnight to its last day's end."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.max, tzinfo=tz),
        )


@dataclass(frozen=True)
class Calculator:
    key: str
    label: str
    description: str
    lines: Callable[..., dict[int, list[Line]]]
    params: tuple[Param, ...] = ()
    # Counts below the parameter ``minimum`` score nothing (“不达标不得分”).
    has_minimum: bool = False
    # A calculator that sets the points itself (a share, say) instead of summing its lines.
    total: Callable[..., dict[int, Result]] | None = None

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


# --- mapping records to branches -------------------------------------------------------------


class Branches:
    """The nodes a round scores (支部, 总支, 基层委员会), found by the path of any node under
    them. Scored nodes may nest (a 总支 and its 支部): a record belongs to the nearest one above
    it, so that nothing counts twice."""

    def __init__(self, branches: Iterable[Organization]):
        self.by_path = {b.path: b for b in branches}
        self.lengths = sorted({len(p) for p in self.by_path}, reverse=True)

    def scope(self) -> Scope:
        """The branches' subtrees as a scope, for the selectors of other apps."""
        return Scope.of(self.by_path)

    def root(self) -> Organization | None:
        """The lowest node whose subtree holds every branch."""
        if not self.by_path:
            return None
        common = os.path.commonprefix(list(self.by_path))
        step = Organization.steplen
        return Organization.objects.filter(path=common[: len(common) // step * step]).first()

    def of(self, path: str) -> Organization | None:
        for length in self.lengths:
            branch = self.by_path.get(path[:length])
            if branch is not None:
                return branch
        return None

    def q(self, field: str) -> Q:
        q = Q(pk__in=[])
        for path in self.by_path:
            q |= subtree_q(path, field)
        return q

    def empty(self) -> dict[int, list[Line]]:
        return {b.pk: [] for b in self.by_path.values()}


def _person_url(pk: int) -> str:
    return reverse("people:detail", args=[pk])


def _points(params: dict, name: str) -> Decimal:
    return Decimal(str(params.get(name, 0)))


# --- new members -----------------------------------------------------------------------------

# 副处级及以上 (GB/T 12407: 131 正处, 132 副处 and every higher rank).
SENIOR_RANKS = ("101", "102", "111", "112", "121", "122", "131", "132")


def _new_members(*, branches: Branches, period: Period, params: dict) -> dict[int, list[Line]]:
    per, bonus = _points(params, "per"), _points(params, "bonus")
    spells = list(
        MembershipSpell.objects.filter(
            branches.q("org__path"),
            start_reason=codes.SpellReason.ADMITTED,
            start__gte=period.start,
            start__lte=period.end,
        )
        .select_related("person", "org")
        .order_by("start", "pk")
    )
    senior_posts = set(
        Post.objects.filter(
            person_id__in=[s.person_id for s in spells],
            kind=codes.PostKind.GOVERNMENT,
            rank__in=SENIOR_RANKS,
        ).values_list("person_id", "start", "end")
    )
    result = branches.empty()
    for spell in spells:
        person = spell.person
        reasons = []
        if person.title_level in (codes.TitleLevel.SENIOR, codes.TitleLevel.ASSOCIATE_SENIOR):
            reasons.append(f"{person.get_title_level_display()}职称")
        if person.degree in (codes.Degree.DOCTOR, codes.Degree.HONORARY_DOCTOR):
            reasons.append("博士学位")
        if any(
            pid == person.pk
            and (start is None or start <= spell.start)
            and (end is None or end > spell.start)
            for pid, start, end in senior_posts
        ):
            reasons.append("副处级以上职务")
        points = per + (bonus if reasons else ZERO)
        label = f"{person.name} {spell.start:%Y-%m-%d} 入会"
        if reasons:
            label += f"（{'、'.join(reasons)}，加{points_text(bonus)}分）"
        result[branches.of(spell.org.path).pk].append(Line(label, points, _person_url(person.pk)))
    return result


# --- honours ---------------------------------------------------------------------------------


def _honours(*, branches: Branches, period: Period, params: dict) -> dict[int, list[Line]]:
    per = _points(params, "per")
    levels = params.get("levels") or []
    spell_then = MembershipSpell.objects.filter(
        branches.q("org__path"), person=OuterRef("person")
    ).active_on(OuterRef("conferred_on"))
    honours = (
        Honor.objects.filter(
            conferred_on__gte=period.start, conferred_on__lte=period.end, level__in=levels
        )
        .filter(Exists(spell_then))
        .annotate(org_path=Subquery(spell_then.values("org__path")[:1]))
        .select_related("person")
        .order_by("conferred_on", "pk")
    )
    result = branches.empty()
    for honour in honours:
        label = (
            f"{honour.person.name} {honour.conferred_on:%Y-%m-%d} 获{honour.get_level_display()}"
            f"「{honour.title}」（{honour.conferred_by}）"
        )
        result[branches.of(honour.org_path).pk].append(
            Line(label, per, _person_url(honour.person_id))
        )
    return result


# --- timely data updates ---------------------------------------------------------------------


def _updated_members(
    branches: Branches, period: Period
) -> dict[int, list[tuple[int, str, datetime]]]:
    """For each branch, its members at the end of the period with the moment their record (the
    person or a membership spell) was last changed in the period, from the audit log."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from tongxin.people.models import Person

    members = list(
        MembershipSpell.objects.filter(branches.q("org__path"))
        .active_on(period.end)
        .values_list("person_id", "person__name", "org__path")
        .order_by("person__name_pinyin", "person_id")
    )
    ids = [pid for pid, _, _ in members]
    spell_person = dict(
        MembershipSpell.objects.filter(person_id__in=ids).values_list("pk", "person_id")
    )
    start, end = period.aware()
    entries = LogEntry.objects.filter(timestamp__gte=start, timestamp__lte=end)
    last: dict[int, datetime] = {}
    for object_id, at in entries.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id__in=ids
    ).values_list("object_id", "timestamp"):
        last[object_id] = max(at, last.get(object_id, at))
    for object_id, at in entries.filter(
        content_type=ContentType.objects.get_for_model(MembershipSpell),
        object_id__in=list(spell_person),
    ).values_list("object_id", "timestamp"):
        pid = spell_person[object_id]
        last[pid] = max(at, last.get(pid, at))
    found: dict[int, list] = {b.pk: [] for b in branches.by_path.values()}
    for pid, name, path in members:
        found[branches.of(path).pk].append((pid, name, last.get(pid)))
    return found


def _data_update_line(pid: int, name: str, at: datetime | None) -> Line:
    if at is None:
        return Line(f"{name} 本年度无资料更新记录", None, _person_url(pid))
    return Line(f"{name} 资料更新于 {timezone.localtime(at):%Y-%m-%d}", None, _person_url(pid))


def _data_update_lines(*, branches, period, params):
    return {
        org: [_data_update_line(*member) for member in members]
        for org, members in _updated_members(branches, period).items()
    }


def _data_update_totals(*, branches, period, params) -> dict[int, Result]:
    full, wanted = _points(params, "points"), _points(params, "min_share")
    results = {}
    for org, members in _updated_members(branches, period).items():
        total = len(members)
        updated = sum(1 for _, _, at in members if at is not None)
        share = Decimal(updated * 100) / total if total else ZERO
        points = full if wanted <= 0 else min(full, full * share / wanted)
        note = (
            f"年末在册 {total} 人，本年度有资料更新记录 {updated} 人"
            f"（{tenths(share)}%，达到 {points_text(wanted)}% 得满分）"
        )
        lines = tuple(_data_update_line(*member) for member in members)
        results[org] = Result(tenths(points), lines, note)
    return results


# --- branch work: activities and contributions (tongxin.branchwork) ---------------------------


def _activities(*, branches: Branches, period: Period, params: dict) -> dict[int, list[Line]]:
    per, kinds = _points(params, "per"), params.get("kinds") or []
    result = branches.empty()
    root = branches.root()
    if root is None:
        return result
    found = branchwork.activities(
        scope=branches.scope(), org=root, period=Dates(period.start, period.end)
    ).filter(kind__in=kinds)
    for activity in found.order_by("date", "pk"):
        branch = branches.of(activity.org.path)
        if branch is not None:
            label = f"{activity.date:%Y-%m-%d} {activity.get_kind_display()}「{activity.title}」"
            url = reverse("branchwork:activity_detail", args=[activity.pk])
            result[branch.pk].append(Line(label, per, url))
    return result


def _contribution_points(*, branches: Branches, period: Period, params: dict):
    """The branch's points by the reward rules (奖励办法) of branch work, with what earned
    them: each submission and each rung of the adoption ladder reached in the year."""
    book = RuleBook()
    result = branches.empty()
    scope = branches.scope()
    earned = {
        branch.pk: branch_points(scope=scope, org=branch, year=period.start.year, book=book).rows
        for branch in branches.by_path.values()
    }
    # A 总支's points take in its 支部's contributions: each goes to the deepest node claiming it.
    depth = {b.pk: len(b.path) for b in branches.by_path.values()}
    owner: dict[int, int] = {}
    for pk, rows in earned.items():
        for row in rows:
            c = row.contribution.pk
            if c not in owner or depth[pk] > depth[owner[c]]:
                owner[c] = pk
    for branch in branches.by_path.values():
        mine = [r for r in earned[branch.pk] if owner[r.contribution.pk] == branch.pk]
        for row in sorted(mine, key=lambda r: (r.on, r.contribution.pk, r.rung)):
            c = row.contribution
            label = f"{row.on:%Y-%m-%d} {c.get_kind_display()}「{c.title}」{row.label}"
            url = reverse("branchwork:contribution_detail", args=[c.pk])
            result[branch.pk].append(Line(label, Decimal(row.points), url))
    return result


# --- the set ---------------------------------------------------------------------------------


CALCULATORS: dict[str, Calculator] = {
    c.key: c
    for c in (
        Calculator(
            key="new_members",
            label="发展新成员",
            description="年度内入会的成员每人计分；具有高级职称、博士学位或副处级以上职务的另加分",
            lines=_new_members,
            params=(
                Param("per", "每人分值", "points", 4),
                Param("bonus", "加分", "points", 2),
            ),
        ),
        Calculator(
            key="honours",
            label="成员获表彰",
            description="年度内成员（获表彰时在册）获所选级别表彰的，每项计分",
            lines=_honours,
            params=(
                Param("per", "每项分值", "points", 5),
                Param(
                    "levels",
                    "计分级别",
                    "choices",
                    [HonorLevel.NATIONAL, HonorLevel.PROVINCIAL, HonorLevel.CITY],
                    HonorLevel.choices,
                ),
            ),
        ),
        Calculator(
            key="activities",
            label="支部活动",
            description="年度内开展的所选类型的支部活动，每次计分；少于最低次数不得分",
            lines=_activities,
            params=(
                Param("per", "每次分值", "points", 5),
                Param("minimum", "最低次数", "count", 0),
                Param("kinds", "活动类型", "choices", ["study", "theme"], ActivityKind.choices),
            ),
            has_minimum=True,
        ),
        Calculator(
            key="contribution_points",
            label="参政议政成果",
            description="按参政议政奖励办法计算的支部年度积分（提交及逐级采用、批示累加）",
            lines=_contribution_points,
        ),
        Calculator(
            key="data_updates",
            label="成员资料及时更新",
            description="年末在册成员中，本年度资料（个人信息或成员关系）有更新记录的比例"
            "达到标准得满分，不足按比例计分；以审计日志为准",
            lines=_data_update_lines,
            total=_data_update_totals,
            params=(
                Param("points", "满分", "points", 3),
                Param("min_share", "达标比例（%）", "percent", 80),
            ),
        ),
    )
}


# --- parameters ------------------------------------------------------------------------------


def check_params(calculator: Calculator, params: dict) -> list[str]:
    """What is wrong with ``params`` for ``calculator``, in Chinese."""
    errors = []
    known = {p.name for p in calculator.params}
    for name in params:
        if name not in known:
            errors.append(f"“{calculator.label}”没有参数“{name}”")
    for param in calculator.params:
        value = params.get(param.name)
        if value is None:
            errors.append(f"缺少参数“{param.label}”")
        elif param.kind == "choices":
            allowed = {v for v, _ in param.choices}
            if not isinstance(value, list) or not value or not set(value) <= allowed:
                labels = "、".join(label for _, label in param.choices)
                errors.append(f"“{param.label}”须从 {labels} 中选择至少一项")
        else:
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                errors.append(f"“{param.label}”须为数字，现为“{value}”")
                continue
            if number < 0:
                errors.append(f"“{param.label}”不能为负数")
            elif param.kind == "count" and number != number.to_integral_value():
                errors.append(f"“{param.label}”须为整数")
            elif param.kind == "percent" and number > 100:
                errors.append(f"“{param.label}”不能超过 100")
    return errors


def check_item(item) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if item.calculator:
        calculator = CALCULATORS.get(item.calculator)
        if calculator is None:
            errors["calculator"] = [f"没有名为“{item.calculator}”的计分方式"]
        else:
            problems = check_params(calculator, item.params or {})
            if problems:
                errors["params"] = problems
    elif item.max_points is None:
        errors["max_points"] = ["人工评分的项目须规定最高分"]
    if item.max_points is not None and item.max_points < 0:
        errors["max_points"] = ["最高分不能为负数"]
    return errors


def params_text(calculator: Calculator, params: dict) -> str:
    """Parameters as the rubric form shows them: one "名称=值" a line."""
    lines = []
    for param in calculator.params:
        value = params.get(param.name, param.default)
        if param.kind == "choices":
            labels = dict(param.choices)
            value = "、".join(labels.get(v, v) for v in value)
        lines.append(f"{param.label}={value}")
    return "\n".join(lines)


def parse_params(calculator: Calculator, text: str) -> tuple[dict, list[str]]:
    """Parameters from "名称=值" lines (a missing one takes its default), with the errors."""
    by_label = {p.label: p for p in calculator.params} | {p.name: p for p in calculator.params}
    params = calculator.defaults()
    errors = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.replace("＝", "=").partition("=")
        param = by_label.get(name.strip())
        if not sep or param is None:
            names = "、".join(p.label for p in calculator.params)
            errors.append(f"第{line_no}行：“{line.strip()}”应写成“名称=值”，名称为 {names} 之一")
            continue
        value = value.strip()
        if param.kind == "choices":
            by_text = {label: v for v, label in param.choices} | {v: v for v, _ in param.choices}
            chosen = [t for t in value.replace("，", "、").replace(",", "、").split("、") if t]
            unknown = [t for t in chosen if t not in by_text]
            if unknown:
                errors.append(f"第{line_no}行：“{'、'.join(unknown)}”不是{param.label}的可选值")
                continue
            params[param.name] = [by_text[t] for t in chosen]
        else:
            params[param.name] = value
    if not errors:
        errors = check_params(calculator, params)
    if not errors:
        for param in calculator.params:
            if param.kind != "choices":
                number = Decimal(str(params[param.name]))
                params[param.name] = int(number) if number == int(number) else float(number)
    return params, errors


# --- evaluating an item ----------------------------------------------------------------------


def evaluate(item, branches: Iterable[Organization], period: Period) -> dict[int, Result]:
    """The item's result for each branch: its lines summed (or the calculator's own total),
    nothing below the minimum count, at most the item's maximum."""
    calculator = CALCULATORS[item.calculator]
    params = calculator.defaults() | (item.params or {})
    found = Branches(branches)
    if calculator.total is not None:
        results = calculator.total(branches=found, period=period, params=params)
    else:
        results = {
            org: Result(sum((line.points or ZERO for line in lines), ZERO), tuple(lines))
            for org, lines in calculator.lines(branches=found, period=period, params=params).items()
        }
    minimum = int(params.get("minimum", 0) or 0) if calculator.has_minimum else 0
    capped = {}
    for org, result in results.items():
        points, notes = result.points, [result.note] if result.note else []
        if minimum and len(result.lines) < minimum:
            points = ZERO
            notes.append(f"少于最低要求 {minimum} 项，本项不得分")
        if item.max_points is not None and points > item.max_points:
            points = item.max_points
            notes.append(f"封顶 {points_text(item.max_points)} 分")
        capped[org] = Result(tenths(points), result.lines, "；".join(notes))
    return capped
