"""The ``coverage`` section of the statistics (COVERAGE.md; the keys are stable).

Every count is the length of the registry list (``selectors.coverage_list``) with the figure's
filters; the rates are taken over the list of the organizations they divide by, and
``party_members`` sums the members of the organizations that have any."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse

from tongxin.core.figures import Figure, Figures, StatsSection, share
from tongxin.core.scope import Scope
from tongxin.core.tally import Measure, Spec, Total, tally

from . import selectors
from .models import MassKind, NewOrgKind, PartyForm

LABELS = {
    "registered": "两新组织（个）",
    "enterprises": "企业",
    "social_organizations": "社会组织",
    "above_size": "规模以上",
    "party": "党组织形式",
    "party_covered": "党组织覆盖",
    "party_rate": "党组织覆盖率（%）",
    "above_size_party_rate": "规上党组织覆盖率（%）",
    "union": "建立工会",
    "youth_league": "建立团组织",
    "women": "建立妇女组织",
    "all_four": "党工团妇全覆盖",
    "founded": "期内新建",
    "party_members": "党员人数",
}


def list_url(org, filters: selectors.CoverageFilter) -> str:
    return f"{reverse('coverage:index')}?{urlencode({'org': org.pk, **filters.as_query()})}"


def spec() -> Spec:
    return {
        "registered": Measure(),
        "enterprises": Measure({"kind": NewOrgKind.ENTERPRISE}),
        "social_organizations": Measure({"kind": NewOrgKind.SOCIAL}),
        "above_size": Measure({"above_size": True}),
        "party": {label: Measure({"form": form}) for form, label in PartyForm.choices},
        "party_covered": Measure({"covered": True}),
        "above_size_covered": Measure({"above_size": True, "covered": True}),
        "union": Measure({"mass": MassKind.UNION}),
        "youth_league": Measure({"mass": MassKind.YOUTH_LEAGUE}),
        "women": Measure({"mass": MassKind.WOMEN}),
        "all_four": Measure({"all_four": True}),
        "founded": {what: Measure({"founded": what}) for what in selectors.FOUNDED},
        "party_members": Total(F("party_members"), {"with_members": True}),
    }


def table(*, scope: Scope, org, base: selectors.CoverageFilter, spec: Spec) -> Figures:
    """``spec`` counted over the list at ``base`` in one query."""
    return tally(
        selectors.coverage_list(scope=scope, org=org, filters=base),
        spec,
        condition=lambda params: base.with_params(**params).condition(),
        link=lambda params: list_url(org, base.with_params(**params)),
        records=lambda params: selectors.coverage_list(
            scope=scope, org=org, filters=base.with_params(**params)
        ),
    )


def compute(*, scope: Scope, org, as_of: date, period_start: date) -> Figures:
    base = selectors.CoverageFilter(on=as_of, period_start=period_start)
    counts = table(scope=scope, org=org, base=base, spec=spec())
    registered = counts["registered"]
    above_size = counts["above_size"]
    above_size_covered = counts.pop("above_size_covered")
    counts["party_rate"] = Figure(
        share(counts["party_covered"].value, registered.value), registered.records, registered.url
    )
    counts["above_size_party_rate"] = Figure(
        share(above_size_covered.value, above_size.value), above_size.records, above_size.url
    )
    order = [
        "registered",
        "enterprises",
        "social_organizations",
        "above_size",
        "party",
        "party_covered",
        "party_rate",
        "above_size_party_rate",
        "union",
        "youth_league",
        "women",
        "all_four",
        "founded",
        "party_members",
    ]
    return {key: counts[key] for key in order}


def breakdown(*, scope: Scope, org, as_of: date, groups) -> list[tuple[str, Figures]]:
    """The headline counts for each of ``groups`` ((label, org, filter params)): coverage by
    community, by industry."""
    short = {
        "registered": Measure(),
        "party_covered": Measure({"covered": True}),
        "union": Measure({"mass": MassKind.UNION}),
        "youth_league": Measure({"mass": MassKind.YOUTH_LEAGUE}),
        "women": Measure({"mass": MassKind.WOMEN}),
        "all_four": Measure({"all_four": True}),
    }
    rows = []
    for label, node, params in groups:
        base = selectors.CoverageFilter(on=as_of, **params)
        counts = table(scope=scope, org=node, base=base, spec=short)
        registered = counts["registered"]
        counts["party_rate"] = Figure(
            share(counts["party_covered"].value, registered.value),
            registered.records,
            registered.url,
        )
        rows.append((label, counts))
    return rows


coverage_section = StatsSection(
    key="coverage", label="两新组织党群共建", compute=compute, labels=LABELS
)
