"""Recording elections (换届): the old term closes and the new one opens with its seats.

Terms sit on the tree but name people, so this module reads membership and writes the seat
holders' posts: the one place where ``orgs`` depends on ``people``.

Rules an election must keep (each broken one is named in Chinese and nothing is written):

- the organization exists and is not dissolved on the election day, which is not in the future;
- terms are recorded in order: the new term starts after the latest recorded one started, and
  its number follows that one's (第十四届 → 第十五届); a first recorded term may have any number;
- those voting are no more than those entitled to vote, and no candidate receives more votes
  than there were voters;
- every seat holder and every candidate is a member (在册) of the organization's subtree on the
  election day — a branch committee is chosen from the branch (and its groups), a city
  committee from any branch under the city. Seats are not limited to the organization's own
  node because a committee's members are members of its branches;
- one seat per person, at most one chair (主委, 支部主委 or 书记);
- every seat holder meets the rules for taking the seat (不培训不上岗, asked through
  ``tongxin.core.extensions.post_rule_check`` as for any post): a refusing rule refuses the
  election, and a rule that only warns is named on ``term.rule_warnings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core.codes import PostKind
from tongxin.core.extensions import post_rule_check
from tongxin.core.numerals import chinese_number
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.people.models import Person, Post
from tongxin.people.selectors import member_spells_on

from .models import (
    CHAIR_TITLES,
    TERM_YEARS,
    Election,
    ElectionCandidate,
    SeatTitle,
    Term,
    TermSeat,
)


@dataclass(frozen=True)
class Seat:
    person: Person
    title: str


@dataclass(frozen=True)
class Vote:
    person: Person
    votes: int


def default_due_end(start: date) -> date:
    return start + relativedelta(years=TERM_YEARS)


def members_on_ids(*, org: Organization, on: date, people_ids) -> set[int]:
    """Those of ``people_ids`` who are members of ``org``'s subtree on ``on``."""
    return set(
        # The caller holds ``org``: every member of its subtree counts, whoever asks.
        member_spells_on(scope=Scope(everything=True), org=org, on=on)
        .filter(person_id__in=list(people_ids))
        .values_list("person_id", flat=True)
    )


def _check_order(org: Organization, number: int, held_on: date, errors: dict) -> Term | None:
    latest = org.terms.order_by("-start").first()
    if latest is None:
        return None
    if held_on <= latest.start:
        errors.setdefault("held_on", []).append(
            f"选举日期须晚于{latest.label}的开始日期 {latest.start:%Y-%m-%d}：届次不能重叠"
        )
    elif latest.end is not None and latest.end > held_on:
        errors.setdefault("held_on", []).append(
            f"{latest.label}到 {latest.end:%Y-%m-%d} 才结束，新一届不能在此之前开始"
        )
    if org.terms.filter(number=number).exists():
        errors.setdefault("number", []).append(f"「{org}」第{chinese_number(number)}届已经登记")
    elif number != latest.number + 1:
        errors.setdefault("number", []).append(
            f"届次应为第{chinese_number(latest.number + 1)}届（上一届是{latest.label}）"
        )
    return latest


def _check_people(
    org: Organization, held_on: date, seats: Sequence[Seat], votes: Sequence[Vote], errors: dict
) -> None:
    if not seats:
        errors.setdefault("seats", []).append("请至少登记一个班子席位")
    seen: set[int] = set()
    for seat in seats:
        if seat.title not in SeatTitle.values:
            errors.setdefault("seats", []).append(f"职务「{seat.title}」不在可选职务之列")
        if seat.person.pk in seen:
            errors.setdefault("seats", []).append(f"{seat.person.name} 在班子中登记了两次")
        seen.add(seat.person.pk)
    chairs = [s for s in seats if s.title in CHAIR_TITLES]
    if len(chairs) > 1:
        names = "、".join(f"{s.person.name}（{s.title}）" for s in chairs)
        errors.setdefault("seats", []).append(f"班子只能有一名主要负责人，现有 {names}")
    voted_for: set[int] = set()
    for vote in votes:
        if vote.person.pk in voted_for:
            errors.setdefault("candidates", []).append(f"候选人 {vote.person.name} 登记了两次")
        voted_for.add(vote.person.pk)
    members = members_on_ids(
        org=org, on=held_on, people_ids={s.person.pk for s in seats} | voted_for
    )
    for field, entries in (("seats", seats), ("candidates", votes)):
        for person in (entry.person for entry in entries):
            if person.pk not in members:
                errors.setdefault(field, []).append(
                    f"{person.name} 在 {held_on:%Y-%m-%d} 不是「{org}」及其下级组织的在册成员"
                )


