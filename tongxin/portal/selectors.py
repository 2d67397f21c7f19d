"""Reads of the members' side. A member reads only their own records and what is published to
the organizations above them; staff read through their scope."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from tongxin.branchwork.models import Attendance, ContributionAuthor
from tongxin.cadres.models import AnnualAssessment
from tongxin.core.scope import Scope, subtree_q
from tongxin.evaluation.models import Award
from tongxin.orgs.models import Organization
from tongxin.people.models import Honor, MembershipSpell, Person, Post
from tongxin.people.selectors import members_on, people_in_scope
from tongxin.training.models import Enrollment, ExternalTraining, TrainingClass

from .models import (
    Audience,
    CorrectionRequest,
    CorrectionState,
    Draft,
    IdentityCorrection,
    MemberAccount,
    Notice,
    NoticeRecipient,
    SignUp,
)


def member_account_of(user) -> MemberAccount | None:
    """The member account behind ``user``'s login, or None for a staff user."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_tongxin_member_account", False)
    if cached is False:
        cached = (
            MemberAccount.objects.filter(user=user).select_related("person").first()
            if user.pk
            else None
        )
        user._tongxin_member_account = cached
    return cached


def access_refusal(*, person: Person, on: date) -> str:
    """Why ``person``'s member account may not be used on ``on`` (activated, logged in with,
    or kept open), or "": the one rule, asked by the activation, the password reset, the login
    (the ``login_refusals`` hook) and MemberOnlyMiddleware on every request. A member account
    serves a member on the roster then (people: a membership spell in force); once it ends
    (left, transferred out, deceased …) the account goes with it."""
    if MembershipSpell.objects.filter(person=person).active_on(on).exists():
        return ""
    last = (
        MembershipSpell.objects.filter(person=person, end__isnull=False, end__lte=on)
        .order_by("-end", "-pk")
        .first()
    )
    if last is None:
        return f"{person.name} 在 {on:%Y-%m-%d} 不是在册成员，不能使用成员账号"
    reason = f"（{last.get_end_reason_display()}）" if last.end_reason else ""
    return (
        f"{person.name} 的成员身份已于 {last.end:%Y-%m-%d} 结束{reason}，"
        "成员账号不能再使用；如有疑问请与组织部联系"
    )


def member_refusal(user, on: date) -> str:
    """Why ``user``'s login, a member account's, is refused on ``on``; "" for staff."""
    account = member_account_of(user)
    return access_refusal(person=account.person, on=on) if account is not None else ""


def member_org(person: Person, on: date) -> Organization | None:
    """The organization ``person`` is a member of on ``on``."""
    spell = (
        MembershipSpell.objects.filter(person=person)
        .active_on(on)
        .select_related("org")
        .order_by("-start")
        .first()
    )
    return spell.org if spell else None


def _lineage(org: Organization) -> list[str]:
    """The paths of ``org`` and every organization above it."""
    return [org.path[:end] for end in range(org.steplen, len(org.path) + 1, org.steplen)]


def notices_for(*, person: Person, on: date) -> QuerySet[Notice]:
    """What is published to ``person``: notices to the members of their organization or of one
    above it, and notices to a roster list that named them at publication."""
    org = member_org(person, on)
    if org is None:
        return Notice.objects.none()
    listed = NoticeRecipient.objects.filter(person=person).values("notice_id")
    return Notice.objects.filter(
        Q(audience=Audience.SUBTREE, org__path__in=_lineage(org))
        | Q(audience=Audience.LIST, pk__in=listed)
    ).select_related("org")


def notice_for(*, person: Person, on: date, pk: int) -> Notice:
    try:
        return notices_for(person=person, on=on).get(pk=pk)
    except Notice.DoesNotExist as exc:
        raise Http404("通知不存在或未向您发布") from exc


def classes_for(*, person: Person, on: date) -> QuerySet[TrainingClass]:
    """Classes open for sign-up to ``person``: held by their organization or one above it, and
    not started yet."""
    org = member_org(person, on)
    if org is None:
        return TrainingClass.objects.none()
    return (
        TrainingClass.objects.filter(org__path__in=_lineage(org), start__gte=on)
        .select_related("org")
        .order_by("start", "pk")
    )


def class_for(*, person: Person, on: date, pk: int) -> TrainingClass:
    try:
        return classes_for(person=person, on=on).get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404("培训班不存在或未向您开放报名") from exc


def signups_of(person: Person) -> QuerySet[SignUp]:
    return SignUp.objects.filter(person=person).select_related("notice", "training_class")


def drafts_of(person: Person) -> QuerySet[Draft]:
    return Draft.objects.filter(person=person).select_related("contribution")


