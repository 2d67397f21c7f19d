"""The recommendation steps are data the system administrator keeps in the back office."""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tongxin.accounts.roles import Role
from tongxin.cadres.models import RecommendationStep

pytestmark = pytest.mark.django_db


def test_the_system_administrator_reorders_the_default_steps(client):
    client.force_login(make_user("xitong", roles=(Role.SYSTEM_ADMIN,)))
    listing = client.get(reverse("admin:cadres_recommendationstep_changelist"))
    assert listing.status_code == 200
    assert "民主推荐" in listing.content.decode() and "任用" in listing.content.decode()
    step = RecommendationStep.objects.get(org=None, name="公示")
    response = client.post(
        reverse("admin:cadres_recommendationstep_change", args=[step.pk]),
        {"name": "公示（七天）", "order": 45, "role": "plain", "checks_training": "on", "org": ""},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.name, step.order, step.checks_training) == ("公示（七天）", 45, True)


def test_staff_do_not_reach_the_steps(client, world):
    client.force_login(make_user("staff", world.city))
    response = client.get(reverse("admin:cadres_recommendationstep_changelist"))
    assert response.status_code in (302, 403)
