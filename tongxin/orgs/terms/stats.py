"""The ``terms`` section of the statistics (STATS.md): committee renewals in the period."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from tongxin.core.figures import Figures, StatsSection
from tongxin.core.scope import Scope

from ..models import Organization
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


def renewal_url(org: Organization, start: date, end: date):
    """The drill-down addresses of a subtree's renewals in ``[start, end]``."""

    def url(set_: str, which: str) -> str:
        query = {"org": org.pk, "from": start.isoformat(), "to": end.isoformat()}
        if which == "terms":
            return f"{reverse('orgs:terms')}?{urlencode(query)}"
        if set_ == "previous":
            query["set"] = "previous"
        if which != "seats":
            query["which"] = which
        return f"{reverse('orgs:term_seats')}?{urlencode(query)}"

    return url


def compute(*, scope: Scope, org: Organization, as_of: date, period_start: date) -> Figures:
    terms = selectors.renewed(scope=scope, org=org, start=period_start, end=as_of)
    figures = selectors.composition_figures(terms, url=renewal_url(org, period_start, as_of))
    return {key: figures[key] for key in KEYS}


terms_section = StatsSection(key="terms", label="换届", compute=compute, labels=LABELS, order=50)
