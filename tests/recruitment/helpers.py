"""Builders for the recruitment tests: candidates, introducers and a walk through the steps."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import PersonFactory, make_member
from tongxin.recruitment import services
from tongxin.recruitment.models import Application, Step, StepKind

APPLIED = date(2025, 1, 6)


def candidate(**fields):
    """A new person (not saved) who meets the general procedure's conditions."""
    values = dict(
        name="林新",
        gender="2",
        birth_date=date(1986, 4, 12),
        education="14",
        degree="3",
        title="副教授",
        title_level="2",
        work_unit="江城大学",
        job_post="教师",
        sector="education",
        political_status="13",
    )
    values.update(fields)
    return PersonFactory.build(**values)


def introducers(org, n=2, since=date(2015, 1, 1)):
    return [make_member(org, name=f"介绍人{'甲乙丙丁'[i]}", start=since) for i in range(n)]


def step(application: Application, name: str) -> Step:
    return application.procedure.steps.get(name=name)


# The general procedure's steps after 申请, with the days after the application and what each
# needs: a meeting's figures, introducers, notices.
WALK = (
    ("联系培养、谈话", 10),
    ("考察", 60),
    ("征求所在单位党组织意见", 70),
    ("介绍人", 90),
    ("填写申请表", 100),
    ("支部讨论", 200),
    ("市委会审批", 230),
    ("备案", 240),
    ("入会", 250),
)


def meeting(expected=9, present=7, votes_for=6, votes_against=1, votes_abstain=0):
    return services.Meeting(expected, present, votes_for, votes_against, votes_abstain)


def record(application, name, on, by, **extra):
    s = step(application, name)
    kwargs = {}
    if s.with_vote:
        kwargs["meeting"] = extra.pop("meeting", meeting())
    if s.kind == StepKind.INTRODUCERS:
        kwargs["introducers"] = extra.pop("introducers")
    if s.kind == StepKind.ADMISSION:
        kwargs["notified_person_on"] = kwargs["notified_unit_on"] = on
    kwargs.update(extra)
    return services.step_record(application=application, step=s, on=on, by=by, **kwargs)


def walk(application, by, sponsors, *, until=None, applied=APPLIED):
    """Record the steps in order, up to and including ``until`` (all by default)."""
    for name, days in WALK:
        extra = {"introducers": sponsors} if name == "介绍人" else {}
        record(application, name, applied + timedelta(days=days), by, **extra)
        application.refresh_from_db()
        if name == until:
            break
    return application


def apply(person, branch, by, on=APPLIED, **kwargs):
    return services.application_create(person=person, branch=branch, on=on, by=by, **kwargs)
