"""The workbench (工作台): the home page of every user, drawing on every capability."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from tongxin.core import extensions
from tongxin.core.codes import OrgKind
from tongxin.orgs import selectors as org_selectors
from tongxin.people import selectors as people_selectors


@login_required
def workbench(request):
    on = timezone.localdate()
    cards = []
    for org in org_selectors.scope_roots(scope=request.scope):
        figures = people_selectors.headline(scope=request.scope, org=org, on=on)
        branches = (
            org_selectors.subtree(scope=request.scope, org=org, on=on)
            .exclude(pk=org.pk)
            .filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.GRASSROOTS_COMMITTEE])
            .count()
        )
        todos = [
            card
            for cards_of in extensions.collect("workbench_cards")
            for card in cards_of(scope=request.scope, org=org, on=on)
        ]
        cards.append({"org": org, "figures": figures, "branches": branches, "todos": todos})
    return render(
        request, "core/workbench.html", {"cards": cards, "on": on, "nav_active": "workbench"}
    )
