"""Fixtures of the members' portal: members of branches A and B with activated accounts."""

from datetime import date

import pytest
from django.utils import timezone

from tests.factories import make_member
from tongxin.portal import services

PASSWORD = "Tongxin-Member-2026"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_member_user(person, username, by):
    """A member account activated as the member would: a code issued, then used."""
    code = services.account_issue(person=person, by=by, on=timezone.localdate())
    return services.account_activate(
        code=code, username=username, password=PASSWORD, on=timezone.localdate()
    ).user


@pytest.fixture
def member_a(world, chair_a):
    person = make_member(
        world.branch_a,
        name="林小满",
        work_unit="江城大学",
        phone="13811112222",
        start=date(2018, 3, 1),
    )
    person.user = make_member_user(person, "linxm", chair_a)
    return person


@pytest.fixture
def member_b(world, city_staff):
    person = make_member(world.branch_b, name="欧阳乙", work_unit="江城第三医院")
    person.user = make_member_user(person, "ouyangyi", city_staff)
    return person
