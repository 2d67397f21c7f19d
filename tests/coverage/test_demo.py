"""The demo's district: built beside the demo committee from the ``today`` given, with three
years of coverage history, and removed again by the reset."""

import random
from datetime import date

import pytest

from tongxin.core.scope import Scope
from tongxin.coverage import demo
from tongxin.coverage.models import NewOrganization, PartyOrgForm
from tongxin.coverage.stats import compute
from tongxin.terms.models import Term

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)


def test_the_district_grows_over_three_years_and_resets():
    lines = demo.seed_demo(root=None, today=TODAY, rng=random.Random(3))
    assert "东区党工委" in lines[0]
    district = demo.district_root()
    assert district.is_root()
    assert NewOrganization.objects.count() == demo.NEW_ORGS
    scope = Scope(everything=True)
    rates = [
        compute(scope=scope, org=district, as_of=date(year, 6, 30), period_start=date(year, 1, 1))
        for year in (2022, 2023, 2024, 2025)
    ]
    covered = [r["party_covered"].value for r in rates]
    assert covered == sorted(covered) and covered[0] < covered[-1]
    assert rates[-1]["founded"]["union"].value > 0
    # Some forms changed 联合 → 单独 and kept the old one.
    assert PartyOrgForm.objects.filter(end__isnull=False).exists()
    assert Term.objects.filter(org__path__startswith=district.path).count() > 5

    demo.reset_demo(root=None)
    assert demo.district_root() is None
    assert not NewOrganization.objects.exists()
