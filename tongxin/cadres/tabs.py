"""The person file's tabs that 干部人才 adds (hooks.PERSON_TABS): 后备与考核, 实践, 推荐使用.

Each reads through the user's scope: the pools, candidacies and recommendations of
organizations the user works in, and the person's assessments and practice (the person is
already in the scope when the file opens)."""

from __future__ import annotations

from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.codes import AssessmentGrade

from . import selectors
from .models import BELOW_STANDARD


def pools_tab(request, person) -> dict:
    scope = request.scope
    on = timezone.localdate()
    entries = (
        selectors.entries(scope=scope)
        .filter(person=person)
        .select_related("pool", "pool__owner", "level")
        .prefetch_related("reviews")
        .order_by("-start")
    )
    candidacies = (
        selectors.candidates(scope=scope)
        .filter(person=person)
        .select_related("pool")
        .order_by("-found_on")
    )
    in_pools = {e.pool_id for e in entries if e.end is None or e.end > on}
    return {
        "cadre_entries": entries,
        "cadre_candidacies": candidacies,
        "cadre_assessments": person.assessments.order_by("-year"),
        "cadre_pools": [
            p for p in selectors.pools(scope=scope).filter(is_active=True) if p.pk not in in_pools
        ],
        "below_standard": BELOW_STANDARD,
        "ungraded": (AssessmentGrade.UNGRADED, AssessmentGrade.NOT_ASSESSED),
        "on": on,
        "cadre_can_change": scope.can(Cap.CHANGE),
        "cadre_can_export": scope.can(Cap.EXPORT),
    }


def practice_tab(request, person) -> dict:
    return {
        "cadre_practice": person.practice_assignments.order_by("-start"),
        "cadre_can_change": request.scope.can(Cap.CHANGE),
    }


def recommendations_tab(request, person) -> dict:
    scope = request.scope
    return {
        "cadre_recommendations": selectors.recommendations(scope=scope)
        .filter(person=person)
        .select_related("current_step", "post", "target_org", "owner")
        .order_by("-started_on"),
        "cadre_contacts": selectors.contacts(scope=scope).filter(people=person).order_by("-on"),
        "cadre_can_change": scope.can(Cap.CHANGE),
    }
