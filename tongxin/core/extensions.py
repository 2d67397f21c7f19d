"""What each domain app adds to the pages it shares with the others.

The workbench, the person file, the organization page and the demo are drawn from every
capability (UI.md), but ``people`` and ``orgs`` may not import the apps built on them
(DESIGN.md: dependencies point one way). Instead, an installed app of the ``tongxin`` package may
have a module ``hooks.py`` that defines any of:

``workbench_cards(*, scope, org, on) -> list[WorkbenchCard]``
    to-do cards for the user's subtree at ``org`` on ``on`` (applications waiting, terms due …);
    each card's count comes from a selector and its link opens the list it counts.
``PERSON_TABS: list[Tab]``
    tabs of the person file (后备与考核, 培训, 实践 …), after 基本信息 · 成员关系 · 职务与安排.
``ORG_TABS: list[Tab]``
    tabs of the organization page (届次与班子, 联系人, 活动 …), after 基本信息.
``seed_demo(*, root, today, rng) -> list[str]``
    demo records for the demo tree at ``root``, called by ``manage.py seed_demo`` after the
    roster is built and in the same transaction; returns lines for its summary.
``STATS_SECTIONS: list[StatsSection]``
    the app's sections of the statistics (tongxin.core.figures), each under its own top-level
    key of ``manage.py stats --json`` and on the report page, each figure with its drill-down.
``AUDITED_MODELS: list[str | tuple[str, dict]]``
    the app's models whose every create, update and delete django-auditlog records
    (``"app_label.Model"``, or with auditlog's register options such as ``mask_fields``).
``post_rule_breaches(*, person, post_kind, title, on) -> list``
    the rules ``person`` breaks by taking a post of ``post_kind`` (``PostKind``) titled
    ``title`` on ``on`` — 不培训不上岗, kept by ``training`` and answered by ``cadres`` — as
    objects with ``blocking`` and ``message``. ``people`` and ``orgs`` ask through
    ``post_rule_check`` before they write a post or an elected seat.
``reset_demo(*, root)``
    delete the app's records under the demo tree at ``root`` before ``seed_demo --reset``
    deletes the tree and its people (records that protect an organization or a person first).

Apps are visited in INSTALLED_APPS order, so that the order of the menu and the tabs is stable.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class WorkbenchCard:
    """One to-do card: ``count`` records need attention; ``url`` lists exactly them."""

    title: str
    count: int
    url: str
    icon: str = "bi-list-check"
    # "warning" or "danger" for overdue and blocked items; "" for plain to-dos.
    tone: str = ""
    note: str = ""


@dataclass(frozen=True)
class Tab:
    """A tab of a file page. ``context(request, obj)`` returns what ``template`` needs; it is
    called only when the tab is open, with an object the user's scope already holds, and must
    itself read through the scope (``request.scope``).

    A person tab's context also takes ``until``: when it is a date, the person left the user's
    scope for another organization that day (people.selectors.left_scope_on), and the tab lists
    only the records dated before it, and offers no change."""

    key: str
    label: str
    template: str
    context: Callable[[Any, Any], dict] = field(default=lambda request, obj: {})


def hook_modules() -> Iterator[Any]:
    """The ``hooks`` module of every installed tongxin app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("tongxin."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.hooks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.hooks":
                raise


def collect(name: str) -> list[Any]:
    """The attribute ``name`` of every hooks module that defines it."""
    return [getattr(module, name) for module in hook_modules() if hasattr(module, name)]


# The person file's tabs in the order of UI.md (后备与考核, 培训, 实践, 表彰, 参政议政);
# tabs it does not name follow, in the order of INSTALLED_APPS.
TAB_ORDER = {"PERSON_TABS": ("cadres", "training", "practice", "honours", "contributions")}


def tabs(name: str) -> list[Tab]:
    """``PERSON_TABS`` or ``ORG_TABS`` of every app, in the order of UI.md."""
    found = [tab for app_tabs in collect(name) for tab in app_tabs]
    order = TAB_ORDER.get(name, ())
    return sorted(found, key=lambda tab: order.index(tab.key) if tab.key in order else len(order))


def post_rule_check(*, person, post_kind: str, title: str, on, refused: str) -> list[str]:
    """Ask every app's ``post_rule_breaches`` about ``person`` taking a post on ``on``: raise a
    ValidationError naming each rule that refuses (its message, then ``refused``, e.g.
    "不能登记实职「副局长」"); return the messages of the rules that only warn. Every way a post
    or a seat is created asks here, so the rule is the same on the person file, in an election
    and at a recommendation's appointment."""
    breaches = [
        breach
        for answer in collect("post_rule_breaches")
        for breach in answer(person=person, post_kind=post_kind, title=title, on=on)
    ]
    refusals = [b for b in breaches if b.blocking]
    if refusals:
        raise ValidationError(
            [f"{b.message}。{refused}" for b in refusals], code="training_refused"
        )
    return [b.message for b in breaches]
