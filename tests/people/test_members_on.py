"""Who is a member of a subtree on a date: a query over spells, with transfers, exits, deaths."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_member
from tongxin.core.codes import SpellReason
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.people import services
from tongxin.people.selectors import members_on

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)


def names(org, on, scope=EVERYTHING):
    return sorted(p.name for p in members_on(scope=scope, org=org, on=on))


def test_a_member_counts_from_the_admission_date(world):
    make_member(world.branch_a, name="张敏", start=date(2020, 3, 1))
    assert names(world.branch_a, date(2020, 2, 29)) == []
    assert names(world.branch_a, date(2020, 3, 1)) == ["张敏"]
    assert names(world.city, date(2024, 1, 1)) == ["张敏"]


def test_a_transfer_on_the_date_counts_in_the_new_branch_only(world):
    person = make_member(world.branch_a, name="李华", start=date(2018, 1, 1))
    services.membership_transfer(person=person, to_org=world.branch_b, on=date(2023, 6, 30))
    assert names(world.branch_a, date(2023, 6, 29)) == ["李华"]
    assert names(world.branch_b, date(2023, 6, 29)) == []
    assert names(world.branch_a, date(2023, 6, 30)) == []
    assert names(world.branch_b, date(2023, 6, 30)) == ["李华"]


def test_a_member_who_moved_inside_the_subtree_counts_once(world):
    person = make_member(world.branch_a, name="王芳", start=date(2018, 1, 1))
    services.membership_transfer(person=person, to_org=world.branch_g1, on=date(2022, 1, 1))
    for on in (date(2021, 12, 31), date(2022, 1, 1), date(2025, 1, 1)):
        assert members_on(scope=EVERYTHING, org=world.city, on=on).count() == 1


def test_a_death_the_day_after_the_date_still_counts_on_the_date(world):
    person = make_member(world.branch_b, name="赵刚", start=date(2000, 1, 1))
    services.membership_end(person=person, on=date(2024, 1, 1), reason=SpellReason.DIED)
    assert names(world.city, date(2023, 12, 31)) == ["赵刚"]
    assert names(world.city, date(2024, 1, 1)) == []


def test_a_member_who_left_and_rejoined_counts_in_both_periods_only(world):
    person = make_member(world.branch_a, name="孙丽", start=date(2010, 1, 1))
    services.membership_end(person=person, on=date(2015, 1, 1), reason=SpellReason.WITHDREW)
    services.membership_start(
        person=person, org=world.branch_b, on=date(2019, 1, 1), reason=SpellReason.ADMITTED
    )
    assert names(world.city, date(2012, 1, 1)) == ["孙丽"]
    assert names(world.city, date(2017, 1, 1)) == []
    assert names(world.city, date(2020, 1, 1)) == ["孙丽"]


def test_a_member_transferred_out_of_the_city_leaves_the_city_but_not_the_province(world):
    person = make_member(world.branch_a, name="周明", start=date(2010, 1, 1))
    services.membership_transfer(person=person, to_org=world.other_branch, on=date(2021, 5, 1))
    province = Organization.objects.get_parent(world.city)
    assert names(world.city, date(2021, 5, 1)) == []
    assert names(world.other_city, date(2021, 5, 1)) == ["周明"]
    assert names(province, date(2021, 5, 1)) == ["周明"]


def test_the_scope_limits_the_members_even_of_a_wider_node(world, chair_a):
    make_member(world.branch_a, name="张敏")
    make_member(world.branch_b, name="吴军")
    assert names(world.city, date(2024, 1, 1), Scope.for_user(chair_a)) == ["张敏"]


def test_overlapping_spells_are_refused(world):
    person = make_member(world.branch_a, name="郑洁", start=date(2010, 1, 1))
    with pytest.raises(ValidationError, match="不能重叠"):
        services.membership_start(
            person=person, org=world.branch_b, on=date(2012, 1, 1), reason=SpellReason.ADMITTED
        )


def test_ending_a_membership_that_is_not_in_force_is_refused(world):
    person = make_member(world.branch_a, name="冯强", start=date(2010, 1, 1))
    with pytest.raises(ValidationError, match="没有在册"):
        services.membership_end(person=person, on=date(2009, 1, 1), reason=SpellReason.DIED)


def test_a_dissolved_organization_accepts_no_members(world):
    from tongxin.orgs.services import org_dissolve

    org_dissolve(org=world.branch_b, on=date(2020, 1, 1))
    person = make_member(world.branch_a, name="陈静", start=date(2010, 1, 1))
    with pytest.raises(ValidationError, match="已于 2020-01-01 撤销"):
        services.membership_transfer(person=person, to_org=world.branch_b, on=date(2021, 1, 1))


def test_a_membership_cannot_start_before_the_organization_was_established(world):
    from tongxin.orgs.services import org_update

    world.branch_b.established = date(2020, 1, 1)
    org_update(org=world.branch_b)
    with pytest.raises(ValidationError, match="成立于 2020-01-01"):
        make_member(world.branch_b, name="陈静", start=date(2019, 12, 31))
