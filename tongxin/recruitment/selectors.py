"""Reads of 组织发展, always through the user's scope.

The figures of the statistics section, the plan page's progress and the workbench's cards are
all taken here, each with the records it counts and the address of the list that shows them
(tongxin.core.figures.Figure); the lists call the same functions with the same parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tongxin.core import codes
from tongxin.core.dates import age_on
from tongxin.core.figures import Figure, share
from tongxin.core.http import url_with_query
from tongxin.core.scope import Scope, subtree_q
from tongxin.core.tally import count
from tongxin.orgs.models import Organization
from tongxin.people import population
from tongxin.people.models import MembershipSpell, Person
from tongxin.people.selectors import matching

from .models import (
    COUNT_TARGETS,
    SHARE_TARGETS,
    Application,
    ApplicationStatus,
    DevelopmentPlan,
    PlanTarget,
    Programme,
    Refusal,
    Rule,
    RuleKind,
    Step,
    StepKind,
    StepRecord,
    TargetKind,
)
from .rules import add_months

# --- applications ------------------------------------------------------------------------------


def applications_in(*, scope: Scope, org=None) -> QuerySet[Application]:
    """Applications to branches in the scope, optionally in the subtree of ``org``."""
    applications = scope.filter(Application.objects.all(), "branch__path")
    if org is not None:
        applications = applications.filter(subtree_q(org.path, "branch__path"))
    return applications


def get_application(*, scope: Scope, pk) -> Application:
    try:
        return (
            applications_in(scope=scope)
            .select_related("person", "branch", "procedure", "programme", "spell")
            .get(pk=pk)
        )
    except Application.DoesNotExist as exc:
        raise Http404("入会申请不存在或不在您的管理范围内") from exc


def with_stage(applications: QuerySet[Application], on: date) -> QuerySet[Application]:
    """Each application with ``stage``: the name of the furthest step recorded by ``on``."""
    last = StepRecord.objects.filter(application=OuterRef("pk"), on__lte=on).order_by(
        "-step__order", "-on", "-pk"
    )
    return applications.annotate(
        stage=Subquery(last.values("step__name")[:1]),
        stage_order=Subquery(last.values("step__order")[:1]),
    )


# Which applications a list shows on ``as_of``: in progress then, or ended by then as ...
LIST_STATUSES = {
    "": "办理中",
    ApplicationStatus.ADMITTED: "已入会",
    ApplicationStatus.REJECTED: "未通过",
    ApplicationStatus.WITHDRAWN: "本人撤回",
    ApplicationStatus.SUSPENDED: "中止",
    "all": "全部",
}
FLAGS = {"overdue": "超过办理时限", "blocked": "被规则拒绝"}


@dataclass
class ApplicationFilter:
    as_of: date
    status: str = ""
    stage: str = ""
    flag: str = ""
    programme: int | None = None
    q: str = ""

    def params(self, org) -> dict:
        """The URL parameters of the list that shows exactly these applications."""
        values = {"org": org.pk, "as_of": self.as_of.isoformat(), "status": self.status}
        values |= {"stage": self.stage, "flag": self.flag, "programme": self.programme or ""}
        values["q"] = self.q
        return {k: v for k, v in values.items() if v not in ("", None)}


def application_list(*, scope: Scope, org, filters: ApplicationFilter) -> QuerySet[Application]:
    on = filters.as_of
    applications = applications_in(scope=scope, org=org)
    if filters.status == "":
        applications = applications.active_on(on)
    elif filters.status == "all":
        applications = applications.filter(applied_on__lte=on)
    else:
        applications = applications.filter(status=filters.status, ended_on__lte=on)
    applications = with_stage(applications, on)
    if filters.stage:
        applications = applications.filter(stage=filters.stage)
    if filters.flag == "overdue":
        applications = applications.filter(pk__in=overdue_ids(applications=applications, on=on))
    elif filters.flag == "blocked":
        applications = blocked(applications)
    if filters.programme:
        applications = applications.filter(programme_id=filters.programme)
    if filters.q.strip():
        applications = applications.filter(
            person__in=matching(Person.objects.all(), filters.q).values("pk")
        )
    return applications.select_related("person", "branch", "programme").order_by(
        "-applied_on", "-pk"
    )


def list_url(name: str, params: dict) -> str:
    return url_with_query(name, **params)


def stage_names(*, applications: QuerySet[Application], org) -> list[str]:
    """The steps an application in progress can be at, in the procedures' order: those of the
    procedures the applications follow and of the one that applies to ``org``."""
    from .services import procedure_for

    procedures = set(applications.values_list("procedure_id", flat=True).distinct())
    try:
        procedures.add(procedure_for(branch=org, on=timezone.localdate()).pk)
    except ValidationError:  # no procedure set up: only the applications' own
        pass
    steps = (
        Step.objects.filter(procedure_id__in=procedures)
        .exclude(kind=StepKind.ADMISSION)
        .order_by("order", "pk")
        .values_list("name", flat=True)
    )
    return list(dict.fromkeys(steps))


def by_stage(*, scope: Scope, org, as_of: date) -> dict[str, Figure]:
    """Applications in progress on ``as_of`` by the furthest step recorded by then."""
    open_then = with_stage(applications_in(scope=scope, org=org).active_on(as_of), as_of)
    figures = {}
    for name in stage_names(applications=applications_in(scope=scope, org=org), org=org):
        filters = ApplicationFilter(as_of=as_of, stage=name)
        records = open_then.filter(stage=name)
        figures[name] = count(records, list_url("recruitment:index", filters.params(org)))
    return figures


def overdue_ids(*, applications: QuerySet[Application], on: date) -> list[int]:
    """Applications in progress past a deadline rule (办理时限): the rule's earlier step was
    done more than its months ago, its step is not, and no later step was recorded."""
    candidates = with_stage(applications.active_on(on), on)
    rules = Rule.objects.filter(
        active=True,
        kind=RuleKind.DEADLINE,
        procedure_id__in=candidates.values("procedure_id"),
    ).select_related("step")
    found: set[int] = set()
    for rule in rules:
        rows = (
            candidates.filter(
                procedure_id=rule.procedure_id,
                stage_order__lt=rule.step.order,
                records__step_id=rule.since_step_id,
            )
            .exclude(records__step_id=rule.step_id)
            .values_list("pk", "records__on")
        )
        months = int(rule.number)
        found |= {pk for pk, since in rows if add_months(since, months) < on}
    return sorted(found)


def blocked(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Applications in progress whose latest event is a refusal by a rule."""
    last_step = (
        StepRecord.objects.filter(application=OuterRef("application"))
        .order_by("-recorded_at")
        .values("recorded_at")[:1]
    )
    refused_since = Refusal.objects.filter(
        application=OuterRef("pk"), created_at__gt=Subquery(last_step)
    )
    return applications.filter(Exists(refused_since), status=ApplicationStatus.OPEN)


