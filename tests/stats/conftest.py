import random
from datetime import date

import pytest

from tests.factories import make_user
from tongxin.accounts.roles import Role
from tongxin.core import extensions
from tongxin.core.bulk import analyze
from tongxin.orgs.models import Organization
from tongxin.people import demo

# The demo's history is dated back from this day.
DEMO_TODAY = date(2025, 6, 30)


@pytest.fixture
def demo_root(db):
    """The demo as ``manage.py seed_demo`` builds it: the roster, then every app's records."""
    demo.build_demo(today=DEMO_TODAY)
    rng = random.Random(demo.DEFAULT_SEED)
    for seed_app in extensions.get("seed_demo"):
        seed_app(root=demo.demo_root(), today=DEMO_TODAY, rng=rng)
    # As seed_demo does: PostgreSQL gathers no statistics on rows this test's transaction has
    # not committed, and planned the demo's report as if the tables were empty (seconds a query).
    analyze()
    return demo.demo_root()


@pytest.fixture
def demo_staff(demo_root):
    return make_user("demo_staff", demo_root)


@pytest.fixture
def demo_chair(demo_root):
    branch = Organization.objects.get(code=demo.DEMO_BRANCH_CODE)
    return make_user("demo_chair", branch, roles=(Role.BRANCH_CHAIR,))
