"""Reads over training: classes in scope, enrolment, hours, and the rule 不培训不上岗."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404

from tongxin.core.dates import birth_date_bounds, years_before
from tongxin.core.scope import Scope, subtree_q
from tongxin.people import selectors as people_selectors
from tongxin.people.models import Person

from .models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    ClassType,
    Enforcement,
    Enrollment,
    EnrollmentStatus,
    ExternalTraining,
    TrainingClass,
    TrainingRequirement,
)

ZERO = Decimal("0")

# --- the rule 不培训不上岗 ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleBreach:
    """One rule of 不培训不上岗 that a person does not meet for a post.

    ``rule`` is the rule's Chinese name (show it as it is), ``reason`` says in Chinese what is
    missing, ``blocking`` is True when the rule refuses the recommendation or appointment and
    False when it only warns. ``requirement_id`` is the ``TrainingRequirement`` behind it.
    """

    rule: str
    reason: str
    blocking: bool
    requirement_id: int

    @property
    def message(self) -> str:
        return f"违反「{self.rule}」：{self.reason}"


def training_requirement_check(
    *, person: Person, post_kind: str, title: str = "", on: date
) -> list[RuleBreach]:
    """The rules of 不培训不上岗 that ``person`` breaks for a post of ``post_kind``
    (``tongxin.core.codes.PostKind``: party, government, political …) titled ``title``, taken
    on ``on``; an empty list when every rule is met or none applies. Refusals come first.

    The rules are ``TrainingRequirement`` rows kept by an administrator: each active rule of
    that post kind whose titles include ``title`` (or that names no title) asks for a completed
    class of some types and/or a number of hours within some years before ``on``. A completed
    class counts on its completion date; hours are those of attended class meetings and of
    external records (by their end date) in the window; nothing after ``on`` counts.

    Callers (recommendations and appointments in ``cadres``) refuse when any breach is
    ``blocking`` and show the others as warnings, naming ``RuleBreach.rule``. The check reads
    all of the person's training wherever it was held: the caller has already found the person
    in the user's scope, and a class held by a higher committee counts for them too.
    """
    rules = [
        rule
        for rule in TrainingRequirement.objects.filter(is_active=True, post_kind=post_kind)
        if rule.applies_to(post_kind=post_kind, title=title)
    ]
    breaches = []
    for rule in rules:
        since = years_before(on, rule.within_years) if rule.within_years else None
        window = f"在 {since:%Y-%m-%d} 至 {on:%Y-%m-%d} 期间" if since else f"截至 {on:%Y-%m-%d}"
        missing = []
        if rule.class_types and not has_completed(
            person=person, class_types=rule.class_types, since=since, on=on
        ):
            kinds = "或".join(f"「{label}」" for label in rule.class_type_labels())
            missing.append(f"没有{kinds}的结业记录")
        if rule.min_hours:
            hours = person_hours(person=person, start=since, end=on).total
            if hours < rule.min_hours:
                missing.append(
                    f"累计培训 {format_hours(hours)} 学时，不足 {format_hours(rule.min_hours)} 学时"
                )
        if missing:
            breaches.append(
                RuleBreach(
                    rule=rule.name,
                    reason=f"{person.name}{window}{'；'.join(missing)}",
                    blocking=rule.enforcement == Enforcement.REFUSE,
                    requirement_id=rule.pk,
                )
            )
    return sorted(breaches, key=lambda b: not b.blocking)


def has_completed(*, person: Person, class_types, since: date | None, on: date) -> bool:
    """Completed a class of one of ``class_types`` (or has such an external record) with a
    completion date in ``[since, on]``."""
    enrollments = Enrollment.objects.filter(
        person=person,
        status=EnrollmentStatus.COMPLETED,
        training_class__class_type__in=class_types,
        completed_on__lte=on,
    )
    external = ExternalTraining.objects.filter(
        person=person, class_type__in=class_types, end__lte=on
    )
    if since is not None:
        enrollments = enrollments.filter(completed_on__gte=since)
        external = external.filter(end__gte=since)
    return enrollments.exists() or external.exists()


def requirement_status(*, person: Person, on: date) -> list[tuple[TrainingRequirement, list]]:
    """Every active rule with the breaches ``person`` has of it on ``on`` (empty: met), for the
    person's 培训 tab. A rule naming titles is checked for its first title."""
    rows = []
    for rule in TrainingRequirement.objects.filter(is_active=True):
        titles = rule.title_list()
        breaches = [
            b
            for b in training_requirement_check(
                person=person, post_kind=rule.post_kind, title=titles[0] if titles else "", on=on
            )
            if b.requirement_id == rule.pk
        ]
        rows.append((rule, breaches))
    return rows