def draft_of(*, person: Person, pk: int) -> Draft:
    try:
        return drafts_of(person).get(pk=pk)
    except Draft.DoesNotExist as exc:
        raise Http404("稿件不存在") from exc


def account_of(person: Person) -> MemberAccount | None:
    return MemberAccount.objects.filter(person=person).select_related("user").first()


def identity_corrections_of(person: Person) -> QuerySet[IdentityCorrection]:
    return IdentityCorrection.objects.filter(person=person).select_related("by")


def corrections_of(person: Person) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(person=person)


def pending_correction_of(person: Person) -> CorrectionRequest | None:
    """The request of ``person`` still under review: one at a time."""
    return (
        corrections_of(person)
        .filter(state__in=[CorrectionState.CHAIR, CorrectionState.STAFF])
        .first()
    )


# --- the member record (履职档案) -------------------------------------------------------------


def member_record(*, person: Person) -> dict:
    """A member's record compiled from what staff already keep, never typed twice."""
    enrollments = list(
        Enrollment.objects.filter(person=person)
        .select_related("training_class")
        .order_by("-training_class__start")
    )
    return {
        "person": person,
        "spells": list(
            MembershipSpell.objects.filter(person=person).select_related("org").order_by("start")
        ),
        "activities": list(
            Attendance.objects.filter(person=person, present=True)
            .select_related("activity", "activity__org")
            .order_by("-activity__date")
        ),
        "enrollments": enrollments,
        "external": list(ExternalTraining.objects.filter(person=person).order_by("-start")),
        "contributions": list(
            ContributionAuthor.objects.filter(person=person)
            .select_related("contribution")
            .prefetch_related("contribution__adoptions")
            .order_by("-contribution__submitted_on")
        ),
        "honors": list(Honor.objects.filter(person=person).order_by("-conferred_on")),
        "awards": list(
            Award.objects.filter(person=person).select_related("round").order_by("-decided_on")
        ),
        "posts": list(Post.objects.filter(person=person).select_related("org")),
        "assessments": list(AnnualAssessment.objects.filter(person=person).order_by("-year")),
    }


# --- staff ------------------------------------------------------------------------------------


def current_members_q(*, scope: Scope, on: date, field: str = "person") -> Q:
    """Rows whose ``field`` is a member of the scope on ``on``."""
    spells = MembershipSpell.objects.filter(scope.q("org__path")).active_on(on)
    return Q(**{f"{field}__in": spells.values("person_id")})


def current_member(*, scope: Scope, pk: int, on: date) -> Person:
    """A person who is a member of the scope on ``on``, else 404."""
    try:
        return Person.objects.filter(current_members_q(scope=scope, on=on, field="pk")).get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404("此人不存在或现不在您的管理范围内") from exc


def notices_in(*, scope: Scope) -> QuerySet[Notice]:
    return (
        scope.filter(Notice.objects.all(), "org__path")
        .select_related("org", "published_by")
        .annotate(
            read_count=Count("reads", distinct=True),
            recipient_count=Subquery(
                NoticeRecipient.objects.filter(notice=OuterRef("pk"))
                .values("notice")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
    )


def receipts(*, notice: Notice, scope: Scope, on: date) -> dict:
    """Who of the notice's audience has read it, for its publisher: names only, by name, no
    ranking and no times compared. A list's audience is its recipients (those still in the
    scope), a subtree's its members on ``on``."""
    if notice.audience == Audience.LIST:
        people = people_in_scope(scope=scope).filter(pk__in=notice.recipients.values("person_id"))
    else:
        audience = MembershipSpell.objects.filter(scope.q("org__path")).active_on(on)
        audience = audience.filter(subtree_q(notice.org.path, "org__path"))
        people = Person.objects.filter(pk__in=audience.values("person_id"))
    people = people.order_by("name_pinyin", "pk")
    read = set(notice.reads.values_list("person_id", flat=True))
    return {
        "read": [p for p in people if p.pk in read],
        "unread": [p for p in people if p.pk not in read],
    }


def corrections_in(*, scope: Scope, on: date) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(current_members_q(scope=scope, on=on)).select_related(
        "person"
    )


def drafts_in(*, scope: Scope, on: date) -> QuerySet[Draft]:
    return Draft.objects.filter(current_members_q(scope=scope, on=on)).select_related(
        "person", "contribution"
    )


def accounts_in(*, scope: Scope, org: Organization, on: date):
    """The members of ``org``'s subtree with their account's state."""
    people = members_on(scope=scope, org=org, on=on).order_by("name_pinyin", "pk")
    accounts = {a.person_id: a for a in MemberAccount.objects.filter(person__in=people)}
    return [(p, accounts.get(p.pk)) for p in people]
