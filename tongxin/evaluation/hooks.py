"""What the evaluation app adds to the shared pages (tongxin.core.extensions)."""

from __future__ import annotations

from django.urls import reverse

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.core.extensions import Tab, WorkbenchCard
from tongxin.core.scope import subtree_q

from .models import EvaluationRound, Score
from .stats import evaluation_section
from .views.honours import person_tab_context
from .views.org_honours import org_tab_context as _org_honours_tab

extensions.register(
    "person_tabs",
    Tab("honours", "表彰", "evaluation/_person_tab.html", person_tab_context),
    order=40,
)

extensions.register("stats_sections", evaluation_section, order=80)
# 荣誉 of the organization itself (全国基层组织建设先进单位 …), counted by level.
extensions.register(
    "org_tabs",
    Tab("honours", "荣誉", "evaluation/_org_honours_tab.html", _org_honours_tab),
    order=60,
)

# Scores and awards are decisions; honours (people.Honor) are audited with the people models.
extensions.register(
    "audited_models",
    [
        "evaluation.Rubric",
        "evaluation.RubricItem",
        "evaluation.EvaluationRound",
        "evaluation.Score",
        "evaluation.Award",
        "evaluation.OrgHonor",
    ],
    order=60,
)


@extensions.register("workbench_cards", order=60)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Open rounds of the subtree with manual items not yet reviewed (for reviewers), or the
    own branch's self-assessment still to fill in (for a branch chair)."""
    open_rounds = EvaluationRound.objects.filter(status=EvaluationRound.Status.OPEN)
    cards = []
    if scope.can(Cap.CHANGE):
        waiting = Score.objects.filter(
            round__in=open_rounds.filter(subtree_q(org.path, "org__path")),
            item__calculator="",
            review_points__isnull=True,
        )
        count = waiting.values("round", "org").distinct().count()
        if count:
            rounds = list(waiting.values_list("round", flat=True).distinct()[:2])
            url = (
                reverse("evaluation:round", args=[rounds[0]])
                if len(rounds) == 1
                else reverse("evaluation:index")
            )
            cards.append(
                WorkbenchCard("考评待评分", count, url, "bi-clipboard-check", "", "支部评分表")
            )
    elif scope.can(Cap.RECORD_ACTIVITY):
        mine = Score.objects.filter(
            scope.q("org__path"), subtree_q(org.path, "org__path"), round__in=open_rounds
        )
        blank = mine.filter(self_points__isnull=True)
        count = blank.values("round", "org").distinct().count()
        if count:
            first = blank.values_list("round", "org").first()
            cards.append(
                WorkbenchCard(
                    "考评自评待填",
                    count,
                    reverse("evaluation:sheet", args=list(first)),
                    "bi-pencil-square",
                    "",
                    "本支部评分表",
                )
            )
    return cards


@extensions.register("seed_demo", order=60)
def seed_demo(*, root, today, rng) -> list[str]:
    from .demo import seed

    return seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=60)
def reset_demo(*, root) -> None:
    from .demo import reset

    reset(root=root)
