"""What each domain app adds to the pages it shares with the others.

The workbench, the person file, the organization page and the demo are drawn from every
capability (UI.md), but ``people`` and ``orgs`` may not import the apps built on them
(DESIGN.md: dependencies point one way). Instead, an installed app of the ``tongxin`` package may
have a module ``hooks.py`` that registers what it adds, each with its place among the others::

    from tongxin.core import extensions

    extensions.register("person_tabs", Tab("training", "培训", ...), order=20)

    @extensions.register("workbench_cards", order=30)
    def workbench_cards(*, scope, org, on): ...

and the shared page reads ``extensions.get("person_tabs")``: every registered value, by
``order``. The hooks (``HOOKS``) are:

``workbench_cards``: ``(*, scope, org, on) -> list[WorkbenchCard]``
    to-do cards for the user's subtree at ``org`` on ``on`` (applications waiting, terms due …);
    each card's count comes from a selector and its link opens the list it counts.
``person_tabs``: ``Tab``
    a tab of the person file (后备与考核, 培训, 实践 …), after 基本信息 · 成员关系 · 职务与安排.
``org_tabs``: ``Tab``
    a tab of the organization page (届次与班子, 联系人, 活动 …), after 基本信息.
``seed_demo``: ``(*, root, today, rng) -> list[str]``
    demo records for the demo tree at ``root``, called by ``manage.py seed_demo`` after the
    roster is built and in the same transaction; returns lines for its summary. A seed may read
    the records of the seeds ordered before it.
``reset_demo``: ``(*, root)``
    delete the app's records under the demo tree at ``root`` before ``seed_demo --reset``
    deletes the tree and its people (records that protect an organization or a person first);
    called in the reverse order.
``stats_sections``: ``StatsSection``
    a section of the statistics (tongxin.core.figures), under its own top-level key of
    ``manage.py stats --json`` and on the report page, each figure with its drill-down.
``audited_models``: ``list[str | tuple[str, dict]]``
    the app's models whose every create, update and delete django-auditlog records
    (``"app_label.Model"``, or with auditlog's register options such as ``mask_fields``).
``post_rule_breaches``: ``(*, person, post_kind, title, on) -> list``
    the rules ``person`` breaks by taking a post of ``post_kind`` (``PostKind``) titled
    ``title`` on ``on`` — 不培训不上岗, kept by ``training`` and answered by ``cadres`` — as
    objects with ``blocking`` and ``message``. ``people`` and ``orgs`` ask through
    ``post_rule_check`` before they write a post or an elected seat.
``roster_sheets``: ``RosterSheet``
    an extra sheet of the roster workbook (入库名单 …), checked with the whole file and written
    in the import's transaction after its people, each record it creates undone with the batch
    (tongxin.io.importer).
``import_jobs``: ``() -> int``
    an app's own import batches waiting for the import worker (tongxin.io.jobs), taken up at
    each of its turns after the roster's (``jobs.work_through``); returns how many it handled.
``login_refusals``: ``(*, user, on) -> str``
    why ``user``, whose password has just proved right, may not log in on ``on`` (a member
    whose membership has ended …), in Chinese, or "". The login and the login with a code ask
    every registration (tongxin.accounts.forms.login_refusal); the app that refuses should
    refuse an open session by the same rule.
``roster_actions``: ``(*, scope, org, query) -> list[RosterAction]``
    what the user may do with the list the roster shows (a notice to exactly these members …):
    links that carry ``query``, the roster's own query (its ``org`` always in it), for the app to
    read back through tongxin.people.rosterlist, inside the user's scope.

Every registration names its ``order``, and no two of one hook share one, so that the order of
the tabs, the sections and the demo's seeds is written where they are registered and nowhere
else. ``manage.py check`` refuses a hook name that is not one of these, two registrations of one
hook at the same order, and a hooks module that defines a hook's name without registering it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.checks import Error
from django.core.checks import register as register_check
from django.core.exceptions import ValidationError

HOOKS = (
    "workbench_cards",
    "person_tabs",
    "org_tabs",
    "seed_demo",
    "reset_demo",
    "stats_sections",
    "audited_models",
    "post_rule_breaches",
    "roster_sheets",
    "import_jobs",
    "roster_actions",
    "login_refusals",
)


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
class RosterSheet:
    """An extra sheet of the roster workbook. ``columns`` are tongxin.io.columns.Column;
    ``check(*, rows, person, scope, on, error)`` gets the parsed rows ``(row number, values,
    no cell failed)``, ``person(values, row)`` (the file's or the database's person a row names,
    or None after reporting why) and ``error(row, column, value, reason)``, and returns the
    planned items; ``write(*, items, by)`` writes them after the people and returns the records
    it created, which the batch undoes. ``export(*, scope, org, on)`` gives the sheet's rows of
    a subtree (dicts keyed by column key) for the roster export, which imports back."""

    name: str
    columns: tuple
    check: Callable[..., list]
    write: Callable[..., list]
    export: Callable[..., Any] | None = None


@dataclass(frozen=True)
class RosterAction:
    """A link on the roster's list: ``url`` acts on the members the list shows."""

    label: str
    url: str
    icon: str = "bi-send"


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


