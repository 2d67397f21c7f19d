"""The non-party cadre work plan (issue 19, item 6): targets for the section's figures, whose
progress at any date is the figure itself, with its list."""

from datetime import date

import pytest
from django.urls import reverse

from tests.cadres.test_non_party import department  # noqa: F401
from tests.factories import make_user
from tongxin.cadres import plans
from tongxin.cadres.models import NonPartyPlan
from tongxin.core.scope import Scope

pytestmark = pytest.mark.django_db


def test_a_plan_is_made_on_its_page_and_shows_progress_at_a_date(client, department):  # noqa: F811
    client.force_login(make_user("dept", department.city))
    url = reverse("cadres:nonparty_plan_create") + f"?org={department.city.pk}"
    response = client.post(url, {
        "title": "2025—2027年党外干部队伍建设规划", "start": "2025-01-01", "end": "2027-12-31",
        "target:files": "50", "target:principal.县处级": "5", "target:appointed.县处级": "4",
    })  # fmt: skip
    plan = NonPartyPlan.objects.get()
    assert response.status_code == 302
    assert dict(plan.targets.values_list("figure", "value")) == {
        "files": 50, "principal.县处级": 5, "appointed.县处级": 4,
    }  # fmt: skip
    rows = plans.progress(scope=Scope(everything=True), plan=plan, on=date(2025, 12, 31))
    got = {row.target.figure: (row.figure.value, row.percent) for row in rows}
    assert got == {"files": (3, 6.0), "principal.县处级": (1, 20.0), "appointed.县处级": (2, 50.0)}
    page = client.get(reverse("cadres:nonparty_plan", args=[plan.pk]) + "?on=2025-12-31")
    text = page.content.decode()
    assert "县处级党外实职正职" in text and "20.0%" in text
    # Before the period's posts: less done.
    earlier = plans.progress(scope=Scope(everything=True), plan=plan, on=date(2025, 4, 1))
    assert {r.target.figure: r.figure.value for r in earlier}["appointed.县处级"] == 0


def test_a_plan_without_targets_or_with_bad_dates_is_refused(client, department):  # noqa: F811
    client.force_login(make_user("dept", department.city))
    url = reverse("cadres:nonparty_plan_create") + f"?org={department.city.pk}"
    response = client.post(url, {"title": "空规划", "start": "2025-01-01", "end": "2024-01-01",
                                 "target:files": "10"})  # fmt: skip
    assert "规划截止日期不能早于起始日期" in response.content.decode()
    response = client.post(url, {"title": "空规划", "start": "2025-01-01", "end": "2026-01-01"})
    assert "规划至少要有一项指标" in response.content.decode()
    assert not NonPartyPlan.objects.exists()


def test_a_plan_of_another_subtree_is_404(client, department):  # noqa: F811
    plan = plans.plan_save(
        plan=NonPartyPlan(owner=department.city, title="规划", start=date(2025, 1, 1),
                          end=date(2025, 12, 31)),
        targets={"files": 10},
    )  # fmt: skip
    client.force_login(make_user("far", department.other_city))
    for name in ("cadres:nonparty_plan", "cadres:nonparty_plan_edit"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
