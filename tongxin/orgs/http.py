"""The organization a page is asked about, read one way by every app's views."""

from __future__ import annotations

from . import selectors
from .models import Organization


def org_param(request, name: str = "org") -> Organization | None:
    """The organization ``?org=`` names (404 outside the user's scope, 400 for a value that is
    no id), else the scope's first node; None for a user without one."""
    return selectors.chosen_org(scope=request.scope, value=request.GET.get(name))
