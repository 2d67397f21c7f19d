"""The workbench (工作台): the home page of every user, drawing on every capability."""

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views import defaults

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


# Seconds a browser or client is told to wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 10


def server_error(request):
    """The 500 page, except when the database could not be reached or used (PostgreSQL
    restarting, a connection cut, SQLite locked past its wait): then 503 — nothing was saved,
    try again shortly. Django calls this while handling the exception, which is how it is
    known. Rendered without the request, like the 500 page: the menu would ask the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
