"""Shared fixtures: a small real tree, real people, real users (no mocks of our own models)."""

from dataclasses import dataclass
from datetime import date

import factory
import pytest

from tongxin.accounts.models import User
from tongxin.core.codes import OrgKind
from tongxin.core.idnumber import make_id_number
from tongxin.orgs import services as org_services
from tongxin.orgs.models import Organization
from tongxin.people import services as people_services
from tongxin.people.models import Person


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_org(parent=None, *, code, name, kind=OrgKind.BRANCH, **fields) -> Organization:
    return org_services.org_create(
        parent=parent, org=Organization(code=code, name=name, kind=kind, **fields)
    )


class PersonFactory(factory.Factory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{n}")
    gender = "1"
    birth_date = date(1975, 6, 1)


def make_member(org, *, start=date(2015, 1, 1), **fields) -> Person:
    """A person admitted to ``org`` on ``start``; an ID number is made unless one is given."""
    person = PersonFactory.build(**fields)
    if "id_number" not in fields:
        make_member.sequence += 2
        seq = make_member.sequence + (1 if person.gender == "1" else 0)
        person.id_number = make_id_number("420102", person.birth_date, seq % 1000)
    return people_services.person_create(person=person, org=org, start=start)


make_member.sequence = 0


@dataclass
class World:
    city: Organization
    branch_a: Organization
    branch_b: Organization
    general: Organization
    branch_g1: Organization
    other_city: Organization
    other_branch: Organization


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


def make_user(username, *scope_nodes, superuser=False) -> User:
    if superuser:
        user = User.objects.create_superuser(username, password="correct-horse-9")
    else:
        user = User.objects.create_user(username, password="correct-horse-9", name=username)
    user.scope_nodes.set(scope_nodes)
    return user


@pytest.fixture
def city_staff(world):
    return make_user("city_staff", world.city)


@pytest.fixture
def chair_a(world):
    return make_user("chair_a", world.branch_a)
