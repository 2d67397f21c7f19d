"""The ``training`` section of the statistics (STATS.md's spirit: one definition, one selector,
a drill-down for every figure).

For the subtree at ``org``, over the period ``[period_start, as_of]``:

- ``classes``: classes held by an organization of the subtree that opened in the period, in
  total, by type (培训类型) and by who ran them (办班类别); drill-down: the classes list.
- ``participants``: enrolments (人次) in those classes, in total, by type and by 办班类别;
  drill-down: the participants list.
- ``completion``: those enrolments by outcome (已结业, 未结业, 中途退出, 在学) and the share
  completed (``rate``, a percentage taken over all of them).
- ``hours``: training hours in the period of the people of the subtree at ``as_of`` (members
  and people whose file it keeps): hours of class meetings attended, wherever the class was
  held, plus external records ending in the period; ``people`` counts those with any hours,
  ``per_person`` is the total over them. Drill-down: the hours list, whose 合计 is ``total``.

```json
"training": {
  "classes": {"total": 0, "by_type": {"新成员培训班": 0, …}, "by_level": {"自办": 0, …}},
  "participants": {"total": 0, "by_type": {…}, "by_level": {…}},
  "completion": {"completed": 0, "not_completed": 0, "withdrew": 0, "in_progress": 0,
                 "rate": 0.0},
  "hours": {"total": 0.0, "in_classes": 0.0, "external": 0.0, "people": 0, "per_person": 0.0}
}
```
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Q

from tongxin.core.figures import Figure, Figures, StatsSection, share
from tongxin.core.http import url_with_query
from tongxin.core.scope import Scope
from tongxin.core.tally import Measure, Spec, count, tally

from . import selectors
from .models import ClassLevel, ClassType, EnrollmentStatus

LABELS = {
    "classes": "培训班（个）",
    "participants": "参训人次",
    "completion": "结业情况（人次）",
    "hours": "培训学时",
    "total": "合计",
    "by_type": "培训类型",
    "by_level": "办班类别",
    "completed": "已结业",
    "not_completed": "未结业",
    "withdrew": "中途退出",
    "in_progress": "在学",
    "rate": "结业率（%）",
    "in_classes": "培训班学时",
    "external": "外部培训学时",
    "people": "有学时人数",
    "per_person": "人均学时",
}

_OUTCOMES = {
    "completed": EnrollmentStatus.COMPLETED,
    "not_completed": EnrollmentStatus.NOT_COMPLETED,
    "withdrew": EnrollmentStatus.WITHDREW,
    "in_progress": EnrollmentStatus.ENROLLED,
}


def _url(name: str, org, filters: selectors.ClassFilter) -> str:
    return url_with_query(name, org=org.pk, **filters.as_query())


def _hours(value) -> float:
    return float(round(value, 1))


def _split() -> Spec:
    """The period's total, by type and by 办班类别, each as the lists' own filters."""
    return {
        "total": Measure(),
        "by_type": {label: Measure({"class_type": code}) for code, label in ClassType.choices},
        "by_level": {label: Measure({"level": code}) for code, label in ClassLevel.choices},
    }


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    period = selectors.ClassFilter(date_from=period_start, date_to=as_of)

    def count_list(list_selector, url_name, spec, condition):
        """``spec`` over the list of the period in one query; each figure's records and
        address are the list's own with the figure's filters added."""

        def records(params):
            filters = replace(period, **params)
            return list_selector(scope=scope, org=org, filters=filters, on=as_of)

        return tally(
            records({}),
            spec,
            condition=condition,
            link=lambda params: _url(url_name, org, replace(period, **params)),
            records=records,
        )

    classes = count_list(
        selectors.class_list, "training:index", _split(), lambda params: Q(**params)
    )
    # An enrolment's class type and level are its class's (enrollment_list's filters).
    on_class = {"class_type": "training_class__class_type", "level": "training_class__level"}
    enrolments = count_list(
        selectors.enrollment_list,
        "training:participants",
        {
            "participants": _split(),
            "completion": {key: Measure({"status": s}) for key, s in _OUTCOMES.items()},
        },
        lambda params: Q(**{on_class.get(key, key): value for key, value in params.items()}),
    )
    enrolled = enrolments["participants"]["total"]
    completion = enrolments["completion"]
    completion["rate"] = Figure(
        share(completion["completed"].value, enrolled.value), enrolled.records, enrolled.url
    )

    found = selectors.subtree_hours(scope=scope, org=org, start=period_start, end=as_of)
    people, total = found.people, found.total.total
    dates = {"from": period_start.isoformat(), "to": as_of.isoformat()}
    hours_url = url_with_query("training:hours", org=org.pk, **dates)
    trained = count(people, hours_url).value
    return {
        "classes": classes,
        "participants": enrolments["participants"],
        "completion": completion,
        "hours": {
            "total": Figure(_hours(total), people, hours_url),
            "in_classes": Figure(_hours(found.total.classes), people, hours_url),
            "external": Figure(_hours(found.total.external), people, hours_url),
            "people": Figure(trained, people, hours_url),
            "per_person": Figure(_hours(total / trained) if trained else 0.0, people, hours_url),
        },
    }


training_section = StatsSection(key="training", label="教育培训", compute=compute, labels=LABELS)
