"""Checking a step against its procedure: the order of the steps, then the rule rows.

Each ``RuleKind`` has one check here that reads the rule's parameters (its number, its earlier
step, its list of values) and returns what is wrong, in Chinese, or None. Which rules apply, to
which step, blocking or as a warning, is data (``Rule`` rows an administrator edits).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from tongxin.core.codes import EDUCATION_GROUPS, Sector, TitleLevel, education_group
from tongxin.core.dates import age_on, years_before
from tongxin.people import standing
from tongxin.people.models import Person

from .models import Rule, RuleKind, Step, StepKind, StepRecord

ORDER_RULE = "办理顺序"
INTRODUCER_RULE = "介绍人资格"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the 31st of a shorter month falls back to its last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass
class Attempt:
    """A step about to be recorded: the candidate, the steps done so far and what was entered."""

    person: Person
    step: Step
    on: date
    done: dict[int, StepRecord] = field(default_factory=dict)
    expected: int | None = None
    present: int | None = None
    votes_for: int | None = None
    introducers: list[Person] = field(default_factory=list)


@dataclass(frozen=True)
class Violation:
    rule: Rule | None
    rule_name: str
    message: str
    blocking: bool

    def __str__(self) -> str:
        return f"不符合规则「{self.rule_name}」：{self.message}"


def _interval(rule: Rule, a: Attempt) -> str | None:
    since = a.done.get(rule.since_step_id)
    if since is None:
        return None
    months = int(rule.number)
    earliest = add_months(since.on, months)
    if a.on < earliest:
        return (
            f"「{rule.since_step.name}」{since.on:%Y-%m-%d} 至「{a.step.name}」{a.on:%Y-%m-%d}"
            f"不足 {months} 个月，最早可于 {earliest:%Y-%m-%d} 办理"
        )
    return None


def _deadline(rule: Rule, a: Attempt) -> str | None:
    since = a.done.get(rule.since_step_id)
    if since is None:
        return None
    months = int(rule.number)
    latest = add_months(since.on, months)
    if a.on > latest:
        return (
            f"应在「{rule.since_step.name}」（{since.on:%Y-%m-%d}）后 {months} 个月内、"
            f"即 {latest:%Y-%m-%d} 前办理，现为 {a.on:%Y-%m-%d}"
        )
    return None


def _introducer_count(rule: Rule, a: Attempt) -> str | None:
    wanted = int(rule.number)
    if len(a.introducers) < wanted:
        return f"须有 {wanted} 名介绍人，现有 {len(a.introducers)} 名"
    return None


def _introducer_seniority(rule: Rule, a: Attempt) -> str | None:
    years = int(rule.number)
    problems = []
    for person in a.introducers:
        since = standing.member_since(person=person, on=a.on)
        if since is None:
            problems.append(f"{person.name} 在 {a.on:%Y-%m-%d} 不是在册成员")
        elif standing.suspension_on(person=person, on=a.on) is not None:
            problems.append(f"{person.name} 正在停止组织生活")
        elif since > years_before(a.on, years):
            problems.append(f"{person.name} 自 {since:%Y-%m-%d} 起在册，不满 {years} 年")
    return "；".join(problems) or None


def _share(part: int | None, whole: int | None, rule: Rule, part_name: str, whole_name: str):
    if part is None or whole is None:
        return f"未填写{part_name}或{whole_name}"
    needed = rule.number * whole / 100
    ok = part > needed if rule.strictly_more else part >= needed
    if not ok:
        word = "超过" if rule.strictly_more else "达到"
        return (
            f"{part_name} {part}，{whole_name} {whole}：须{word}{whole_name}的 "
            f"{_number(rule.number)}%"
        )
    return None


def _quorum(rule: Rule, a: Attempt) -> str | None:
    return _share(a.present, a.expected, rule, "实到人数", "应到人数")


def _votes_of_present(rule: Rule, a: Attempt) -> str | None:
    return _share(a.votes_for, a.present, rule, "赞成票", "实到人数")


def _votes_of_expected(rule: Rule, a: Attempt) -> str | None:
    return _share(a.votes_for, a.expected, rule, "赞成票", "应到人数")


def _max_age(rule: Rule, a: Attempt) -> str | None:
    limit = int(rule.number)
    age = age_on(a.person.birth_date, a.on)
    if age is None:
        return "出生日期未登记，无法核对年龄"
    if age > limit:
        return f"{a.on:%Y-%m-%d} 时 {age} 周岁，超过 {limit} 周岁"
    return None


def _min_title_level(rule: Rule, a: Attempt) -> str | None:
    wanted = rule.value_list()[0]
    level = a.person.title_level
    # Level codes run from 1 (正高级) down to 5 (员级).
    if not level or level > wanted:
        have = TitleLevel(level).label if level else "无职称"
        return f"职称级别为「{have}」，低于「{TitleLevel(wanted).label}」"
    return None


def _min_education(rule: Rule, a: Attempt) -> str | None:
    wanted = rule.value_list()[0]
    group = education_group(a.person.education)
    if group is None or EDUCATION_GROUPS.index(group) > EDUCATION_GROUPS.index(wanted):
        have = group or "未登记"
        return f"学历为「{have}」，低于「{wanted}」"
    return None


def _excluded_occupation(rule: Rule, a: Attempt) -> str | None:
    text = " ".join((a.person.work_unit, a.person.job_post, a.person.title))
    found = [word for word in rule.value_list() if word in text]
    if found:
        return f"工作单位或职务含“{'、'.join(found)}”"
    return None


def _sector_priority(rule: Rule, a: Attempt) -> str | None:
    sectors = rule.value_list()
    if a.person.sector not in sectors:
        have = Sector(a.person.sector).label if a.person.sector else "未登记"
        names = "、".join(Sector(s).label for s in sectors if s in Sector.values)
        return f"界别为「{have}」，不在重点界别（{names}）之内"
    return None


CHECKS: dict[str, Callable[[Rule, Attempt], str | None]] = {
    RuleKind.INTERVAL: _interval,
    RuleKind.DEADLINE: _deadline,
    RuleKind.INTRODUCER_COUNT: _introducer_count,
    RuleKind.INTRODUCER_SENIORITY: _introducer_seniority,
    RuleKind.QUORUM: _quorum,
    RuleKind.VOTES_OF_PRESENT: _votes_of_present,
    RuleKind.VOTES_OF_EXPECTED: _votes_of_expected,
    RuleKind.MAX_AGE: _max_age,
    RuleKind.MIN_TITLE_LEVEL: _min_title_level,
    RuleKind.MIN_EDUCATION: _min_education,
    RuleKind.EXCLUDED_OCCUPATION: _excluded_occupation,
    RuleKind.SECTOR_PRIORITY: _sector_priority,
}


def order_violations(a: Attempt, steps: list[Step]) -> list[Violation]:
    """The steps' own order: each step once, after every required step of a lower order, and
    dated neither before those steps nor in the future."""

    def refuse(message: str) -> Violation:
        return Violation(None, ORDER_RULE, message, True)

    if a.step.pk in a.done:
        return [refuse(f"「{a.step.name}」已于 {a.done[a.step.pk].on:%Y-%m-%d} 记录")]
    missing = [
        s.name for s in steps if s.order < a.step.order and s.required and s.pk not in a.done
    ]
    if missing:
        return [refuse(f"须先完成「{'」「'.join(missing)}」")]
    problems = []
    earlier = [r for r in a.done.values() if r.step.order < a.step.order and r.on > a.on]
    if earlier:
        last = max(earlier, key=lambda r: r.on)
        problems.append(
            refuse(f"日期 {a.on:%Y-%m-%d} 早于已记录的「{last.step.name}」（{last.on:%Y-%m-%d}）")
        )
    if a.on > timezone.localdate():
        problems.append(refuse(f"日期 {a.on:%Y-%m-%d} 晚于今天"))
    return problems


def introducer_violations(a: Attempt, applicant: Person) -> list[Violation]:
    """What makes anyone an introducer at all: not the applicant, not named twice."""
    if a.step.kind != StepKind.INTRODUCERS:
        return []
    problems = []
    if any(p.pk == applicant.pk for p in a.introducers):
        problems.append(Violation(None, INTRODUCER_RULE, "申请人本人不能作为介绍人", True))
    if len({p.pk for p in a.introducers}) < len(a.introducers):
        problems.append(Violation(None, INTRODUCER_RULE, "同一人不能重复作为介绍人", True))
    return problems


def rule_violations(a: Attempt, rules) -> list[Violation]:
    """The rules of ``a.step`` that ``a`` breaks."""
    found = []
    for rule in rules:
        if not rule.active or rule.step_id != a.step.pk:
            continue
        message = CHECKS[rule.kind](rule, a)
        if message:
            found.append(Violation(rule, rule.name, message, rule.blocking))
    return found
