"""What 教育培训 adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.core.extensions import Tab, WorkbenchCard

from . import selectors
from .stats import training_section

extensions.register(
    "audited_models",
    [
        "training.TrainingClass",
        "training.ClassSession",
        "training.Enrollment",
        "training.Attendance",
        "training.ExternalTraining",
        "training.TrainingRequirement",
    ],
    order=30,
)


def _person_tab(request, person, until=None) -> dict:
    # The rules are checked on the last day the user's organization held the person.
    on = timezone.localdate() if until is None else until - timedelta(days=1)
    return {
        "training": selectors.person_training(scope=request.scope, person=person, until=until),
        "training_rules": selectors.requirement_status(person=person, on=on),
        "can_change_training": request.scope.can(Cap.CHANGE) and until is None,
    }


extensions.register(
    "person_tabs", Tab("training", "培训", "training/_person_tab.html", _person_tab), order=20
)


@extensions.register("workbench_cards", order=30)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Classes with a meeting in the past whose attendance nobody recorded."""
    if not scope.can(Cap.VIEW):
        return []
    missing = selectors.classes_in(scope=scope, org=org).filter(selectors.missing_attendance_q(on))
    count = missing.count()
    if not count:
        return []
    return [
        WorkbenchCard(
            title="培训班未记考勤",
            count=count,
            url=f"{reverse('training:index')}?org={org.pk}&missing=1",
            icon="bi-mortarboard",
            tone="warning",
            note="已上课但未记录考勤的培训班",
        )
    ]


extensions.register("stats_sections", training_section, order=60)


@extensions.register("seed_demo", order=30)
def seed_demo(*, root, today, rng) -> list[str]:
    from . import demo

    return demo.seed_demo(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=30)
def reset_demo(*, root) -> None:
    from . import demo

    demo.reset_demo(root=root)
