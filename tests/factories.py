"""Builders for tests: real records through the real services (no mocks of our own models)."""

from dataclasses import dataclass
from datetime import date

import factory
from django.contrib.auth.models import Group

from tongxin.accounts.models import User
from tongxin.accounts.roles import Role
from tongxin.accounts.services import grant_roles
from tongxin.core.codes import OrgKind
from tongxin.core.idnumber import make_id_number
from tongxin.orgs import services as org_services
from tongxin.orgs.models import Organization
from tongxin.people import services as people_services
from tongxin.people.models import Person


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


def make_user(username, *scope_nodes, superuser=False, roles=(Role.STAFF,)) -> User:
    """A user working in ``scope_nodes`` with ``roles`` (组织部工作人员 unless told), past the
    first login's password change (set_password has just dated the password)."""
    if superuser:
        user = User.objects.create_superuser(username, password="correct-horse-9")
    else:
        user = User.objects.create_user(username, password="correct-horse-9", name=username)
        # A transactional test's flush empties the groups the migration made for the roles.
        for label in Role.labels:
            Group.objects.get_or_create(name=label)
        grant_roles(user, roles)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    user.scope_nodes.set(scope_nodes)
    return user
