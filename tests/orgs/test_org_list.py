"""The organization list: the nodes under a node on a date, by kind and category — the list
each organization figure opens."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_org
from tongxin.orgs import services
from tongxin.orgs.models import OrganizationCategory

pytestmark = pytest.mark.django_db


def listed(client, org, **params):
    response = client.get(reverse("orgs:list"), {"org": org.pk, **params})
    assert response.status_code == 200
    body = response.content.decode()
    return [o.name for o in response.context["page"].object_list], body


def test_it_lists_the_current_nodes_under_the_node_on_the_date(client, world, city_staff):
    old = make_org(world.city, code="C1-O", name="老支部", established=date(1990, 1, 1))
    services.org_dissolve(org=old, on=date(2020, 1, 1))
    client.force_login(city_staff)
    names, body = listed(client, world.city, as_of="2024-12-31")
    assert names == ["江城大学第一支部", "医药卫生支部", "江城大学总支", "江城大学第二支部"]
    assert 'data-count="4"' in body
    assert "老支部" in listed(client, world.city, as_of="2019-12-31")[0]


def test_it_filters_by_kinds_and_category(client, world, city_staff):
    university = OrganizationCategory.objects.create(name="高校支部")
    world.branch_a.categories.add(university)
    client.force_login(city_staff)
    assert listed(client, world.city, kind="general_branch")[0] == ["江城大学总支"]
    both = listed(client, world.city, kind=["general_branch", "branch"])[0]
    assert len(both) == 4
    names, body = listed(client, world.city, category="高校支部")
    assert names == ["江城大学第一支部"] and "高校支部" in body


def test_a_node_outside_the_scope_is_not_found(client, world, chair_a):
    client.force_login(chair_a)
    response = client.get(reverse("orgs:list"), {"org": world.city.pk})
    assert response.status_code == 404
    names, _body = listed(client, world.branch_a)
    assert names == []
