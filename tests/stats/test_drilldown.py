"""Every number drills down (DESIGN.md principle 3): on the demo data, each count on the report
and the dashboard opens a list, and the list has that many rows."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.stats.conftest import DEMO_TODAY
from tongxin.core.figures import leaves
from tongxin.core.scope import Scope
from tongxin.stats import sections

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" data-figure="([^"]+)">')
COUNT = re.compile(r'data-count="(\d+)"')


def list_length(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    (count,) = COUNT.findall(response.content.decode())
    return int(count)


def figure_links(client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    return [(unescape(href), value) for href, value in LINK.findall(response.content.decode())]


def check_counts(client, links) -> int:
    checked = 0
    for href, value in dict(links).items():
        if "." in value:  # an average: its list is the population it is taken over
            continue
        assert list_length(client, href) == int(value), href
        checked += 1
    return checked


def test_each_count_figure_counts_exactly_its_records(demo_root):
    figures = sections.compute(scope=Scope(everything=True), org=demo_root, as_of=DEMO_TODAY)
    checked = 0
    for key, section in figures.items():
        for path, figure in leaves(section):
            assert figure.url, (key, path)
            if figure.is_count:
                assert figure.records.count() == figure.value, (key, path)
                checked += 1
    assert checked > 70
    # The demo has something to count in most places.
    assert figures["members"]["total"].value == 300
    assert figures["flows"]["admitted"].value > 0


def test_every_number_of_the_report_opens_a_list_of_that_length(client, demo_root, demo_staff):
    client.force_login(demo_staff)
    query = f"?org={demo_root.pk}&as_of={DEMO_TODAY}&period_start=2024-07-01"
    links = figure_links(client, reverse("stats:report") + query)
    assert len(links) > 150
    # This year's and last year's figures, each to its own list.
    assert any("as_of=2024-06-30" in href for href, _v in links)
    assert check_counts(client, links) > 120


def test_every_number_of_the_dashboard_opens_a_list_of_that_length(client, demo_root, demo_staff):
    client.force_login(demo_staff)
    links = figure_links(client, reverse("stats:dashboard") + f"?as_of={DEMO_TODAY}")
    assert len(links) > 50
    assert check_counts(client, links) > 50


def test_a_branch_chair_drills_down_within_the_branch(client, demo_root, demo_chair):
    client.force_login(demo_chair)
    links = figure_links(client, reverse("stats:report") + f"?as_of={DEMO_TODAY}")
    assert check_counts(client, links) > 40
