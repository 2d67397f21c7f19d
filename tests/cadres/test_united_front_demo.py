"""The united-front demo (issue 19): a district 区委统战部 beside the democratic-party demo,
whose figures read like the department's report, on any day."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_user
from tests.stats.conftest import demo_root  # noqa: F401  (the whole demo, every app's hook)
from tongxin.cadres import plans, unitedfront_demo
from tongxin.cadres.models import NonPartyPlan
from tongxin.cadres.nonparty_stats import non_party_section
from tongxin.core.figures import leaves, values
from tongxin.core.scope import Scope
from tongxin.evaluation.models import OrgHonor
from tongxin.orgs.models import Organization
from tongxin.people import demo
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)


def test_the_department_reads_like_its_report(client, demo_root):  # noqa: F811
    top = unitedfront_demo.department_root()
    assert top is not None and top.depth == 1 and top.pk != demo_root.pk
    kinds = list(Organization.objects.filter(path__startswith=top.path, depth=2).values_list(
        "kind", flat=True))  # fmt: skip
    assert (kinds.count("street_committee"), kinds.count("industry_committee")) == (8, 12)
    assert kinds.count("bureau") == 17
    today = date(2025, 6, 30)
    figures = non_party_section.compute(
        scope=EVERYTHING, org=top, as_of=today, period_start=date(2025, 1, 1)
    )
    got = values(figures)
    assert 45 <= got["files"] <= 60
    assert got["principal"]["县处级"] == 5 and got["leaders"]["县处级"] == 12
    assert got["reserves"]["乡科级"] == 15 and got["young"] >= 15 and got["talent"] == 10
    by_kind = got["entered_by_unit_kind"]
    assert all(by_kind[k] > 0 for k in ("街道党工委", "行业党委", "部委办局"))
    assert sum(by_kind.values()) == got["entered"] >= 30
    assert got["recommending_units"] >= 15
    assert got["appointed"]["县处级"] == 2 and got["appointed"]["乡科级"] == 3
    for path, figure in leaves(figures):
        assert figure.records.count() == figure.value, path
    # Its plan's progress reads from the same figures; the committee's own honours are there.
    (plan,) = NonPartyPlan.objects.filter(owner=top)
    progress = {r.target.figure: r.figure.value for r in plans.progress(
        scope=EVERYTHING, plan=plan, on=today)}  # fmt: skip
    assert progress["principal.县处级"] == 5 and progress["files"] == got["files"]
    assert set(OrgHonor.objects.filter(org=demo_root).values_list("level", flat=True)) == {
        "national",
        "city",
    }

    # The department's user sees its list and not the party committee's.
    demo.ensure_demo_users(password="correct-horse-9")
    tongzhan = get_user_model().objects.get(username="tongzhan")
    assert list(tongzhan.scope_nodes.all()) == [top]
    client.force_login(make_user("tz_staff", top))
    url = reverse("cadres:nonparty")
    assert client.get(f"{url}?org={top.pk}").status_code == 200
    assert client.get(f"{url}?org={demo_root.pk}").status_code == 404

    # Its own reset removes the department and the people only it kept; the members whose file
    # it kept as well stay members of their branches.
    shared = list(
        Person.objects.filter(affiliations__org__path__startswith=top.path, spells__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    assert len(shared) == 3
    unitedfront_demo.reset_demo()
    assert unitedfront_demo.department_root() is None
    assert not Organization.objects.filter(code__startswith="TZ").exists()
    assert Person.objects.filter(pk__in=shared, spells__end__isnull=True).distinct().count() == 3
    # And the whole demo's reset runs it too.
    assert demo.reset_demo() and not Organization.objects.exists()
