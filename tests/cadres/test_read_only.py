"""A user who may read but not change (领导, 只读) sees the cadre pages without the buttons and
forms that would answer 403: every link on them opens, and nothing offers to record."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.cadres.scope_walk import b_records
from tests.factories import make_user
from tongxin.accounts.roles import Role

pytestmark = pytest.mark.django_db

# The cadre pages' own links (the person file's header belongs to the roster).
HREF = re.compile(r'href="(/cadres/[^"#]*)"')
POST_FORM = re.compile(r'<form[^>]*method="post"[^>]*>', re.I)
MAIN = re.compile(r"<main.*?</main>", re.S)


def pages(records) -> list[str]:
    org = records["pool"].owner.pk
    person = records["person"].pk
    return [
        reverse("cadres:index") + f"?org={org}",
        reverse("cadres:pool", args=[records["pool"].pk]),
        reverse("cadres:survey", args=[records["pool"].pk]),
        reverse("cadres:review", args=[records["pool"].pk]) + "?year=2025&all=1",
        reverse("cadres:candidate", args=[records["candidate"].pk]),
        reverse("cadres:assessments") + f"?org={org}",
        reverse("cadres:assessments_missing") + f"?org={org}",
        reverse("cadres:practice") + f"?org={org}",
        reverse("cadres:contacts") + f"?org={org}",
        reverse("cadres:recommendations") + f"?org={org}",
        reverse("cadres:recommendation", args=[records["recommendation"].pk]),
        reverse("people:detail", args=[person]) + "?tab=cadres",
        reverse("people:detail", args=[person]) + "?tab=practice",
        reverse("people:detail", args=[person]) + "?tab=recommendations",
    ]


@pytest.mark.parametrize("role", [Role.LEADER, Role.READER])
def test_a_reader_is_offered_nothing_that_answers_403(client, world, role):
    records = b_records(world)
    client.force_login(make_user("reader", world.city, roles=(role,)))
    refused = []
    for url in pages(records):
        response = client.get(url)
        assert response.status_code == 200, url
        (main,) = MAIN.findall(response.content.decode())
        assert not POST_FORM.search(main), f"{url} 有提交表单"
        for href in {unescape(h) for h in HREF.findall(main)}:
            if client.get(href).status_code == 403:
                refused.append((url, href))
    assert refused == []


def test_staff_keep_their_buttons(client, world):
    records = b_records(world)
    client.force_login(make_user("staff", world.city))
    body = client.get(reverse("cadres:pool", args=[records["pool"].pk])).content.decode()
    assert reverse("cadres:entry_create", args=[records["pool"].pk]) in body
    body = client.get(
        reverse("people:detail", args=[records["person"].pk]) + "?tab=cadres"
    ).content.decode()
    assert 'data-testid="add-assessment"' in body
