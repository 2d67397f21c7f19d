"""The roster's pages of a large list of just the members (bench/README.md, "The top of the
tree"): the total from the figure store, the rows from the name index walked person by
person. Lowering the key-list limit makes a small subtree take that road; every page must
hold the rows, in the order, that the roster's own query gives, and the total its length."""

from datetime import date

import pytest

from tests.factories import make_member
from tongxin.core import paging
from tongxin.core.scope import Scope
from tongxin.people import selectors, services

pytestmark = pytest.mark.django_db

ON = date(2024, 6, 30)
NAMES = ("王芳", "李华", "张敏", "周明", "赵刚", "陈静", "刘洋")


@pytest.fixture
def members(world, monkeypatch):
    monkeypatch.setattr(paging, "KEY_LIST_LIMIT", 3)
    people = [make_member(world.branch_a, name=name) for name in NAMES[:5]]
    people += [make_member(world.branch_b, name=name) for name in NAMES[5:]]
    # Not members of the city on ON: one who left before it, one elsewhere, one admitted later.
    services.membership_end(
        person=make_member(world.branch_a, name="孙丽"), on=date(2020, 1, 1), reason="withdrew"
    )
    make_member(world.other_branch, name="曾强")
    make_member(world.branch_a, name="吴刚", start=date(2025, 1, 1))
    return people


@pytest.mark.parametrize("sort", ["name", "-name", "age", "admitted"])
def test_every_page_holds_the_rosters_rows_in_its_order(world, members, sort):
    scope = Scope(everything=True)
    filters = selectors.RosterFilter(sort=sort)
    expected = [p.pk for p in selectors.roster(scope=scope, org=world.city, on=ON, filters=filters)]
    assert len(expected) == len(NAMES)
    shown = []
    for number in (1, 2, 3, 4):
        page = selectors.roster_page(
            scope=scope, org=world.city, on=ON, filters=filters, page_number=number, per_page=2
        )
        assert page.paginator.count == len(NAMES)
        assert page.paginator.num_pages == 4
        shown += [p.pk for p in page.object_list]
    assert shown == expected


def test_a_branch_and_the_total_follow_a_new_member(world, members):
    scope = Scope(everything=True)
    filters = selectors.RosterFilter(branch=world.branch_a.pk)

    def page():
        return selectors.roster_page(
            scope=scope, org=world.city, on=ON, filters=filters, page_number=1, per_page=50
        )

    def city_total():  # counted through the figure store (a top-two-level node)
        return selectors.roster_page(
            scope=scope,
            org=world.city,
            on=ON,
            filters=selectors.RosterFilter(),
            page_number=1,
            per_page=50,
        ).paginator.count

    assert page().paginator.count == 5
    assert city_total() == len(NAMES)
    make_member(world.branch_a, name="郑洁")
    first = page()
    assert first.paginator.count == 6
    assert city_total() == len(NAMES) + 1
    assert sorted(p.name for p in first.object_list) == sorted([*NAMES[:5], "郑洁"])


def test_a_filtered_list_is_counted_as_before(world, members):
    scope = Scope(everything=True)
    filters = selectors.RosterFilter(q="zm")
    page = selectors.roster_page(
        scope=scope, org=world.city, on=ON, filters=filters, page_number=1, per_page=50
    )
    assert [p.name for p in page.object_list] == ["张敏", "周明"]
    assert page.paginator.count == 2


def test_below_a_large_node_the_branch_choice_offers_its_top_levels(
    client, world, members, monkeypatch
):
    from django.urls import reverse

    from tests.factories import make_user
    from tongxin.orgs import selectors as org_selectors

    # The city, its three branches and a branch under one of them: only the city fits.
    monkeypatch.setattr(org_selectors, "CHOICE_LIMIT", 2)
    client.force_login(make_user("root", superuser=True))
    url = reverse("people:roster")
    on = ON.isoformat()
    page = client.get(url, {"org": world.city.pk, "as_of": on}).content.decode()
    assert "所在组织（更下层请在组织树中选）" in page
    assert f'<option value="{world.city.pk}">' in page
    assert f'<option value="{world.branch_a.pk}"' not in page
    # A deeper branch named in the address is still applied, and offered as chosen.
    response = client.get(url, {"org": world.city.pk, "branch": world.branch_b.pk, "as_of": on})
    assert sorted(row["name"] for row in response.context["rows"]) == sorted(NAMES[5:])
    assert f'<option value="{world.branch_b.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("value", ["99999999999999999999999", "１２", "x", "-1"])
def test_a_branch_no_id_could_be_is_named_and_dropped(client, world, members, value):
    from django.urls import reverse

    from tests.factories import make_user

    client.force_login(make_user("root", superuser=True))
    params = {"org": world.city.pk, "branch": value, "as_of": ON.isoformat()}
    response = client.get(reverse("people:roster"), params)
    assert response.status_code == 200
    assert len(response.context["rows"]) == len(NAMES)
    assert "branch" in response.context["form"].errors
