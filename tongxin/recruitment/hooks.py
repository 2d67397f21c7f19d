"""What 组织发展 adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tongxin.core import extensions
from tongxin.core.extensions import Tab, WorkbenchCard

from . import selectors
from .stats import plans_section, recruitment_section

extensions.register(
    "audited_models",
    [
        "recruitment.Application",
        "recruitment.StepRecord",
        "recruitment.Introducer",
        "recruitment.RuleWarning",
        "recruitment.Refusal",
        ("recruitment.Attachment", {"exclude_fields": ["file"]}),
        "recruitment.DevelopmentPlan",
        "recruitment.PlanTarget",
        "recruitment.Procedure",
        "recruitment.Step",
        "recruitment.Rule",
        "recruitment.Programme",
    ],
    order=40,
)


@extensions.register("workbench_cards", order=40)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Applications in progress, those past a deadline or refused by a rule, and plans behind
    their schedule; each card opens the list it counts."""
    url = selectors.list_url
    in_progress = selectors.ApplicationFilter(as_of=on)
    open_now = selectors.application_list(scope=scope, org=org, filters=in_progress).count()
    cards = [
        WorkbenchCard(
            title="办理中的入会申请",
            count=open_now,
            url=url("recruitment:index", in_progress.params(org)),
            icon="bi-person-plus",
            note="待记录下一步骤",
        )
    ]
    for flag, title, icon, tone in (
        ("overdue", "超过办理时限的申请", "bi-hourglass-bottom", "warning"),
        ("blocked", "被规则拒绝的申请", "bi-slash-circle", "danger"),
    ):
        filters = selectors.ApplicationFilter(as_of=on, flag=flag)
        count = selectors.application_list(scope=scope, org=org, filters=filters).count()
        if count:
            cards.append(
                WorkbenchCard(
                    title=title,
                    count=count,
                    url=url("recruitment:index", filters.params(org)),
                    icon=icon,
                    tone=tone,
                )
            )
    behind = selectors.plans_behind(scope=scope, org=org, on=on).count()
    if behind:
        cards.append(
            WorkbenchCard(
                title="进度落后的发展计划",
                count=behind,
                url=f"{reverse('recruitment:plans')}?org={org.pk}&behind=1",
                icon="bi-graph-down-arrow",
                tone="warning",
            )
        )
    return cards


def person_tab_context(request, person, until=None) -> dict:
    applications = (
        selectors.applications_in(scope=request.scope)
        .filter(person=person)
        .select_related("branch", "spell", "programme")
    )
    if until is not None:
        applications = applications.filter(applied_on__lt=until)
    return {"person_applications": applications}


def org_tab_context(request, org) -> dict:
    """The organization page's 组织发展 tab: its subtree's applications by step today, its
    new members this year, and its plans in force."""
    on = timezone.localdate()
    scope = request.scope
    this_year = selectors.AdmissionFilter(on.replace(month=1, day=1), on)
    plans = selectors.plans_in_force(scope=scope, org=org, on=on).filter(org=org)
    return {
        "recruitment_on": on,
        "recruitment_by_stage": selectors.by_stage(scope=scope, org=org, as_of=on),
        "recruitment_admitted": selectors.count_figure(scope, org, this_year),
        "recruitment_plans": [
            (plan, selectors.plan_progress(scope=scope, plan=plan, on=on)) for plan in plans
        ],
    }


extensions.register(
    "org_tabs",
    Tab("recruitment", "组织发展", "recruitment/_org_tab.html", org_tab_context),
    order=20,
)
extensions.register(
    "person_tabs",
    Tab("recruitment", "入会申请", "recruitment/_person_tab.html", person_tab_context),
    order=60,
)

extensions.register("stats_sections", recruitment_section, order=30)
extensions.register("stats_sections", plans_section, order=31)


@extensions.register("seed_demo", order=40)
def seed_demo(*, root, today, rng) -> list[str]:
    from .demo import seed

    return seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=40)
def reset_demo(*, root) -> None:
    from .demo import reset

    reset(root=root)
