"""The export's member rows: who is in them, in which order, with which organization."""

from datetime import date

from tests.factories import make_member
from tongxin.core.scope import Scope
from tongxin.io.export import member_rows
from tongxin.people.models import MembershipSpell, Post

ON = date(2025, 6, 30)


def test_members_of_the_subtree_on_the_date_in_the_order_they_were_registered(world):
    first = make_member(world.branch_a, name="张敏")
    left = make_member(world.branch_b, name="离开者")
    MembershipSpell.objects.filter(person=left).update(end=date(2024, 1, 1), end_reason="withdrew")
    make_member(world.branch_g1, name="周明", start=date(2025, 7, 1))  # after ON
    make_member(world.other_branch, name="外市人")
    last = make_member(world.branch_g1, name="王芳", phone="13912345678")
    rows = list(member_rows(scope=Scope(everything=True), org=world.city, on=ON))
    assert [r["name"] for r in rows] == ["张敏", "王芳"]
    assert [r["org_code"] for r in rows] == ["C1-A", "C1-G1"]
    assert rows[1]["id_number"] == last.id_number and rows[1]["phone"] == "13912345678"
    assert first.pk < last.pk  # registered first, listed first


def test_a_user_sees_only_the_members_in_scope(world, chair_a):
    make_member(world.branch_a, name="张敏")
    make_member(world.branch_b, name="李雷")
    rows = member_rows(scope=Scope.for_user(chair_a), org=world.city, on=ON)
    assert [r["name"] for r in rows] == ["张敏"]


def test_posts_in_force_on_the_date_fill_rank_and_party_posts(world):
    person = make_member(world.branch_a, name="张敏")
    for title, start, end in (("副主委", date(2018, 1, 1), date(2021, 1, 1)),
                              ("主委", date(2021, 1, 1), None),
                              ("组织委员", date(2022, 1, 1), None)):  # fmt: skip
        Post.objects.create(
            person=person, kind="party", title=title, org=world.branch_a, start=start, end=end
        )
    Post.objects.create(person=person, kind="government", title="处长", rank="131",
                        start=date(2019, 1, 1))  # fmt: skip
    (row,) = member_rows(scope=Scope(everything=True), org=world.city, on=ON)
    assert row["party_posts"] == ["主委", "组织委员"]
    assert row["admin_rank"] == "131"


def test_a_person_with_two_spells_in_force_is_one_row_with_the_latest(world):
    person = make_member(world.branch_a, name="张敏", start=date(2015, 1, 1))
    MembershipSpell.objects.create(
        person=person, org=world.branch_b, start=date(2020, 1, 1), start_reason="transferred_in"
    )
    (row,) = member_rows(scope=Scope(everything=True), org=world.city, on=ON)
    assert row["org_code"] == "C1-B"


def test_the_masked_export_keeps_one_character_of_each_end_of_an_id_number_and_masks_emails(
    world,
):
    person = make_member(
        world.branch_a, name="张敏", phone="13912345678", email="zhangmin@example.com"
    )
    (row,) = member_rows(scope=Scope(everything=True), org=world.city, on=ON, profile="masked")
    number = person.id_number
    # The birth date (digits 7–14) is in the row in clear: nothing more of the number may be.
    assert row["birth_date"] == person.birth_date
    assert row["id_number"] == number[0] + "*" * 16 + number[-1]
    assert row["phone"] == "139****5678"
    assert row["email"] == "z***@example.com"