# --- admissions --------------------------------------------------------------------------------

# The quality conditions of an admission list, by their names in its URL.
MID_OR_ABOVE = ("1", "2", "3")
SENIOR = ("1", "2")
POSTGRADUATE_DEGREES = ("1", "2", "3")


# name -> Q for a value, on the period's last day (people.population: the roster's own conditions).
QUALITY = {
    "title_level": lambda value, on: population.title_level_q(value),
    "mid_title": lambda value, on: Q(title_level__in=MID_OR_ABOVE),
    "senior_title": lambda value, on: Q(title_level__in=SENIOR),
    "degree": lambda value, on: population.PERSON_FILTERS["degree"](value, on),
    "postgraduate": lambda value, on: Q(degree__in=POSTGRADUATE_DEGREES),
    "sector": lambda value, on: Q(sector__in=[s for s in value.split(",") if s]),
    "upper_middle": lambda value, on: population.upper_middle_q(on),
}


@dataclass
class AdmissionFilter:
    start: date
    end: date
    branch: int | None = None
    programme: int | None = None
    quality: dict[str, str] = field(default_factory=dict)

    def params(self, org) -> dict:
        values = {"org": org.pk, "period_start": self.start.isoformat(), "as_of": self.end}
        values["as_of"] = self.end.isoformat()
        if self.branch:
            values["branch"] = self.branch
        if self.programme:
            values["programme"] = self.programme
        return values | {k: v for k, v in self.quality.items() if v}

    def with_quality(self, **quality) -> AdmissionFilter:
        return AdmissionFilter(
            self.start, self.end, self.branch, self.programme, {**self.quality, **quality}
        )