# --- hours -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hours:
    """Training hours: of class meetings attended, and of external records."""

    classes: Decimal = ZERO
    external: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.classes + self.external


def format_hours(value) -> str:
    """``12`` for 12.0, ``1.5`` for 1.5: hours are kept to one decimal."""
    value = Decimal(value or 0).quantize(Decimal("0.1"))
    return f"{value:f}".removesuffix(".0")


def _attended(start: date | None, end: date | None) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(status=AttendanceStatus.PRESENT)
    if start is not None:
        rows = rows.filter(session__date__gte=start)
    if end is not None:
        rows = rows.filter(session__date__lte=end)
    return rows


def _external(start: date | None, end: date | None) -> QuerySet[ExternalTraining]:
    rows = ExternalTraining.objects.all()
    if start is not None:
        rows = rows.filter(end__gte=start)
    if end is not None:
        rows = rows.filter(end__lte=end)
    return rows


def hours_by_person(*, people, start: date | None, end: date | None) -> dict[int, Hours]:
    """Hours of each of ``people`` (ids or a queryset of them) in ``[start, end]`` (either may
    be None: open); people without hours are left out."""
    ids = people.values("pk") if isinstance(people, QuerySet) else list(people)
    classes = (
        _attended(start, end)
        .filter(enrollment__person_id__in=ids)
        .values_list("enrollment__person_id")
        .annotate(h=Sum("session__hours"))
        .order_by()
    )
    external = (
        _external(start, end)
        .filter(person_id__in=ids)
        .values_list("person_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    found: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for person_id, hours in classes:
        found[person_id][0] += hours or ZERO
    for person_id, hours in external:
        found[person_id][1] += hours or ZERO
    return {pk: Hours(c, e) for pk, (c, e) in found.items() if c or e}


def person_hours(*, person: Person, start: date | None, end: date | None) -> Hours:
    return hours_by_person(people=[person.pk], start=start, end=end).get(person.pk, Hours())


def person_hours_by_year(*, person: Person, until: date | None = None) -> list[tuple[int, Hours]]:
    """A person's hours per calendar year, the latest year first (years without any left out);
    with ``until``, the hours before that day."""
    end = None if until is None else until - timedelta(days=1)
    classes = (
        _attended(None, end)
        .filter(enrollment__person=person)
        .annotate(year=ExtractYear("session__date"))
        .values_list("year")
        .annotate(h=Sum("session__hours"))
        .order_by()
    )
    external = (
        _external(None, end)
        .filter(person=person)
        .annotate(year=ExtractYear("end"))
        .values_list("year")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    years: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for year, hours in classes:
        years[year][0] += hours or ZERO
    for year, hours in external:
        years[year][1] += hours or ZERO
    return [(year, Hours(*years[year])) for year in sorted(years, reverse=True)]


# --- who belongs to a subtree ----------------------------------------------------------------


def people_of(*, scope: Scope, org, on: date) -> QuerySet[Person]:
    """The members of ``org``'s subtree on ``on`` and the people whose file it keeps then
    (管理关系): whom the subtree trains."""
    return people_selectors.people_on(scope=scope, org=org, on=on)


def trained_people(*, scope: Scope, org, start: date, end: date) -> QuerySet[Person]:
    """People of ``org``'s subtree on ``end`` with any training hours in ``[start, end]``."""
    # Driven from the period's training records (few), each person then asked whether the
    # subtree has them: the other way round a query at the root would read all its people.
    # One IN over the UNION of the two, not an OR of two INs: PostgreSQL answers the OR with
    # a scan of every person and two hashed subplans, for a county as for the root (2.5 s on
    # the 1M-member tree; the union is a few index probes, bench/README.md "Load").
    attended = _attended(start, end).order_by().values("enrollment__person_id")
    external = _external(start, end).order_by().values("person_id")
    return Person.objects.filter(pk__in=attended.union(external)).filter(
        people_selectors.people_on_q(scope=scope, org=org, on=end)
    )


@dataclass(frozen=True)
class SubtreeHours:
    """The training hours of a subtree's people over a period: who had any, each one's hours,
    and the total (the hours list and the statistics both read this)."""

    people: QuerySet
    by_person: dict
    total: Hours


def subtree_hours(*, scope: Scope, org, start: date, end: date) -> SubtreeHours:
    people = trained_people(scope=scope, org=org, start=start, end=end)
    by_person = hours_by_person(people=people, start=start, end=end)
    total = Hours(
        classes=sum((h.classes for h in by_person.values()), ZERO),
        external=sum((h.external for h in by_person.values()), ZERO),
    )
    return SubtreeHours(people=people, by_person=by_person, total=total)


# --- classes ---------------------------------------------------------------------------------


def classes_in(*, scope: Scope, org=None) -> QuerySet[TrainingClass]:
    """Classes held by an organization in the scope (and in ``org``'s subtree, if given)."""
    classes = TrainingClass.objects.filter(scope.q("org__path"))
    if org is not None:
        classes = classes.filter(subtree_q(org.path, "org__path"))
    return classes


def get_class(*, scope: Scope, pk) -> TrainingClass:
    try:
        return classes_in(scope=scope).select_related("org").get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404("培训班不存在或不在您的管理范围内") from exc


def get_external(*, scope: Scope, person: Person, pk) -> ExternalTraining:
    """One external record of a person in scope, begun while the scope held them; not one
    the organization they left for recorded since (the person file does not show it either)."""
    try:
        return ExternalTraining.objects.filter(
            people_selectors.seen_then_q(scope=scope, on="start"), person=person
        ).get(pk=pk)
    except ExternalTraining.DoesNotExist as exc:
        raise Http404("培训记录不存在或不在您的管理范围内") from exc


def missing_attendance_q(on: date) -> Q:
    """Classes with a meeting before ``on`` whose attendance nobody recorded."""
    return Q(
        Exists(
            ClassSession.objects.filter(
                training_class=OuterRef("pk"), date__lt=on, recorded_at__isnull=True
            )
        )
    )


@dataclass
class ClassFilter:
    """The filters of the classes list and of the participants list, as in the URL.

    ``date_from``/``date_to`` bound the opening day; ``missing`` keeps the classes with a past
    meeting without attendance."""

    q: str = ""
    class_type: str = ""
    level: str = ""
    date_from: date | None = None
    date_to: date | None = None
    missing: bool = False
    status: str = ""  # of the enrolment, on the participants list

    def as_query(self) -> dict[str, str]:
        """The URL parameters that give this filter (for drill-down links)."""
        values = {
            "q": self.q,
            "type": self.class_type,
            "level": self.level,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "missing": "1" if self.missing else "",
            "status": self.status,
        }
        return {k: v for k, v in values.items() if v}


def class_list(*, scope: Scope, org, filters: ClassFilter, on: date) -> QuerySet[TrainingClass]:
    classes = classes_in(scope=scope, org=org)
    if filters.q:
        classes = classes.filter(Q(name__contains=filters.q) | Q(organizer__contains=filters.q))
    if filters.class_type:
        classes = classes.filter(class_type=filters.class_type)
    if filters.level:
        classes = classes.filter(level=filters.level)
    if filters.date_from:
        classes = classes.filter(start__gte=filters.date_from)
    if filters.date_to:
        classes = classes.filter(start__lte=filters.date_to)
    if filters.missing:
        classes = classes.filter(missing_attendance_q(on))
    return classes.order_by("-start", "-pk")


def class_rows(classes, *, on: date) -> list[dict]:
    """Each class of a page with its enrolment and the meetings still without attendance."""
    ids = [c.pk for c in classes]
    enrolled = dict(
        Enrollment.objects.filter(training_class_id__in=ids)
        .values_list("training_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    completed = dict(
        Enrollment.objects.filter(training_class_id__in=ids, status=EnrollmentStatus.COMPLETED)
        .values_list("training_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sessions = dict(
        ClassSession.objects.filter(training_class_id__in=ids)
        .values_list("training_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    missing = dict(
        ClassSession.objects.filter(
            training_class_id__in=ids, date__lt=on, recorded_at__isnull=True
        )
        .values_list("training_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "cls": c,
            "enrolled": enrolled.get(c.pk, 0),
            "completed": completed.get(c.pk, 0),
            "sessions": sessions.get(c.pk, 0),
            "missing": missing.get(c.pk, 0),
        }
        for c in classes
    ]


def enrollment_list(*, scope: Scope, org, filters: ClassFilter, on: date) -> QuerySet[Enrollment]:
    """The enrolments (人次) of the classes ``filters`` selects, of the status it names."""
    classes = class_list(scope=scope, org=org, filters=filters, on=on)
    enrollments = Enrollment.objects.filter(training_class__in=classes.values("pk"))
    if filters.status:
        enrollments = enrollments.filter(status=filters.status)
    return enrollments.select_related("person", "training_class").order_by(
        "-training_class__start", "training_class_id", "person__name_pinyin", "pk"
    )


def attended_hours(enrollments) -> dict[int, tuple[int, Decimal]]:
    """Meetings attended and their hours, per enrolment id."""
    rows = (
        Attendance.objects.filter(
            enrollment_id__in=[e.pk for e in enrollments], status=AttendanceStatus.PRESENT
        )
        .values_list("enrollment_id")
        .annotate(n=Count("pk"), h=Sum("session__hours"))
        .order_by()
    )
    return {pk: (n, h or ZERO) for pk, n, h in rows}


def attendance_counts(sessions) -> dict[int, int]:
    """The number present at each meeting, per session id."""
    rows = (
        Attendance.objects.filter(
            session_id__in=[s.pk for s in sessions], status=AttendanceStatus.PRESENT
        )
        .values_list("session_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def planned_hours(sessions) -> Decimal:
    return sum((s.hours for s in sessions), ZERO)


def attended_enough(attended: Decimal, planned: Decimal) -> bool:
    """Came to at least two thirds of the planned hours: completion is proposed (结业)."""
    return bool(planned) and attended * 3 >= planned * 2


# --- enrolment -------------------------------------------------------------------------------

# Suggested groups of the enrolment page: whom a class of a type is usually for.
YOUNG_BACKBONE_AGE = 45
YOUNG_BACKBONE_TITLE_LEVELS = ("1", "2", "3")  # 中级及以上职称
RECENT_ADMISSION_DAYS = 365


@dataclass
class CandidateFilter:
    q: str = ""
    group: str = ""  # "recent" (admitted in the last year) or "young" (under 45, 中级+)

    GROUPS = {
        "recent": "近一年入会",
        "young": f"{YOUNG_BACKBONE_AGE}岁以下、中级及以上职称",
    }


SUGGESTED_GROUPS = {ClassType.NEW_MEMBER: "recent", ClassType.YOUNG_BACKBONE: "young"}


def enrolment_candidates(
    *, scope: Scope, training_class: TrainingClass, filters: CandidateFilter, on: date
) -> QuerySet[Person]:
    """People of the holding organization's subtree on ``on``, within the scope, not yet
    enrolled in ``training_class``."""
    org = training_class.org
    people = people_of(scope=scope, org=org, on=on).exclude(
        pk__in=training_class.enrollments.values("person_id")
    )
    people = people_selectors.matching(people, filters.q)
    if filters.group == "recent":
        since = date.fromordinal(on.toordinal() - RECENT_ADMISSION_DAYS)
        admitted = people_selectors.spells_in(scope=scope, path=org.path).filter(
            start_reason="admitted", start__gte=since, start__lte=on
        )
        people = people.filter(pk__in=admitted.values("person_id"))
    elif filters.group == "young":
        earliest, _ = birth_date_bounds(on, None, YOUNG_BACKBONE_AGE - 1)
        people = people.filter(
            birth_date__gte=earliest, title_level__in=YOUNG_BACKBONE_TITLE_LEVELS
        )
    return people.order_by("name_pinyin", "pk")


# --- a person's training ---------------------------------------------------------------------


@dataclass
class PersonTraining:
    enrollments: list = field(default_factory=list)
    attended: dict = field(default_factory=dict)
    years: list = field(default_factory=list)
    external: list = field(default_factory=list)
    visible_classes: set = field(default_factory=set)


def person_training(*, scope: Scope, person: Person, until: date | None = None) -> PersonTraining:
    """What the person file's 培训 tab shows: every class the person was enrolled in, the hours
    per year and the external records. Classes outside the scope are listed (they are the
    person's history) but not linked. With ``until``, only what began before that day."""
    enrolled = Enrollment.objects.filter(person=person)
    external = person.external_trainings.all()
    if until is not None:
        enrolled = enrolled.filter(training_class__start__lt=until)
        external = external.filter(start__lt=until)
    enrollments = list(
        enrolled.select_related("training_class", "training_class__org").order_by(
            "-training_class__start", "-pk"
        )
    )
    visible = set(
        classes_in(scope=scope)
        .filter(pk__in=[e.training_class_id for e in enrollments])
        .values_list("pk", flat=True)
    )
    return PersonTraining(
        enrollments=enrollments,
        attended=attended_hours(enrollments),
        years=person_hours_by_year(person=person, until=until),
        external=list(external.order_by("-end", "-pk")),
        visible_classes=visible,
    )


def class_type_label(code: str) -> str:
    return ClassType(code).label if code in ClassType.values else code
