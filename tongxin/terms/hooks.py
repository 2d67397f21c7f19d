"""What terms and elections add to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from tongxin.core import extensions
from tongxin.core.extensions import Tab, WorkbenchCard
from tongxin.core.http import url_with_query

from . import selectors as terms
from .stats import terms_section
from .views import org_tab_context

# Who sits on which committee, and the votes that decided it.
extensions.register(
    "audited_models",
    ["terms.Term", "terms.Election", "terms.ElectionCandidate", "terms.TermSeat"],
    order=10,
)

extensions.register(
    "org_tabs", Tab("terms", "届次与班子", "terms/_terms_tab.html", org_tab_context), order=10
)


# (list key, selector, title, icon, tone, note)
DUE_CARDS = (
    ("soon", terms.due_soon, "六个月内届满", "bi-hourglass-split", "warning", "请筹备换届"),
    (
        "overdue",
        terms.overdue,
        "已届满未换届",
        "bi-exclamation-octagon",
        "danger",
        "超过应届满日期",
    ),
)


@extensions.register("workbench_cards", order=10)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Terms falling due within six months, and terms past their due end without an election."""
    cards = []
    for key, selector, title, icon, tone, note in DUE_CARDS:
        count = selector(scope=scope, org=org, on=on).count()
        if count:
            url = url_with_query("terms:terms", org=org.pk, due=key)
            cards.append(WorkbenchCard(title, count, url, icon, tone, note))
    return cards


extensions.register("stats_sections", terms_section, order=50)


@extensions.register("seed_demo", order=10)
def seed_demo(*, root, today, rng) -> list[str]:
    from .demo import seed

    return seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=10)
def reset_demo(*, root) -> None:
    from .demo import reset

    reset(root=root)
