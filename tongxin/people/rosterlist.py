"""The roster as its address asks for it, read one way: by the roster page, and by whatever acts
on the list the page shows (a notice to exactly those members, through the ``roster_actions``
hook). The filters are the roster form's, the people the roster selector's, inside the scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.db.models import QuerySet

from tongxin.core.figures import default_period_start
from tongxin.core.scope import Scope
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization

from . import selectors
from .forms import RosterFilterForm
from .models import Person


@dataclass
class RosterList:
    """The filtered roster of ``org``'s subtree: ``form`` holds what the address asked for (a
    filter that does not validate is in its errors and dropped), ``filters`` what applies, on
    ``on`` (the list's date: ``as_of``, else ``today``)."""

    org: Organization
    form: RosterFilterForm
    filters: selectors.RosterFilter
    on: date
    today: date

    def people(self, scope: Scope) -> QuerySet[Person]:
        return selectors.roster(scope=scope, org=self.org, on=self.on, filters=self.filters)

    @property
    def is_current(self) -> bool:
        """Whether the list is of today's members (no past date, no flow of a period)."""
        return not self.filters.flow and self.on == self.today

    def invalid(self) -> list[str]:
        """The filters of the address that do not validate, each named: "性别（…）"."""
        return [
            f"{self.form.fields[name].label}（{'；'.join(errors)}）"
            for name, errors in self.form.errors.items()
            if name in self.form.fields
        ]

    def description(self) -> list[str]:
        """The list's conditions in words, the node first: "组织：某某支部（含下级组织）",
        "性别：女", "学历：研究生" …"""
        parts = [f"组织：{self.org.name}（含下级组织）"]
        data = getattr(self.form, "cleaned_data", {})
        for name, field in self.form.fields.items():
            value = data.get(name)
            if name == "sort" or value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField):
                shown = dict((str(k), str(v)) for k, v in field.choices).get(str(value), value)
            elif isinstance(value, date):
                shown = value.isoformat()
            else:
                shown = f"「{value}」"
            parts.append(f"{field.label}：{shown}")
        return parts


def roster_list(*, scope: Scope, org: Organization, data, today: date) -> RosterList:
    """The roster list ``data`` (a query dict: the roster page's address) asks for."""
    branches = org_selectors.subtree(scope=scope, org=org, on=today)
    form = RosterFilterForm(data, branches=branches)
    form.is_valid()
    # A filter that does not validate is dropped (and named); the others still apply.
    cleaned = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    filters = selectors.RosterFilter(**cleaned)
    on = filters.as_of or today
    if filters.flow and not filters.period_start:
        filters.period_start = default_period_start(on)
    return RosterList(org=org, form=form, filters=filters, on=on, today=today)
