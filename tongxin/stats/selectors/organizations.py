"""Organizations at a date (STATS.md: ``organizations``)."""

from __future__ import annotations

from datetime import date

from tongxin.core import codes
from tongxin.core.figures import Figure, Figures
from tongxin.core.scope import Scope
from tongxin.core.tally import Measure, Spec, tally
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.kinds import kind_choices

from .base import org_list_link

# 基层组织 on the workbench: the grassroots kinds.
GRASSROOTS_KINDS = (
    codes.OrgKind.GRASSROOTS_COMMITTEE.value,
    codes.OrgKind.GENERAL_BRANCH.value,
    codes.OrgKind.BRANCH.value,
)


def organizations_spec() -> Spec:
    return {
        "total": Measure(),
        # Every kind of the table, the administrator's additions with them (STATS.md).
        "by_kind": {name: Measure({"kind": [code]}) for code, name in kind_choices()},
        "by_category": {
            name: Measure({"category": name}) for name in org_selectors.category_names()
        },
    }


def count_organizations(*, scope: Scope, org, as_of: date, spec: Spec) -> Figures:
    return tally(
        org_selectors.organizations_at(scope=scope, org=org, on=as_of),
        spec,
        condition=lambda params: org_selectors.org_q(
            kinds=params.get("kind", ()), category=params.get("category", ""), within=org.path
        ),
        link=org_list_link(org, as_of),
    )


def organizations(*, scope: Scope, org, as_of: date, period_start: date | None = None) -> Figures:
    """Nodes under ``org`` established and not dissolved on ``as_of``: total, by kind (every
    kind of the code table) and by category (every category), in one query."""
    return count_organizations(scope=scope, org=org, as_of=as_of, spec=organizations_spec())


def organizations_total(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figure:
    return count_organizations(scope=scope, org=org, as_of=as_of, spec={"total": Measure()})[
        "total"
    ]


def organizations_by_kind(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figures:
    spec = {"by_kind": organizations_spec()["by_kind"]}
    return count_organizations(scope=scope, org=org, as_of=as_of, spec=spec)["by_kind"]


def organizations_by_category(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figures:
    spec = {"by_category": organizations_spec()["by_category"]}
    return count_organizations(scope=scope, org=org, as_of=as_of, spec=spec)["by_category"]


def grassroots_organizations(
    *, scope: Scope, org, as_of: date, period_start: date | None = None
) -> Figure:
    """基层组织: grassroots committees, general branches and branches under ``org``."""
    spec = {"grassroots": Measure({"kind": list(GRASSROOTS_KINDS)})}
    return count_organizations(scope=scope, org=org, as_of=as_of, spec=spec)["grassroots"]
