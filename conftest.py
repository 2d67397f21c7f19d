"""Shared fixtures for tests/ and e2e/: a small real tree, real people, real users."""

import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import World, make_org, make_user
from tongxin.accounts.roles import Role
from tongxin.core.codes import OrgKind

# Property tests check behaviour, not speed: a first example that builds a strategy (st.emails)
# or a workbook can take longer than hypothesis's 200 ms on a busy CI machine.
hypothesis_settings.register_profile("tongxin", deadline=None)
hypothesis_settings.load_profile("tongxin")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def admin_otp_not_required(settings):
    """Pages are tested without the administrators' second factor, as they are with a fast
    hasher: the tests of the second factor (tests/accounts, e2e) turn it on."""
    settings.TONGXIN_ADMIN_OTP_REQUIRED = False


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser (behind ``admin_client``), past the first login's password
    change."""
    return make_user("admin", superuser=True)


@pytest.fixture
def world(db) -> World:
    """Two city committees under one province; the first has branches A, B and a general
    branch G with a branch G1 under it."""
    province = make_org(code="P", name="民盟某省委员会", kind=OrgKind.COMMITTEE, party="05")
    city = make_org(province, code="C1", name="民盟江城市委员会", kind=OrgKind.COMMITTEE)
    return World(
        city=city,
        branch_a=make_org(city, code="C1-A", name="江城大学第一支部"),
        branch_b=make_org(city, code="C1-B", name="医药卫生支部"),
        general=(
            general := make_org(city, code="C1-G", name="江城大学总支", kind=OrgKind.GENERAL_BRANCH)
        ),
        branch_g1=make_org(general, code="C1-G1", name="江城大学第二支部"),
        other_city=(
            other := make_org(province, code="C2", name="民盟河城市委员会", kind=OrgKind.COMMITTEE)
        ),
        other_branch=make_org(other, code="C2-A", name="河城直属支部"),
    )


@pytest.fixture
def city_staff(world):
    return make_user("city_staff", world.city)


@pytest.fixture
def chair_a(world):
    return make_user("chair_a", world.branch_a, roles=(Role.BRANCH_CHAIR,))


@pytest.fixture
def staff_a(world):
    """Staff (组织部工作人员) whose scope is branch A: may write, but only there."""
    return make_user("staff_a", world.branch_a)