def admission_spells(*, scope: Scope, org, filters: AdmissionFilter) -> QuerySet[MembershipSpell]:
    """Spells of the subtree that start with an admission (入会) in the filter's period."""
    path = org.path
    if filters.branch:
        branch = Organization.objects.filter(subtree_q(org.path), pk=filters.branch).first()
        path = branch.path if branch else "~"
    spells = population.flow_spells(
        scope=scope,
        path=path,
        reason=codes.SpellReason.ADMITTED,
        start=filters.start,
        end=filters.end,
    )
    if filters.programme:
        spells = spells.filter(application__programme_id=filters.programme)
    return spells


def admitted(*, scope: Scope, org, filters: AdmissionFilter) -> QuerySet[Person]:
    """People admitted in the period (each once), with the filter's quality conditions."""
    spells = admission_spells(scope=scope, org=org, filters=filters)
    people = Person.objects.filter(pk__in=spells.values("person_id"))
    for name, value in filters.quality.items():
        if value:
            people = people.filter(QUALITY[name](value, filters.end))
    return people


def admission_ages(*, scope: Scope, org, filters: AdmissionFilter) -> dict[int, int]:
    """Each admitted person's age at admission (their first admission in the period)."""
    people = admitted(scope=scope, org=org, filters=filters)
    rows = (
        admission_spells(scope=scope, org=org, filters=filters)
        .filter(person__in=people.values("pk"))
        .order_by("-start")
        .values_list("person_id", "person__birth_date", "start")
    )
    return {pk: age_on(birth, start) for pk, birth, start in rows if birth is not None}


def average_age(ages: dict[int, int]) -> float:
    return round(sum(ages.values()) / len(ages), 1) if ages else 0.0


def admission_figures(*, scope: Scope, org, filters: AdmissionFilter) -> dict:
    """New members of the period and their quality (title levels, degrees, age at admission,
    sectors, upper-middle, programmes), each a Figure with its list."""

    def figure(**quality) -> Figure:
        return count_figure(scope, org, filters.with_quality(**quality))

    total = figure()
    ages = admission_ages(scope=scope, org=org, filters=filters)
    programmes = Programme.objects.filter(
        pk__in=admission_spells(scope=scope, org=org, filters=filters)
        .exclude(application__programme__isnull=True)
        .values("application__programme_id")
    ).order_by("name")
    return {
        "total": total,
        "average_age": Figure(average_age(ages), total.records, total.url),
        "title_level": {g: figure(title_level=g) for g in codes.TITLE_LEVEL_GROUPS},
        "mid_title_or_above": figure(mid_title="1"),
        "senior_title": figure(senior_title="1"),
        "degree": {g: figure(degree=g) for g in codes.DEGREE_GROUPS},
        "postgraduate": figure(postgraduate="1"),
        "sector": {label: figure(sector=value) for value, label in codes.Sector.choices},
        "upper_middle": figure(upper_middle="1"),
        "programmes": {
            p.name: count_figure(
                scope, org, AdmissionFilter(filters.start, filters.end, filters.branch, p.pk)
            )
            for p in programmes
        },
    }


# --- programmes --------------------------------------------------------------------------------


def programmes_for(*, scope: Scope) -> QuerySet:
    """优才工程 a user works with: those of an organization in the scope or above it (a
    province's programme is run by its cities too)."""
    if scope.everything:
        return Programme.objects.all()
    step = Organization.steplen
    above = {path[:end] for path in scope.paths for end in range(step, len(path), step)}
    return Programme.objects.filter(scope.q("org__path") | Q(org__path__in=above))


# --- plans -------------------------------------------------------------------------------------


def plans_in(*, scope: Scope, org=None) -> QuerySet[DevelopmentPlan]:
    plans = scope.filter(DevelopmentPlan.objects.all(), "org__path")
    if org is not None:
        plans = plans.filter(subtree_q(org.path, "org__path"))
    return plans.select_related("org")


def get_plan(*, scope: Scope, pk) -> DevelopmentPlan:
    try:
        return plans_in(scope=scope).get(pk=pk)
    except DevelopmentPlan.DoesNotExist as exc:
        raise Http404("发展计划不存在或不在您的管理范围内") from exc


def plan_period(plan: DevelopmentPlan) -> tuple[date, date]:
    return date(plan.start_year, 1, 1), date(plan.end_year, 12, 31)


