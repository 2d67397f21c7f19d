"""What 两新组织党群共建 adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.core.extensions import WorkbenchCard

from . import jobs, selectors
from .stats import coverage_section

extensions.register(
    "audited_models",
    [
        "coverage.NewOrganization",
        "coverage.PartyOrgForm",
        "coverage.MassOrganization",
        "coverage.PartyMemberCount",
        "coverage.InstructorAssignment",
        "coverage.InstructorVisit",
    ],
    order=85,
)

extensions.register("stats_sections", coverage_section, order=85)

# The registry workbook uploaded from the page is checked and written by the import worker.
extensions.register("import_jobs", jobs.run_pending, order=85)

_NOTES = {
    selectors.Gap.ABOVE_SIZE_NO_PARTY: "规模以上两新组织尚无党组织（单独或联合组建）",
    selectors.Gap.QUALIFIES_SINGLE: "党员3人以上、具备单独组建条件而未单独组建",
    selectors.Gap.NO_MASS: "已有党组织，工会、团组织、妇女组织未建齐",
}


@extensions.register("workbench_cards", order=85)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """The gaps lists: each card opens exactly the organizations it counts."""
    if not scope.can(Cap.VIEW):
        return []
    cards = []
    for gap in selectors.Gap:
        filters = selectors.CoverageFilter(on=on, gap=gap)
        count = selectors.coverage_list(scope=scope, org=org, filters=filters).count()
        if not count:
            continue
        query = urlencode({"org": org.pk, **filters.as_query()})
        cards.append(
            WorkbenchCard(
                title=gap.label,
                count=count,
                url=f"{reverse('coverage:index')}?{query}",
                icon="bi-building",
                tone="warning",
                note=_NOTES[gap],
            )
        )
    return cards


@extensions.register("seed_demo", order=85)
def seed_demo(*, root, today, rng) -> list[str]:
    from . import demo

    return demo.seed_demo(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=85)
def reset_demo(*, root) -> None:
    from . import demo

    demo.reset_demo(root=root)
