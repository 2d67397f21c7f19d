"""The ``evaluation`` section of the statistics: places in the year's rounds, awards decided
and honours received, for a subtree and a period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tongxin.core.figures import Figure, Figures, StatsSection
from tongxin.core.http import url_with_query
from tongxin.core.scope import Scope
from tongxin.core.tally import count
from tongxin.orgs.models import Organization

from . import selectors
from .models import AwardKind

LABELS = {
    "branches_scored": "参评支部次",
    "average_total": "平均总分",
    "first_places": "第一名",
    "top_three": "前三名",
    "awards": "先进评选",
    "honours": "成员获表彰",
    "honour_records": "表彰荣誉项次",
}


def _url(name: str, org: Organization, start: date, end: date, **extra) -> str:
    query = {"org": org.pk, "from": start.isoformat(), "to": end.isoformat(), **extra}
    return url_with_query(name, **query)


def compute(*, scope: Scope, org: Organization, as_of: date, period_start: date) -> Figures:
    entries = selectors.scored_entries(scope=scope, org=org, start=period_start, end=as_of)
    standings_url = _url("evaluation:standings", org, period_start, as_of)
    totals = [e.standing.total for e in entries]
    average = float(round(sum(totals, Decimal(0)) / len(totals), 1)) if totals else 0.0
    # A branch's place in a round is not a row of one table: these figures' lists are the
    # standings page, which shows exactly the places counted.
    figures: Figures = {
        "branches_scored": Figure(len(entries), None, standings_url),
        "average_total": Figure(average, None, standings_url),
        "first_places": Figure(
            sum(1 for e in entries if e.standing.rank == 1),
            None,
            _url("evaluation:standings", org, period_start, as_of, rank=1),
        ),
        "top_three": Figure(
            sum(1 for e in entries if e.standing.rank <= 3),
            None,
            _url("evaluation:standings", org, period_start, as_of, rank=3),
        ),
    }
    awards = {}
    for kind, label in AwardKind.choices:
        found = selectors.awards_under(
            scope=scope, org=org, start=period_start, end=as_of, kind=kind
        )
        awards[label] = count(found, _url("evaluation:awards", org, period_start, as_of, kind=kind))
    honours, records = {}, {}
    for level, label in selectors.HONOUR_LEVELS.items():
        window = dict(scope=scope, org=org, start=period_start, end=as_of, level=level)
        people = selectors.honoured_people(**window)
        honours[label] = count(
            people, _url("evaluation:honours", org, period_start, as_of, level=level, per="person")
        )
        found = selectors.honours_under(**window)
        records[label] = count(
            found, _url("evaluation:honours", org, period_start, as_of, level=level)
        )
    figures["awards"] = awards
    figures["honours"] = honours
    figures["honour_records"] = records
    return figures


evaluation_section = StatsSection(
    key="evaluation", label="考评表彰", compute=compute, labels=LABELS
)
