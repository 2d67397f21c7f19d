"""The person file's tabs that 干部人才 adds (hooks: person_tabs): 后备与考核, 实践, 推荐使用.

Each reads through the user's scope: the pools, candidacies and recommendations of
organizations the user works in, and the person's assessments and practice (the person is
already in the scope when the file opens)."""

from __future__ import annotations

from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.codes import AssessmentGrade

from . import selectors
from .models import BELOW_STANDARD


def pools_tab(request, person, until=None) -> dict:
    scope = request.scope
    on = timezone.localdate()
    entries = selectors.entries(scope=scope).filter(person=person)
    candidacies = selectors.candidates(scope=scope).filter(person=person)
    assessments = person.assessments.all()
    if until is not None:
        entries = entries.filter(start__lt=until)
        candidacies = candidacies.filter(found_on__lt=until)
        # A year's assessment is made after the year: those of the years fully before it.
        assessments = assessments.filter(year__lt=until.year)
    entries = (
        entries.select_related("pool", "pool__owner", "level")
        .prefetch_related("reviews")
        .order_by("-start")
    )
    in_pools = {e.pool_id for e in entries if e.end is None or e.end > on}
    pools = selectors.pools(scope=scope).filter(is_active=True) if until is None else []
    return {
        "cadre_entries": entries,
        "cadre_candidacies": candidacies.select_related("pool").order_by("-found_on"),
        "cadre_assessments": assessments.order_by("-year"),
        "cadre_pools": [p for p in pools if p.pk not in in_pools],
        "below_standard": BELOW_STANDARD,
        "ungraded": (AssessmentGrade.UNGRADED, AssessmentGrade.NOT_ASSESSED),
        "on": on,
        "cadre_can_change": scope.can(Cap.CHANGE) and until is None,
        # The registration form is of the person today.
        "cadre_can_export": scope.can(Cap.EXPORT) and until is None,
    }


def practice_tab(request, person, until=None) -> dict:
    practice = person.practice_assignments.all()
    if until is not None:
        practice = practice.filter(start__lt=until)
    return {
        "cadre_practice": practice.order_by("-start"),
        "cadre_can_change": request.scope.can(Cap.CHANGE) and until is None,
    }


def recommendations_tab(request, person, until=None) -> dict:
    scope = request.scope
    recommendations = selectors.recommendations(scope=scope).filter(person=person)
    contacts = selectors.contacts(scope=scope).filter(people=person)
    if until is not None:
        recommendations = recommendations.filter(started_on__lt=until)
        contacts = contacts.filter(on__lt=until)
    return {
        "cadre_recommendations": recommendations.select_related(
            "current_step", "post", "target_org", "owner"
        ).order_by("-started_on"),
        "cadre_contacts": contacts.order_by("-on"),
        "cadre_can_change": scope.can(Cap.CHANGE) and until is None,
    }
