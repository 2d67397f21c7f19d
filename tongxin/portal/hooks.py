"""The members' portal's additions through the extension points (tongxin.core.extensions)."""

from __future__ import annotations

from django.urls import reverse

from tongxin.core import extensions
from tongxin.core.caps import Cap
from tongxin.core.extensions import RosterAction, Tab, WorkbenchCard

from . import selectors
from .models import CorrectionState

extensions.register(
    "audited_models",
    [
        ("portal.MemberAccount", {"exclude_fields": ["code_hash"]}),
        "portal.Notice",
        # The person's change is logged on the person (phones masked); here the steps.
        ("portal.CorrectionRequest", {"exclude_fields": ["changes"]}),
        "portal.IdentityCorrection",
        "portal.Draft",
    ],
    order=90,
)


@extensions.register("seed_demo", order=90)
def seed_demo(*, root, today, rng) -> list[str]:
    from . import demo

    return demo.seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=90)
def reset_demo(*, root) -> None:
    from . import demo

    demo.reset(root=root)


def _person_tab(request, person, until=None) -> dict:
    scope = request.scope
    return {
        "member_account": selectors.account_of(person),
        "corrections": selectors.corrections_of(person).select_related("chair_by", "staff_by"),
        "identity_corrections": selectors.identity_corrections_of(person),
        "may_issue": until is None and (scope.can(Cap.CHANGE) or scope.can(Cap.PROPOSE_CHANGE)),
        "may_correct_identity": until is None and scope.can(Cap.CHANGE),
    }


extensions.register(
    "person_tabs",
    Tab("portal", "成员账号与更正", "portal/staff/_person_tab.html", _person_tab),
    order=90,
)


@extensions.register("workbench_cards", order=90)
def workbench_cards(*, scope, org, on) -> list[WorkbenchCard]:
    """Correction requests waiting for the user's step: the chair's, or staff's."""
    steps = []
    if scope.can(Cap.PROPOSE_CHANGE):
        steps.append((CorrectionState.CHAIR, "信息更正待支部审核"))
    if scope.can(Cap.CHANGE):
        steps.append((CorrectionState.STAFF, "信息更正待组织部审核"))
    cards = []
    for state, title in steps:
        count = (
            selectors.corrections_in(scope=scope.narrow(org.path), on=on)
            .filter(state=state)
            .count()
        )
        if count:
            cards.append(
                WorkbenchCard(
                    title=title,
                    count=count,
                    url=f"{reverse('portal:corrections')}?org={org.pk}&state={state}",
                    icon="bi-pencil-square",
                    note="成员提出的本人信息更正",
                )
            )
    return cards


@extensions.register("roster_actions", order=90)
def roster_actions(*, scope, org, query) -> list[RosterAction]:
    """发通知给名册筛选出的成员: the roster's query travels to the notice form, which reads
    the list back through the roster's own selector."""
    if not (scope.can(Cap.CHANGE) or scope.can(Cap.RECORD_ACTIVITY)):
        return []
    return [RosterAction("向这些成员发通知", f"{reverse('portal:notice_new')}?roster=1&{query}")]


@extensions.register("login_refusals", order=90)
def login_refusal(*, user, on) -> str:
    """A member whose membership has ended logs in no more (the rule MemberOnlyMiddleware
    applies to an open session too)."""
    return selectors.member_refusal(user, on)
