"""Honours of organizations (issue 19, item 5): given to a node of the tree, counted by level,
shown on its page; another subtree's staff cannot add one."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_user
from tongxin.evaluation.models import OrgHonor

pytestmark = pytest.mark.django_db


def test_an_honour_of_the_committee_is_added_and_counted_by_level(client, world):
    client.force_login(make_user("city", world.city))
    url = reverse("evaluation:org_honor_new", args=[world.city.pk])
    for title, level in (("全国基层组织建设先进单位", "national"), ("先进界别活动组", "city")):
        response = client.post(url, {"title": title, "level": level, "conferred_by": "民盟中央",
                                     "conferred_on": "2024-12-01"})  # fmt: skip
        assert response.status_code == 302
    page = client.get(reverse("orgs:detail", args=[world.city.pk]) + "?tab=honours")
    text = page.content.decode()
    assert "全国基层组织建设先进单位" in text
    assert "国家级 <strong>1</strong> 项" in text and "市级 <strong>1</strong> 项" in text


def test_a_future_date_is_refused_and_nothing_is_saved(client, world):
    client.force_login(make_user("city", world.city))
    url = reverse("evaluation:org_honor_new", args=[world.city.pk])
    response = client.post(url, {"title": "先进", "level": "city", "conferred_by": "市委",
                                 "conferred_on": date(2999, 1, 1).isoformat()})  # fmt: skip
    assert response.status_code == 200 and "晚于今天" in response.content.decode()
    assert not OrgHonor.objects.exists()


def test_another_subtree_gets_404(client, world):
    client.force_login(make_user("far", world.other_city))
    assert client.get(reverse("evaluation:org_honor_new", args=[world.city.pk])).status_code == 404
