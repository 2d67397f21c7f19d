"""The statistics of 组织发展 (docs/STATS-recruitment.md): the ``recruitment`` section —
applications by step on ``as_of`` and the new members of the period with their quality — and
the ``recruitment_plans`` section, the plans in force against their targets. Every figure comes
from tongxin.recruitment.selectors and links to the list that shows exactly its records.

Each top-level key is a column group of the report's tables (tongxin.stats.tables), so the
figures are kept in groups that fit a page across.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tongxin.core.figures import Figure, Figures, StatsSection
from tongxin.core.scope import Scope
from tongxin.core.tally import count

from . import selectors

LABELS = {
    "in_progress": "办理中的申请",
    "admitted": "新成员",
    "average_age": "入会时平均年龄",
    "mid_title_or_above": "中级及以上职称",
    "senior_title": "副高级及以上职称",
    "postgraduate": "硕士及以上学位",
    "upper_middle": "中上层人士",
    "by_step": "办理中的申请按已完成的步骤",
    "title_level": "新成员职称级别",
    "degree": "新成员学位",
    "sector": "新成员界别",
    "programmes": "优才工程新成员",
}
PLAN_LABELS = {"in_force": "执行中的计划", "target": "目标", "actual": "完成"}


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    in_progress = selectors.ApplicationFilter(as_of=as_of)
    open_then = selectors.application_list(scope=scope, org=org, filters=in_progress)
    quality = selectors.admission_figures(
        scope=scope, org=org, filters=selectors.AdmissionFilter(period_start, as_of)
    )
    return {
        "in_progress": count(
            open_then, selectors.list_url("recruitment:index", in_progress.params(org))
        ),
        "admitted": quality["total"],
        **{
            key: quality[key]
            for key in (
                "average_age",
                "mid_title_or_above",
                "senior_title",
                "postgraduate",
                "upper_middle",
            )
        },
        "by_step": selectors.by_stage(scope=scope, org=org, as_of=as_of),
        **{key: quality[key] for key in ("title_level", "degree", "sector", "programmes")},
    }


def compute_plans(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    """Each target of the plans in force on ``as_of``: its value and what was done by then."""
    plans = selectors.plans_in_force(scope=scope, org=org, on=as_of)
    listed = {"org": org.pk, "as_of": as_of.isoformat(), "in_force": "1"}
    figures: Figures = {"in_force": count(plans, selectors.list_url("recruitment:plans", listed))}
    for plan in plans.order_by("org__path", "kind", "start_year"):
        url = f"{reverse('recruitment:plan', args=[plan.pk])}?as_of={as_of.isoformat()}"
        for progress in selectors.plan_progress(scope=scope, plan=plan, on=as_of):
            owner = "" if plan.org_id == org.pk else plan.org.display_name
            key = f"{owner}{plan.title} · {progress.target.label}"
            figures[key] = {
                "target": Figure(float(progress.target.value), None, url),
                "actual": progress.actual,
            }
    return figures


recruitment_section = StatsSection(
    key="recruitment", label="组织发展", compute=compute, labels=LABELS
)
plans_section = StatsSection(
    key="recruitment_plans",
    label="发展计划",
    compute=compute_plans,
    labels=PLAN_LABELS,
)