@dataclass(frozen=True)
class Registration:
    hook: str
    value: Any
    order: int
    # The module that registered it, for the messages of ``manage.py check``.
    module: str


_registered: list[Registration] = []
_loaded = False


def register(hook: str, value: Any = None, *, order: int):
    """Add ``value`` to ``hook`` at ``order``; without ``value``, a decorator that adds the
    function it decorates. An unknown ``hook`` is kept, for ``manage.py check`` to name it."""
    module = sys._getframe(1).f_globals.get("__name__", "?")

    def add(item):
        _registered.append(Registration(hook, item, order, module))
        return item

    return add if value is None else add(value)


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


def registrations() -> list[Registration]:
    """Every registration, after every hooks module has made its own."""
    global _loaded
    if not _loaded:
        for _module in hook_modules():
            pass
        _loaded = True
    return list(_registered)


def get(hook: str) -> list[Any]:
    """The values registered for ``hook``, by their order."""
    if hook not in HOOKS:
        raise LookupError(f"未知的钩子“{hook}”；可用的钩子：{'、'.join(HOOKS)}。")
    found = [r for r in registrations() if r.hook == hook]
    return [r.value for r in sorted(found, key=lambda r: r.order)]


def post_rule_check(*, person, post_kind: str, title: str, on, refused: str) -> list[str]:
    """Ask every app's ``post_rule_breaches`` about ``person`` taking a post on ``on``: raise a
    ValidationError naming each rule that refuses (its message, then ``refused``, e.g.
    "不能登记实职「副局长」"); return the messages of the rules that only warn. Every way a post
    or a seat is created asks here, so the rule is the same on the person file, in an election
    and at a recommendation's appointment."""
    breaches = [
        breach
        for answer in get("post_rule_breaches")
        for breach in answer(person=person, post_kind=post_kind, title=title, on=on)
    ]
    refusals = [b for b in breaches if b.blocking]
    if refusals:
        raise ValidationError(
            [f"{b.message}。{refused}" for b in refusals], code="training_refused"
        )
    return [b.message for b in breaches]


class register_temporarily:  # noqa: N801  (used as a context manager, like a function)
    """Register ``value`` for the ``with`` block only (for tests)."""

    def __init__(self, hook: str, value: Any, *, order: int):
        registrations()
        self.registration = Registration(hook, value, order, sys._getframe(1).f_globals["__name__"])

    def __enter__(self):
        _registered.append(self.registration)
        return self.registration.value

    def __exit__(self, *exc):
        _registered.remove(self.registration)


@register_check()
def hooks_check(app_configs, **kwargs) -> list[Error]:
    """A misspelt hook would be silently ignored, and two registrations at one order would be
    ordered by chance: refuse both, and a hooks module that defines a hook without registering."""
    errors = []
    seen: dict[tuple[str, int], Registration] = {}
    found = registrations()
    for r in found:
        if r.hook not in HOOKS:
            errors.append(
                Error(
                    f"{r.module} 注册了未知的钩子“{r.hook}”，它不会被任何页面读取。",
                    hint=f"可用的钩子：{'、'.join(HOOKS)}（tongxin.core.extensions）。",
                    id="tongxin.core.E001",
                )
            )
        elif (r.hook, r.order) in seen:
            errors.append(
                Error(
                    f"钩子“{r.hook}”的 order={r.order} 被注册了两次："
                    f"{seen[r.hook, r.order].module} 与 {r.module}。",
                    hint="每个注册的 order 须各不相同，页面、统计与演示数据依此排序。",
                    id="tongxin.core.E002",
                )
            )
        else:
            seen[r.hook, r.order] = r
    registered = {id(r.value) for r in found}
    for module in hook_modules():
        for hook in HOOKS:
            for name in (hook, hook.upper()):
                value = getattr(module, name, None)
                if value is not None and id(value) not in registered:
                    errors.append(
                        Error(
                            f"{module.__name__} 定义了 {name} 却没有注册，它会被忽略。",
                            hint=f'用 extensions.register("{hook}", …, order=…) 注册。',
                            id="tongxin.core.E003",
                        )
                    )
    return errors