class Progress:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    PENDING = "pending"
    LABELS = {MET: "已完成", ON_TRACK: "按进度", BEHIND: "落后于进度", PENDING: "暂无入会"}


@dataclass
class TargetProgress:
    target: PlanTarget
    actual: Figure
    # For a share: the people it counts (the share is taken over ``base``).
    part: Figure | None
    base: Figure
    status: str
    expected_now: float | None = None

    @property
    def status_label(self) -> str:
        return Progress.LABELS[self.status]


def _elapsed(plan: DevelopmentPlan, on: date) -> float:
    start, end = plan_period(plan)
    if on < start:
        return 0.0
    if on >= end:
        return 1.0
    return ((on - start).days + 1) / ((end - start).days + 1)


def plan_progress(*, scope: Scope, plan: DevelopmentPlan, on: date) -> list[TargetProgress]:
    """Each target of ``plan`` against the admissions from the plan's start to ``on`` (or its
    end): the very figures of the statistics' ``admitted`` section for that period."""
    start, end = plan_period(plan)
    base_filters = AdmissionFilter(start, min(on, end))
    org = plan.org
    everyone = admission_figures(scope=scope, org=org, filters=base_filters)
    elapsed = _elapsed(plan, on)
    result = []
    for target in plan.targets.select_related("org", "programme"):
        value = float(target.value)
        part = None
        base = everyone["total"]
        if target.kind == TargetKind.TOTAL:
            actual = base
        elif target.kind == TargetKind.BRANCH:
            narrowed = AdmissionFilter(base_filters.start, base_filters.end, branch=target.org_id)
            actual = base = count_figure(scope, org, narrowed)
        elif target.kind == TargetKind.PROGRAMME_COUNT:
            narrowed = AdmissionFilter(
                base_filters.start, base_filters.end, programme=target.programme_id
            )
            actual = count_figure(scope, org, narrowed)
        elif target.kind == TargetKind.SECTOR_COUNT:
            narrowed = base_filters.with_quality(sector=",".join(target.sector_list()))
            actual = count_figure(scope, org, narrowed)
        elif target.kind == TargetKind.MAX_AVERAGE_AGE:
            actual = everyone["average_age"]
        else:
            part = everyone[SHARE_PARTS[target.kind]]
            actual = Figure(share(part.value, base.value), base.records, base.url)
        result.append(
            TargetProgress(
                target=target,
                actual=actual,
                part=part,
                base=base,
                status=_status(target.kind, value, actual.value, base.value, elapsed),
                expected_now=round(value * elapsed, 1) if target.kind in COUNT_TARGETS else None,
            )
        )
    return result


# Each share target's part: its figure in ``admission_figures``.
SHARE_PARTS = {
    TargetKind.MID_TITLE_SHARE: "mid_title_or_above",
    TargetKind.SENIOR_TITLE_SHARE: "senior_title",
    TargetKind.POSTGRADUATE_SHARE: "postgraduate",
}


def count_figure(scope, org, filters: AdmissionFilter) -> Figure:
    records = admitted(scope=scope, org=org, filters=filters)
    return count(records, list_url("recruitment:admissions", filters.params(org)))


def _status(kind: str, value: float, actual, admitted_count: int, elapsed: float) -> str:
    if kind in COUNT_TARGETS:
        if actual >= value:
            return Progress.MET
        return Progress.BEHIND if actual < int(value * elapsed) else Progress.ON_TRACK
    if not admitted_count:
        return Progress.PENDING
    if kind == TargetKind.MAX_AVERAGE_AGE:
        return Progress.MET if actual <= value else Progress.BEHIND
    if kind in SHARE_TARGETS:
        return Progress.MET if actual >= value else Progress.BEHIND
    raise ValueError(kind)


def plans_in_force(*, scope: Scope, org, on: date) -> QuerySet[DevelopmentPlan]:
    return plans_in(scope=scope, org=org).filter(start_year__lte=on.year, end_year__gte=on.year)


def plans_behind(*, scope: Scope, org, on: date) -> QuerySet[DevelopmentPlan]:
    """Plans in force on ``on`` with a target behind its schedule."""
    behind = [
        plan.pk
        for plan in plans_in_force(scope=scope, org=org, on=on)
        if any(p.status == Progress.BEHIND for p in plan_progress(scope=scope, plan=plan, on=on))
    ]
    return plans_in(scope=scope, org=org).filter(pk__in=behind)
