"""The ``terms`` section of the statistics (STATS.md): committee renewals in the period."""

from __future__ import annotations

from datetime import date

from tongxin.core.figures import Figures, StatsSection
from tongxin.core.http import url_with_query
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization

from . import selectors

# The keys of STATS.md's section; ``composition_figures`` has one more (previous_seats), which
# the sentence needs and the section leaves out.
KEYS = (
    "renewed", "seats", "re_elected", "newcomers", "chairs", "chairs_re_elected",
    "average_age", "previous_average_age", "women", "previous_women",
    "college_or_above", "previous_college_or_above", "voters_entitled", "voters_voted",
)  # fmt: skip

LABELS = {
    "renewed": "换届组织",
    "seats": "新一届班子席位",
    "re_elected": "连任",
    "newcomers": "新进",
    "chairs": "主要负责人",
    "chairs_re_elected": "主要负责人连任",
    "average_age": "平均年龄",
    "previous_average_age": "上届平均年龄",
    "women": "女性",
    "previous_women": "上届女性",
    "college_or_above": "大专及以上学历",
    "previous_college_or_above": "上届大专及以上学历",
    "voters_entitled": "应参加选举人数",
    "voters_voted": "实际参加投票人数",
}


def drill_down(query: dict):
    """``url(set, which)`` for the figures of the terms ``query`` selects on the seats list
    (``{"term": pk}`` for one term, ``{"org", "from", "to"}`` for a period's renewals)."""

    def url(set_: str, which: str) -> str:
        if which == "terms":
            return url_with_query("terms:terms", **query)
        if which in ("entitled", "voted"):
            # A sum over the elections: their list with the column added up.
            return url_with_query("terms:terms", **query, sum=which)
        extra = {"set": "previous"} if set_ == "previous" else {}
        if which != "seats":
            extra["which"] = which
        return url_with_query("terms:term_seats", **query, **extra)

    return url


def compute(*, scope: Scope, org: Organization, as_of: date, period_start: date) -> Figures:
    terms = selectors.renewed(scope=scope, org=org, start=period_start, end=as_of)
    query = {"org": org.pk, "from": period_start.isoformat(), "to": as_of.isoformat()}
    figures = selectors.composition_figures(terms, url=drill_down(query))
    return {key: figures[key] for key in KEYS}


terms_section = StatsSection(key="terms", label="换届", compute=compute, labels=LABELS)
