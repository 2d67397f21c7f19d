"""Every number drills down (DESIGN.md principle 3): on the demo data, each count on the report
and the dashboard opens a list, and the list has that many rows."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.stats.conftest import DEMO_TODAY
from tongxin.core.figures import leaves
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.stats import sections

pytestmark = pytest.mark.django_db

# A figure's link; ``data-counts`` marks a count, whose list has that many rows (an average or
# a sum links to the records it is taken over).
LINK = re.compile(r'<a href="([^"]+)" data-figure="([^"]+)"( data-counts)?>')
COUNT = re.compile(r'data-count="(\d+)"')
TABLE = re.compile(r'<table [^>]*data-section="([^"]+)"[^>]*>(.*?)</table>', re.S)
# The sections of STATS.md this app computes; other apps check their own sections' lists.
CORE = {"organizations", "members", "flows", "new_members", "political_arrangements"}


def list_length(client, url: str) -> int:
    # The roster's list alone, as its filters ask for it (htmx): the tree is not under test.
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "roster-list"})
    assert response.status_code == 200, url
    (count,) = COUNT.findall(response.content.decode())
    return int(count)


def figure_links(client, url: str, sections=CORE) -> list[tuple[str, str]]:
    """The figure links of the page at ``url``: on the report, those of the tables of
    ``sections``."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    if "data-section=" in body:
        body = "".join(
            table for key, table in TABLE.findall(body) if sections is None or key in sections
        )
    return [(unescape(href), value) for href, value, counts in LINK.findall(body) if counts]


def check_counts(client, links) -> int:
    for href, value in dict(links).items():
        assert list_length(client, href) == int(value), href
    return len(dict(links))


def test_every_figure_opens_a_list_of_its_length(client, demo_root, demo_staff, demo_chair):
    # One demo for the whole walk: building it is the slow part.
    figures = sections.compute(scope=Scope(everything=True), org=demo_root, as_of=DEMO_TODAY)
    checked = 0
    for key in CORE:
        for path, figure in leaves(figures[key]):
            assert figure.url, (key, path)
            if figure.is_count:
                assert figure.records.count() == figure.value, (key, path)
                checked += 1
    assert checked > 70
    # The demo has something to count in most places.
    assert figures["members"]["total"].value >= 300
    assert figures["flows"]["admitted"].value > 0

    client.force_login(demo_staff)
    # Every number of the report, this year's and last year's, opens its own list.
    query = f"?org={demo_root.pk}&as_of={DEMO_TODAY}&period_start=2024-07-01"
    links = figure_links(client, reverse("stats:report") + query)
    assert len(links) > 150
    assert any("as_of=2024-06-30" in href for href, _v in links)
    assert check_counts(client, links) > 120

    # And every number of the dashboard.
    links = figure_links(client, reverse("stats:dashboard") + f"?as_of={DEMO_TODAY}")
    assert len(links) > 50
    assert check_counts(client, links) > 50

    # Other apps' sections are on the report too: where their lists carry ``data-count`` (the
    # one marker of a list's length), their figures are checked the same way.
    others = {s.key for s in sections.all_sections()} - CORE
    links = figure_links(client, reverse("stats:report") + f"?as_of={DEMO_TODAY}", others)
    marked = [
        (href, value)
        for href, value in dict(links).items()
        if COUNT.search(client.get(href).content.decode())
    ]
    assert marked  # the 换届 section's lists (orgs) are marked
    assert check_counts(client, marked) == len(marked)

    # A branch chair's figures open the chair's lists, within the branch.
    client.force_login(demo_chair)
    links = figure_links(client, reverse("stats:report") + f"?as_of={DEMO_TODAY}")
    assert check_counts(client, links) > 40

    # The coverage section, on the district the coverage demo builds beside the committee
    # (a second top-level organization): each count opens the registry list of its length.
    district = Organization.objects.get(code="DQ")
    figures = sections.compute(scope=Scope(everything=True), org=district, as_of=DEMO_TODAY)
    assert figures["coverage"]["registered"].value > 200
    client.force_login(make_user("demo_district", district))
    query = f"?org={district.pk}&as_of={DEMO_TODAY}"
    links = figure_links(client, reverse("stats:report") + query, {"coverage"})
    assert check_counts(client, links) > 15
