"""A user who may read but not change (领导, 只读) sees the roster and the person file without
the buttons that would answer 403: every roster link on them opens."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.core.codes import PostKind
from tongxin.people.models import Post

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/(?:people|io)/[^"#]*)"')
MAIN = re.compile(r"<main.*?</main>", re.S)


def pages(world) -> list[str]:
    person = make_member(world.branch_a, name="林晓")
    Post.objects.create(person=person, kind=PostKind.PARTY, title="支部主委", org=world.branch_a,
                        start=date(2020, 1, 1))  # fmt: skip
    detail = reverse("people:detail", args=[person.pk])
    return [
        reverse("people:roster") + f"?org={world.city.pk}",
        detail,
        detail + "?tab=membership",
        detail + "?tab=posts",
    ]


def links(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    (main,) = MAIN.findall(response.content.decode())
    return {unescape(h) for h in HREF.findall(main)}


@pytest.mark.parametrize("role", [Role.LEADER, Role.READER])
def test_a_reader_is_offered_nothing_that_answers_403(client, world, role):
    urls = pages(world)
    client.force_login(make_user("reader", world.city, roles=(role,)))
    refused = [
        (url, href) for url in urls for href in links(client, url)
        if client.get(href).status_code == 403
    ]  # fmt: skip
    assert refused == []


def test_staff_keep_their_buttons(client, world):
    urls = pages(world)
    client.force_login(make_user("staff", world.city))
    offered = set().union(*(links(client, url) for url in urls))
    person = Post.objects.get().person
    for name in ("people:edit", "people:post_create", "people:transfer_out", "people:create"):
        args = [] if name == "people:create" else [person.pk]
        assert any(href.startswith(reverse(name, args=args)) for href in offered), name