@transaction.atomic
def election_record(
    *,
    org: Organization,
    number: int,
    held_on: date,
    entitled: int,
    voted: int,
    seats: Sequence[Seat],
    votes: Sequence[Vote] = (),
    due_end: date | None = None,
    document_no: str = "",
    note: str = "",
    today: date | None = None,
    rules_checked: bool = False,
) -> Term:
    """Record the election held on ``held_on`` that starts term ``number`` of ``org``: the
    previous term ends that day with its seat holders' posts, and the new term opens with
    ``seats`` and their posts (会内职务). ``rules_checked``: the caller has put the seats to the
    rules for taking a post already."""
    today = today or timezone.localdate()
    due_end = due_end or default_due_end(held_on)
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors["held_on"] = [f"选举日期 {held_on:%Y-%m-%d} 晚于今天"]
    if org.established and held_on < org.established:
        errors["held_on"] = [f"「{org}」成立于 {org.established:%Y-%m-%d}，选举不能早于成立"]
    if org.dissolved and org.dissolved <= held_on:
        errors["held_on"] = [f"「{org}」已于 {org.dissolved:%Y-%m-%d} 撤销，不能换届"]
    if number < 1:
        errors["number"] = ["届次须为正整数"]
    if entitled < 1:
        errors["entitled"] = ["应参加选举人数须大于 0"]
    if voted > entitled:
        errors["voted"] = [f"参加投票人数（{voted}）不能多于应参加选举人数（{entitled}）"]
    for vote in votes:
        if vote.votes > voted:
            errors.setdefault("candidates", []).append(
                f"候选人 {vote.person.name} 得票 {vote.votes} 票，多于参加投票人数（{voted}）"
            )
    if due_end <= held_on:
        errors["due_end"] = ["应届满日期须晚于选举日期"]
    previous = _check_order(org, number, held_on, errors) if number >= 1 else None
    _check_people(org, held_on, seats, votes, errors)
    warnings = [] if rules_checked else _check_seat_rules(seats, held_on, errors)
    if errors:
        raise ValidationError(errors)

    if previous is not None and previous.end is None:
        previous.end = held_on
        previous.save(update_fields=["end"])
        Post.objects.filter(term_seat__term=previous, end__isnull=True).update(end=held_on)
    term = Term(
        org=org, number=number, start=held_on, due_end=due_end, previous=previous, note=note
    )
    term.full_clean()
    term.save()
    election = Election(
        term=term, held_on=held_on, entitled=entitled, voted=voted, document_no=document_no
    )
    election.full_clean()
    election.save()
    seated = {seat.person.pk for seat in seats}
    ElectionCandidate.objects.bulk_create(
        ElectionCandidate(
            election=election, person=v.person, votes=v.votes, elected=v.person.pk in seated
        )
        for v in votes
    )
    for order, seat in enumerate(seats):
        post = Post.objects.create(
            person=seat.person,
            kind=PostKind.PARTY,
            title=seat.title,
            org=org,
            term=term.label,
            start=held_on,
            document_no=document_no,
        )
        TermSeat.objects.create(
            term=term,
            person=seat.person,
            title=seat.title,
            is_chair=seat.title in CHAIR_TITLES,
            order=order,
            post=post,
        )
    term.rule_warnings = warnings
    return term


def _check_seat_rules(seats: Sequence[Seat], held_on: date, errors: dict) -> list[str]:
    warnings = []
    for seat in seats:
        try:
            warnings += post_rule_check(
                person=seat.person,
                post_kind=PostKind.PARTY,
                title=seat.title,
                on=held_on,
                refused=f"{seat.person.name} 不能当选「{seat.title}」",
            )
        except ValidationError as exc:
            errors.setdefault("seats", []).extend(exc.messages)
    return warnings


@transaction.atomic
def election_undo(*, term: Term) -> Term | None:
    """Take back a wrongly recorded election: the latest term of its organization goes with its
    seats and their posts, and the term before it is current again. Returns that term."""
    if term.org.terms.filter(start__gt=term.start).exists():
        raise ValidationError(f"{term.label}之后已有新的一届，只能撤销最近一次换届记录")
    previous = term.previous
    Post.objects.filter(term_seat__term=term).delete()
    term.delete()
    if previous is not None and previous.end == term.start:
        previous.end = None
        previous.save(update_fields=["end"])
        Post.objects.filter(term_seat__term=previous, end=term.start).update(end=None)
    return previous
