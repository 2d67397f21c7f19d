"""The non-party cadre work plan: saving one with its targets, and its progress at a date read
from the ``non_party_cadres`` figures (the same selector as the statistics and their lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tongxin.core.figures import Figure, share
from tongxin.core.scope import Scope, get_in_scope_or_404

from .models import NonPartyPlan, NonPartyTarget
from .nonparty_stats import compute


def plans(*, scope: Scope, org) -> list[NonPartyPlan]:
    found = NonPartyPlan.objects.filter(scope.q("owner__path"))
    return found.filter(owner__path__startswith=org.path).select_related("owner")


def get_plan(*, scope: Scope, pk) -> NonPartyPlan:
    return get_in_scope_or_404(
        NonPartyPlan.objects.select_related("owner"), scope, "owner__path", pk=pk
    )


@transaction.atomic
def plan_save(*, plan: NonPartyPlan, targets: dict[str, int], by=None) -> NonPartyPlan:
    """Save ``plan`` with ``targets`` (figure → value; a figure left out has no target)."""
    if not targets:
        raise ValidationError("规划至少要有一项指标")
    plan.created_by = plan.created_by or by
    plan.full_clean()
    plan.save()
    plan.targets.exclude(figure__in=list(targets)).delete()
    for figure, value in targets.items():
        target = NonPartyTarget.objects.filter(plan=plan, figure=figure).first()
        target = target or NonPartyTarget(plan=plan, figure=figure)
        target.value = value
        target.full_clean()
        target.save()
    return plan


@dataclass
class Progress:
    target: NonPartyTarget
    figure: Figure

    @property
    def percent(self) -> float:
        return share(self.figure.value, self.target.value)

    @property
    def reached(self) -> bool:
        return self.figure.value >= self.target.value


def progress(*, scope: Scope, plan: NonPartyPlan, on: date) -> list[Progress]:
    """Each target beside its figure at ``on`` (flows counted from the plan's start)."""
    on = min(max(on, plan.start), plan.end)
    figures = compute(scope=scope, org=plan.owner, as_of=on, period_start=plan.start)
    rows = []
    for target in plan.targets.all():
        node = figures
        for key in target.figure.split("."):
            node = node[key]
        rows.append(Progress(target, node))
    return rows
