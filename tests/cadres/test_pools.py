"""Pools: entries, exclusions, capacity, levels, exits, and non-members kept through an
affiliation."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.cadres.conftest import DECIDED, enter, make_pool
from tests.factories import PersonFactory, make_member
from tongxin.cadres import selectors, services
from tongxin.cadres.models import (
    EntrySource,
    ExitReason,
    PoolKind,
    PoolLevel,
    Position,
    RankGroup,
)
from tongxin.core.codes import AffiliationKind
from tongxin.core.scope import Scope
from tongxin.people import selectors as people_selectors

pytestmark = pytest.mark.django_db


def test_a_member_of_the_subtree_is_entered_with_source_and_decision(reserve, young_member):
    entry = enter(reserve, young_member, source=EntrySource.DOUBLE_HUNDRED, document_no="盟发1号")
    assert entry.start == DECIDED
    assert entry.get_source_display() == "双百调查"
    assert entry.decision_meeting == "主委会议"
    assert list(reserve.entries.active_on(date(2025, 6, 1))) == [entry]


def test_a_person_cannot_be_in_two_pools_that_exclude_each_other(world, reserve, young_member):
    young = make_pool(world.city, name="优秀青年干部", kind=PoolKind.YOUNG, excludes=[reserve])
    enter(reserve, young_member)
    with pytest.raises(ValidationError) as caught:
        enter(young, young_member, on=date(2025, 5, 1))
    message = " ".join(caught.value.messages)
    assert "「后备干部」" in message and "「优秀青年干部」" in message and "互斥" in message
    assert not young.entries.exists()


def test_exclusion_works_both_ways_and_ends_with_the_stay(world, reserve, young_member):
    young = make_pool(world.city, name="优秀青年干部", kind=PoolKind.YOUNG, excludes=[reserve])
    assert list(reserve.excludes.all()) == [young]
    entry = enter(young, young_member)
    services.pool_entry_end(entry=entry, on=date(2025, 9, 1), reason=ExitReason.PROMOTED)
    # Once out of the young pool, the person may enter the reserve.
    assert enter(reserve, young_member, on=date(2025, 9, 1)).pool == reserve


def test_pools_that_do_not_exclude_each_other_may_share_a_person(world, reserve, young_member):
    talent = make_pool(world.city, name="专业人才库", kind=PoolKind.TALENT)
    enter(reserve, young_member)
    assert enter(talent, young_member).pool == talent


def test_a_person_is_not_entered_twice_in_the_same_pool(reserve, young_member):
    enter(reserve, young_member)
    with pytest.raises(ValidationError, match="已在「后备干部」中"):
        enter(reserve, young_member, on=date(2025, 4, 1))


def test_a_full_pool_refuses_another_entry(world, young_member):
    small = make_pool(world.city, name="小库", capacity=1)
    enter(small, make_member(world.branch_a, name="王一"))
    with pytest.raises(ValidationError, match="名额已满（1 人）"):
        enter(small, young_member)


def test_a_pool_with_levels_needs_one_and_counts_its_capacity(world, reserve, young_member):
    level = services.pool_level_save(
        level=PoolLevel(
            pool=reserve, rank_group=RankGroup.DIVISION, position=Position.DEPUTY, capacity=1
        )
    )
    assert level.label == "县处级副职"
    with pytest.raises(ValidationError, match="请选择层级"):
        enter(reserve, young_member)
    enter(reserve, young_member, level=level)
    with pytest.raises(ValidationError, match="县处级副职名额已满"):
        enter(reserve, make_member(world.branch_a, name="赵二"), level=level)


def test_someone_outside_the_pools_subtree_is_refused(world, reserve):
    far = make_member(world.other_branch, name="司马远")
    with pytest.raises(ValidationError, match="不是「民盟江城市委员会」的成员"):
        enter(reserve, far)


def test_an_exit_needs_a_date_not_before_the_entry(reserve, young_member):
    entry = enter(reserve, young_member)
    with pytest.raises(ValidationError, match="不能早于入库日期"):
        services.pool_entry_end(entry=entry, on=date(2025, 1, 1), reason=ExitReason.OVER_AGE)
    entry.refresh_from_db()
    assert entry.end is None
    services.pool_entry_end(entry=entry, on=date(2026, 1, 1), reason=ExitReason.OVER_AGE)
    entry.refresh_from_db()
    assert (entry.end, entry.get_exit_reason_display()) == (date(2026, 1, 1), "超龄")


def test_a_non_party_cadre_is_registered_with_an_affiliation_that_puts_them_in_scope(world):
    non_party = make_pool(world.city, name="党外干部", kind=PoolKind.NON_PARTY)
    person = PersonFactory.build(name="钱党外", birth_date=date(1980, 2, 2))
    entry = services.pool_person_register(
        person=person,
        org=world.branch_b,
        pool=non_party,
        on=DECIDED,
        source=EntrySource.UNIT,
        decision_meeting="部务会",
        decision_date=DECIDED,
    )
    affiliation = person.affiliations.get()
    assert (affiliation.org, affiliation.kind) == (world.branch_b, AffiliationKind.NON_PARTY_CADRE)
    in_b = people_selectors.people_in_scope(scope=Scope.of([world.branch_b.path]))
    in_a = people_selectors.people_in_scope(scope=Scope.of([world.branch_a.path]))
    assert person in in_b and person not in in_a
    # Leaving the last pool of that organization lets the file go, dated; history stays.
    services.pool_entry_end(entry=entry, on=date(2026, 2, 1), reason=ExitReason.TRANSFERRED)
    affiliation.refresh_from_db()
    assert affiliation.end == date(2026, 2, 1)
    assert person in people_selectors.people_in_scope(scope=Scope.of([world.branch_b.path]))


def test_a_talent_is_kept_as_a_talent_affiliation(world):
    talent = make_pool(world.city, name="专业人才库", kind=PoolKind.TALENT)
    person = PersonFactory.build(name="孙人才")
    services.pool_person_register(
        person=person,
        org=world.city,
        pool=talent,
        on=DECIDED,
        source=EntrySource.SURVEY,
        decision_meeting="部务会",
        decision_date=DECIDED,
    )
    assert person.affiliations.get().kind == AffiliationKind.TALENT


def test_the_file_must_be_kept_under_the_pools_organization(world):
    non_party = make_pool(world.city, name="党外干部", kind=PoolKind.NON_PARTY)
    person = PersonFactory.build(name="周外地")
    with pytest.raises(ValidationError):
        services.pool_person_register(
            person=person,
            org=world.other_branch,
            pool=non_party,
            on=DECIDED,
            source=EntrySource.UNIT,
            decision_meeting="部务会",
            decision_date=DECIDED,
        )
    assert person.pk is None or not person.affiliations.exists()


def test_pools_are_in_scope_through_their_organization(world, reserve):
    other = make_pool(world.other_city, name="河城后备干部")
    city_scope = Scope.of([world.city.path])
    assert list(selectors.pools(scope=city_scope)) == [reserve]
    assert list(selectors.pools(scope=Scope.of([world.branch_a.path]))) == []
    assert other in selectors.pools(scope=Scope(everything=True))
