"""The organization tree: counts, create, rename, move and dissolve, all inside the scope."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member, make_org
from tongxin.core.scope import Scope
from tongxin.orgs import selectors
from tongxin.orgs.models import Organization
from tongxin.people import services as people_services

pytestmark = pytest.mark.django_db


def test_the_tree_shows_the_members_under_each_node(client, world, city_staff):
    make_member(world.branch_a, name="张敏")
    make_member(world.branch_g1, name="周明")
    make_member(world.branch_g1, name="李华")
    client.force_login(city_staff)
    response = client.get(reverse("orgs:detail", args=[world.city.pk]))
    tree = response.context["tree"]
    assert [r.org.code for r in tree.roots] == ["C1"]
    assert response.context["member_count"] == 3
    # The badges are filled by a second request, named on the page.
    ids = ",".join(str(pk) for pk in tree.node_ids())
    assert f'hx-get="{reverse("orgs:counts")}?ids={ids}"' in response.content.decode()
    body = client.get(reverse("orgs:counts"), {"ids": ids}).content.decode()
    for org, count in (
        (world.city, 3),
        (world.branch_a, 1),
        (world.branch_b, 0),
        (world.general, 2),
    ):
        assert f'<span id="tx-count-{org.pk}" hx-swap-oob="innerHTML">{count}</span>' in body


def test_the_counts_request_answers_only_for_nodes_in_scope(client, world, chair_a):
    make_member(world.branch_b, name="王芳")
    client.force_login(chair_a)
    ids = f"{world.branch_a.pk},{world.branch_b.pk},{world.city.pk}"
    body = client.get(reverse("orgs:counts"), {"ids": ids}).content.decode()
    assert f"tx-count-{world.branch_a.pk}" in body
    assert f"tx-count-{world.branch_b.pk}" not in body
    assert f"tx-count-{world.city.pk}" not in body


def test_a_member_who_left_is_not_counted_in_the_tree(world):
    person = make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    people_services.membership_end(person=person, on=date(2020, 1, 1), reason="withdrew")
    counts = selectors.member_counts(
        scope=Scope(everything=True), nodes=[world.city], on=timezone.localdate()
    )
    assert counts[world.city.pk] == 0


def test_tree_children_load_on_demand(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("orgs:children", args=[world.general.pk]), {"target": "roster"})
    body = response.content.decode()
    assert "江城大学第二支部" in body and f"?org={world.branch_g1.pk}" in body
    assert f"?ids={world.branch_g1.pk}" in body


def test_creating_a_child_organization(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("orgs:create", args=[world.city.pk]),
        {
            "code": "C1-N",
            "name": "法律支部",
            "short_name": "法律",
            "kind": "branch",
            "established": "2024-05-01",
            "party": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="C1-N")
    assert Organization.objects.get_parent(org) == world.city
    assert org.effective_party() == "05"


def test_a_duplicate_code_is_refused_in_chinese(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("orgs:create", args=[world.city.pk]),
        {
            "code": "C1-A",
            "name": "重复",
            "kind": "branch",
        },
    )
    assert "组织编码“C1-A”已被使用" in response.content.decode()
    assert not Organization.objects.filter(name="重复").exists()


def test_renaming_an_organization(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("orgs:edit", args=[world.branch_b.pk]),
        {
            "code": "C1-B",
            "name": "医药卫生第一支部",
            "kind": "branch",
        },
    )
    assert response.status_code == 302
    world.branch_b.refresh_from_db()
    assert world.branch_b.name == "医药卫生第一支部"


def test_moving_a_branch_takes_its_members_along(client, world, city_staff):
    make_member(world.branch_b, name="王芳")
    client.force_login(city_staff)
    response = client.post(
        reverse("orgs:move", args=[world.branch_b.pk]), {"new_parent": world.general.pk}
    )
    assert response.status_code == 302
    moved = Organization.objects.get(pk=world.branch_b.pk)
    assert Organization.objects.get_parent(moved) == world.general
    counts = selectors.member_counts(
        scope=Scope(everything=True),
        nodes=[Organization.objects.get(pk=world.general.pk)],
        on=timezone.localdate(),
    )
    assert counts[world.general.pk] == 1


def test_an_organization_cannot_move_below_itself_or_out_of_scope(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("orgs:move", args=[world.general.pk]), {"new_parent": world.branch_g1.pk}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("orgs:move", args=[world.branch_a.pk]), {"new_parent": world.other_city.pk}
    )
    assert "请选择管理范围内的上级组织" in response.content.decode()
    assert (
        Organization.objects.get_parent(Organization.objects.get(pk=world.branch_a.pk))
        == world.city
    )


def test_an_organization_with_members_cannot_be_dissolved(client, world, city_staff):
    make_member(world.branch_b, name="王芳")
    client.force_login(city_staff)
    response = client.post(reverse("orgs:dissolve", args=[world.branch_b.pk]), {"on": "2025-01-01"})
    assert "仍有 1 名在册成员" in response.content.decode()
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved is None


def test_a_dissolved_organization_leaves_current_lists_but_keeps_its_history(
    client, world, city_staff
):
    person = make_member(world.branch_b, name="王芳", start=date(2010, 1, 1))
    people_services.membership_transfer(person=person, to_org=world.branch_a, on=date(2019, 6, 1))
    client.force_login(city_staff)
    response = client.post(reverse("orgs:dissolve", args=[world.branch_b.pk]), {"on": "2020-01-01"})
    assert response.status_code == 302
    response = client.get(reverse("orgs:detail", args=[world.city.pk]))
    assert "医药卫生支部" not in [n.org.name for n in response.context["tree"].roots[0].children]
    response = client.get(reverse("orgs:detail", args=[world.city.pk]), {"dissolved": "1"})
    assert "医药卫生支部" in [n.org.name for n in response.context["tree"].roots[0].children]
    # The history still names the dissolved branch.
    body = client.get(reverse("people:detail", args=[person.pk]), {"tab": "membership"})
    assert "医药卫生支部" in body.content.decode()


@pytest.mark.parametrize("name", ["detail", "children", "create", "edit", "move", "dissolve"])
def test_every_organization_page_outside_the_scope_answers_404(client, world, staff_a, name):
    client.force_login(staff_a)
    assert client.get(reverse(f"orgs:{name}", args=[world.branch_b.pk])).status_code == 404
    assert client.post(reverse(f"orgs:{name}", args=[world.branch_b.pk]), {}).status_code == 404


def test_a_user_cannot_move_or_dissolve_the_own_scope_node(client, world, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("orgs:move", args=[world.branch_a.pk])).status_code == 404
    assert client.get(reverse("orgs:dissolve", args=[world.branch_a.pk])).status_code == 404


def test_pages_need_a_login(client, world):
    response = client.get(reverse("orgs:detail", args=[world.city.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_members_of_many_branches_are_counted_each_in_one_range(world):
    # Past MANY_NODES branches one range around them replaces a range each (an OR of every
    # branch of a large tree is too deep for SQLite); each branch still counts its own.
    branches = [
        make_org(world.general, code=f"MANY{i:03}", name=f"第{i}支部")
        # More than SQLite's 1,000 terms: an OR of a range each failed here.
        for i in range(1001)
    ]
    for i, branch in enumerate(branches[:3]):
        for j in range(i + 1):
            make_member(branch, name=f"成员{i}{j}", start=date(2015, 1, 1))
    make_member(world.branch_a, name="外人", start=date(2015, 1, 1))  # inside the range, not asked
    make_member(world.other_branch, name="别市", start=date(2015, 1, 1))
    nodes = [*branches, world.branch_b]
    counts = selectors.member_counts(scope=Scope(everything=True), nodes=nodes, on=date(2024, 1, 1))
    assert [counts[b.pk] for b in branches[:4]] == [1, 2, 3, 0]
    assert counts[world.branch_b.pk] == 0
    assert set(counts) == {node.pk for node in nodes}
