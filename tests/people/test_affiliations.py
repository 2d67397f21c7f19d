"""A non-member's file kept by a node (管理关系): in that node's scope, and only there."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PersonFactory, make_user
from tongxin.core.codes import AffiliationKind
from tongxin.core.scope import Scope
from tongxin.people import selectors, services

pytestmark = pytest.mark.django_db


def _applicant(world, **fields):
    person = PersonFactory.build(name="林申请", **fields)
    person.save()
    services.affiliation_start(
        person=person, org=world.branch_a, kind=AffiliationKind.APPLICANT, on=date(2026, 3, 1)
    )
    return person


def test_a_non_member_with_an_affiliation_is_in_that_subtrees_scope(world):
    person = _applicant(world)
    in_a = selectors.people_in_scope(scope=Scope.of([world.branch_a.path]))
    in_city = selectors.people_in_scope(scope=Scope.of([world.city.path]))
    in_b = selectors.people_in_scope(scope=Scope.of([world.branch_b.path]))
    assert person in in_a and person in in_city
    assert person not in in_b


def test_the_file_of_an_affiliated_non_member_opens_in_scope_and_is_404_elsewhere(
    client, world, staff_a
):
    person = _applicant(world)
    client.force_login(staff_a)
    page = client.get(reverse("people:detail", args=[person.pk]) + "?tab=membership")
    assert page.status_code == 200
    assert "入会申请人" in page.content.decode()
    client.force_login(make_user("staff_b", world.branch_b))
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404


def test_a_non_member_is_not_counted_as_a_member(world):
    person = _applicant(world)
    members = selectors.members_on(
        scope=Scope(everything=True), org=world.city, on=date(2026, 6, 1)
    )
    assert person not in members


def test_starting_the_same_affiliation_twice_keeps_one(world):
    person = _applicant(world)
    again = services.affiliation_start(
        person=person, org=world.branch_a, kind=AffiliationKind.APPLICANT, on=date(2026, 5, 1)
    )
    assert person.affiliations.count() == 1
    assert again.start == date(2026, 3, 1)


def test_an_affiliation_cannot_end_before_it_starts(world):
    affiliation = _applicant(world).affiliations.get()
    with pytest.raises(ValidationError, match="不能早于"):
        services.affiliation_end(affiliation=affiliation, on=date(2026, 2, 1))
    affiliation.refresh_from_db()
    assert affiliation.end is None


def test_an_affiliation_cannot_start_in_a_dissolved_organization(world):
    world.branch_b.dissolved = date(2025, 1, 1)
    world.branch_b.save()
    person = PersonFactory.build(name="赵党外")
    person.save()
    with pytest.raises(ValidationError, match="已于 2025-01-01 撤销"):
        services.affiliation_start(
            person=person,
            org=world.branch_b,
            kind=AffiliationKind.NON_PARTY_CADRE,
            on=date(2026, 1, 1),
        )
    assert not person.affiliations.exists()
