"""The ``recruitment`` section of the statistics (docs/STATS-recruitment.md): applications by
step on ``as_of``, the new members of the period and their quality, and the plans in force
against their targets. Every figure comes from tongxin.recruitment.selectors and links to the
list that shows exactly its records."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tongxin.core.figures import Figure, Figures, StatsSection
from tongxin.core.scope import Scope

from . import selectors

LABELS = {
    "applications": "入会申请",
    "in_progress": "办理中",
    "by_step": "按已完成的步骤",
    "admitted": "新成员（期间内入会）",
    "total": "合计",
    "average_age": "入会时平均年龄",
    "title_level": "职称级别",
    "mid_title_or_above": "中级及以上职称",
    "senior_title": "副高级及以上职称",
    "degree": "学位",
    "postgraduate": "硕士及以上学位",
    "sector": "界别",
    "programmes": "优才工程",
    "plans": "发展计划",
    "target": "目标",
    "actual": "完成",
}


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    by_step = selectors.by_stage(scope=scope, org=org, as_of=as_of)
    in_progress = selectors.ApplicationFilter(as_of=as_of)
    open_then = selectors.application_list(scope=scope, org=org, filters=in_progress)
    quality = selectors.admission_figures(
        scope=scope, org=org, filters=selectors.AdmissionFilter(period_start, as_of)
    )
    plans = {}
    for plan in selectors.plans_in_force(scope=scope, org=org, on=as_of).order_by(
        "org__path", "kind", "start_year"
    ):
        plans[f"{plan.org.display_name}{plan.title}"] = {
            progress.target.label: {
                "target": Figure(float(progress.target.value), None, _plan_url(plan, as_of)),
                "actual": progress.actual,
            }
            for progress in selectors.plan_progress(scope=scope, plan=plan, on=as_of)
        }
    return {
        "applications": {
            "in_progress": Figure(
                open_then.count(),
                open_then,
                selectors.list_url("recruitment:index", in_progress.params(org)),
            ),
            "by_step": by_step,
        },
        "admitted": quality,
        "plans": plans,
    }


def _plan_url(plan, as_of: date) -> str:
    return f"{reverse('recruitment:plan', args=[plan.pk])}?as_of={as_of.isoformat()}"


recruitment_section = StatsSection(
    key="recruitment", label="组织发展", compute=compute, labels=LABELS, order=30
)
