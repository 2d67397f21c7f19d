"""The registry's pages: a street sees its own communities' organizations and nothing else;
every count of the section opens a list of that length."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.coverage.helpers import make_district, make_new_org
from tests.factories import make_user
from tongxin.core.figures import leaves
from tongxin.core.scope import Scope
from tongxin.coverage import services
from tongxin.coverage.models import MassKind, PartyForm
from tongxin.coverage.stats import compute

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'data-count="(\d+)"')
ON = date(2025, 6, 30)


@pytest.fixture
def district():
    root, east, west, communities = make_district()
    orgs = {}
    for i, code in enumerate(sorted(communities)):
        area = communities[code]
        orgs[code] = covered = make_new_org(area, name=f"{area.name}覆盖企业", above_size=True)
        services.party_form_set(new_org=covered, form=PartyForm.SINGLE, start=date(2022, 1, 1))
        services.mass_org_set(new_org=covered, kind=MassKind.UNION, start=date(2022, 3, 1), on=ON)
        bare = make_new_org(area, name=f"{area.name}空白企业", above_size=bool(i % 2))
        services.party_members_record(new_org=bare, on=date(2024, 1, 1), count=3 + i)
    return root, east, west, communities, orgs


def count_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    (found,) = COUNT.findall(response.content.decode())
    return int(found)


def test_a_street_user_sees_only_its_own_communities(client, district):
    root, east, west, communities, orgs = district
    client.force_login(make_user("east", east))
    response = client.get(reverse("coverage:index") + f"?org={east.pk}&as_of={ON}")
    body = response.content.decode()
    assert "东一社区覆盖企业" in body and "东二社区空白企业" in body
    assert "西一社区" not in body
    assert count_on(client, reverse("coverage:index") + f"?org={east.pk}&as_of={ON}") == 4
    # Another street's node, organization and overview do not exist for this user.
    assert client.get(reverse("coverage:index") + f"?org={west.pk}").status_code == 404
    assert client.get(reverse("coverage:overview") + f"?org={west.pk}").status_code == 404
    assert client.get(reverse("coverage:registry") + f"?org={west.pk}").status_code == 404
    assert client.get(reverse("coverage:export") + f"?org={west.pk}").status_code == 404
    assert client.get(reverse("coverage:detail", args=[orgs["TQ0201"].pk])).status_code == 404
    assert client.get(reverse("coverage:detail", args=[orgs["TQ0101"].pk])).status_code == 200


def test_the_overview_lists_coverage_by_community_and_industry(client, district):
    root, east, west, communities, orgs = district
    client.force_login(make_user("district", root))
    response = client.get(reverse("coverage:overview") + f"?org={east.pk}&as_of={ON}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "东一社区" in body and "西一社区" not in body
    links = re.findall(r'<a href="([^"]+)" data-figure="(\d+)" data-counts>', body)
    assert len(links) > 10
    for href, value in links:
        assert count_on(client, href.replace("&amp;", "&")) == int(value)


def test_every_count_of_the_section_opens_a_list_of_its_length(client, district):
    root, *_rest = district
    figures = compute(
        scope=Scope(everything=True), org=root, as_of=ON, period_start=date(2022, 1, 1)
    )
    assert figures["registered"].value == 8
    assert figures["party_covered"].value == 4
    assert figures["party_rate"].value == 50.0
    assert figures["above_size_party_rate"].value == 66.7
    assert figures["founded"]["party"].value == 4
    assert figures["party_members"].value == 3 + 4 + 5 + 6
    client.force_login(make_user("district", root))
    checked = 0
    for path, figure in leaves(figures):
        if figure.is_count:
            assert figure.records.count() == figure.value, path
            assert count_on(client, figure.url) == figure.value, path
            checked += 1
    assert checked >= 15


def test_the_gaps_are_workbench_cards_opening_their_lists(client, district):
    root, *_rest = district
    client.force_login(make_user("district", root))
    body = client.get(reverse("workbench")).content.decode()
    for title in ("规模以上未建党组织", "党员3人以上未单独组建", "有党组织未建齐群团组织"):
        assert title in body
    urls = re.findall(r'href="(/coverage/\?[^"]+gap=[^"]+)"', body)
    assert len(urls) == 3
    counts = [count_on(client, url.replace("&amp;", "&")) for url in urls]
    assert all(counts)


def test_a_bad_filter_is_a_chinese_400(client, district):
    root, *_rest = district
    client.force_login(make_user("district", root))
    response = client.get(reverse("coverage:index") + f"?org={root.pk}&form=xx")
    assert response.status_code == 400
    assert "form" in response.content.decode()
