"""The workbench (工作台): the home page of every user, drawing on every capability."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.orgs import selectors as org_selectors
from tongxin.stats import charts as stats_charts
from tongxin.stats import selectors as stats_selectors


@login_required
def workbench(request):
    on = timezone.localdate()
    cards = []
    for org in org_selectors.scope_roots(scope=request.scope):
        # The headline's figures are the statistics' own, each with its list.
        figures = stats_selectors.headline(scope=request.scope, org=org, as_of=on)
        todos = [
            card
            for cards_of in extensions.get("workbench_cards")
            for card in cards_of(scope=request.scope, org=org, on=on)
        ]
        charts = []
        if request.scope.can(Cap.DASHBOARD):
            charts = stats_charts.workbench(scope=request.scope, org=org, as_of=on)
        cards.append({"org": org, "figures": figures, "todos": todos, "charts": charts})
    context = {"cards": cards, "on": on, "nav_active": "workbench"}
    context["has_charts"] = any(card["charts"] for card in cards)
    return render(request, "core/workbench.html", context)


def bad_request(request, exception):
    """The 400 page inside the application's frame, saying which part of the address is wrong
    (tongxin/core/http.py). Other refusals (a forged host, a broken session) keep the general
    text: their messages are Django's, in English, and tell an attacker more than the user."""
    reason = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"reason": reason}, status=400)
