import pytest

from tests.demo_data import DEMO_TODAY  # noqa: F401  (the tests here date their reads from it)
from tests.factories import make_user
from tongxin.accounts.roles import Role
from tongxin.orgs.models import Organization
from tongxin.people import demo

# ``demo_root``, the whole demo built once for the session, is in the root conftest.


@pytest.fixture
def demo_staff(demo_root):
    return make_user("demo_staff", demo_root)


@pytest.fixture
def demo_chair(demo_root):
    branch = Organization.objects.get(code=demo.DEMO_BRANCH_CODE)
    return make_user("demo_chair", branch, roles=(Role.BRANCH_CHAIR,))
