"""The member lifecycle: transfers within and across Tongxin's border, exits, 停止组织生活 —
each a dated event that ends or starts spells and overwrites nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_member
from tongxin.core.codes import SpellReason
from tongxin.core.scope import Scope
from tongxin.people import services, standing
from tongxin.people.models import MembershipSpell
from tongxin.people.selectors import members_on

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)


def test_a_new_member_takes_the_partys_political_status(world):
    person = make_member(world.branch_a, name="张敏")
    assert person.political_status == "05"  # 民盟盟员, from the province's party


def test_a_transfer_out_and_back_in_keeps_both_spells(world):
    person = make_member(world.branch_a, name="李华", start=date(2015, 1, 1))
    services.membership_transfer_out(
        person=person,
        on=date(2022, 3, 1),
        to_name="民盟北京市委员会",
        letter_no="江盟转〔2022〕7号",
        approved_by="民盟江城市委员会",
    )
    services.membership_transfer_in(
        person=person,
        org=world.branch_b,
        on=date(2024, 9, 1),
        from_name="民盟北京市委员会",
        letter_no="京盟转〔2024〕31号",
    )
    spells = list(MembershipSpell.objects.filter(person=person).order_by("start"))
    assert [(s.org, s.start, s.end, s.start_reason, s.end_reason) for s in spells] == [
        (world.branch_a, date(2015, 1, 1), date(2022, 3, 1), "admitted", "transferred_out"),
        (world.branch_b, date(2024, 9, 1), None, "transferred_in", ""),
    ]
    assert spells[0].went_to == "民盟北京市委员会"
    assert spells[0].end_letter_no == "江盟转〔2022〕7号"
    assert spells[1].came_from == "民盟北京市委员会"
    assert spells[1].start_letter_no == "京盟转〔2024〕31号"
    assert not members_on(scope=EVERYTHING, org=world.city, on=date(2023, 1, 1)).exists()
    assert members_on(scope=EVERYTHING, org=world.city, on=date(2024, 9, 1)).get() == person


def test_a_transfer_out_needs_the_receiving_organization_and_the_letter(world):
    person = make_member(world.branch_a, name="王芳")
    with pytest.raises(ValidationError) as refused:
        services.membership_transfer_out(
            person=person, on=date(2022, 3, 1), to_name="", letter_no=""
        )
    assert refused.value.message_dict == {
        "to_name": ["请填写转往的组织"],
        "letter_no": ["请填写转出介绍信编号"],
    }
    assert MembershipSpell.objects.get(person=person).end is None


def test_the_receipt_of_a_transfer_out_is_recorded_once_and_not_before_the_transfer(world):
    person = make_member(world.branch_a, name="周明")
    spell = services.membership_transfer_out(
        person=person, on=date(2022, 3, 1), to_name="民盟河北省委员会", letter_no="7"
    )
    with pytest.raises(ValidationError, match="不能早于转出日期"):
        services.membership_receipt(spell=spell, on=date(2022, 2, 1))
    services.membership_receipt(spell=spell, on=date(2022, 4, 2))
    with pytest.raises(ValidationError, match="回执已于 2022-04-02 登记"):
        services.membership_receipt(spell=spell, on=date(2022, 5, 1))


def test_a_transfer_within_tongxin_carries_its_letter_on_both_spells(world):
    person = make_member(world.branch_a, name="吴军", start=date(2015, 1, 1))
    services.membership_transfer(
        person=person, to_org=world.branch_b, on=date(2023, 6, 30), letter_no="江盟转〔2023〕2号"
    )
    old, new = MembershipSpell.objects.filter(person=person).order_by("start")
    assert old.end_letter_no == new.start_letter_no == "江盟转〔2023〕2号"


@pytest.mark.parametrize(
    ("reason", "status"),
    [(SpellReason.WITHDREW, "13"), (SpellReason.EXPELLED, "13"), (SpellReason.DIED, "05")],
)
def test_an_exit_ends_the_spell_and_a_living_persons_party_status(world, reason, status):
    person = make_member(world.branch_a, name="郑华")
    services.membership_exit(
        person=person,
        on=date(2024, 5, 1),
        reason=reason,
        document_no="江盟发〔2024〕9号",
        approved_by="民盟江城市委员会",
    )
    spell = MembershipSpell.objects.get(person=person)
    assert (spell.end, spell.end_reason, spell.end_approved_by) == (
        date(2024, 5, 1),
        reason,
        "民盟江城市委员会",
    )
    person.refresh_from_db()
    assert person.political_status == status


def test_a_cross_member_who_withdraws_is_still_a_cpc_member(world):
    person = make_member(world.branch_a, name="钱进", is_cross_member=True)
    services.membership_exit(
        person=person, on=date(2024, 5, 1), reason="withdrew", approved_by="民盟江城市委员会"
    )
    person.refresh_from_db()
    assert person.political_status == "01"


def test_an_expulsion_needs_a_decision_number_and_an_approving_body(world):
    person = make_member(world.branch_a, name="冯力")
    with pytest.raises(ValidationError) as refused:
        services.membership_exit(person=person, on=date(2024, 5, 1), reason="expelled")
    assert refused.value.message_dict == {
        "approved_by": ["开除须填写审批机关"],
        "document_no": ["开除须填写决定的文号"],
    }
    assert MembershipSpell.objects.get(person=person).end is None


def test_an_earlier_exit_cannot_overwrite_a_later_end(world):
    person = make_member(world.branch_a, name="陈刚", start=date(2010, 1, 1))
    services.membership_transfer_out(
        person=person, on=date(2020, 1, 1), to_name="民盟河北省委员会", letter_no="1"
    )
    with pytest.raises(ValidationError, match="已于 2020-01-01 转出"):
        services.membership_exit(
            person=person, on=date(2019, 1, 1), reason="withdrew", approved_by="民盟江城市委员会"
        )
    spell = MembershipSpell.objects.get(person=person)
    assert (spell.end, spell.end_reason) == (date(2020, 1, 1), "transferred_out")


def test_a_suspended_member_stays_on_the_roll_but_not_in_good_standing(world):
    person = make_member(world.branch_a, name="褚红", start=date(2010, 1, 1))
    suspension = services.suspension_start(
        person=person,
        on=date(2023, 1, 1),
        reason="长期不参加组织生活",
        approved_by="江城大学第一支部",
    )
    assert members_on(scope=EVERYTHING, org=world.branch_a, on=date(2023, 6, 1)).get() == person
    assert not standing.in_good_standing(person=person, on=date(2023, 6, 1))
    assert standing.in_good_standing(person=person, on=date(2022, 12, 31))
    with pytest.raises(ValidationError, match="尚未恢复"):
        services.suspension_start(person=person, on=date(2023, 3, 1), reason="again")
    services.suspension_end(suspension=suspension, on=date(2024, 1, 1), document_no="恢复1号")
    assert standing.in_good_standing(person=person, on=date(2024, 1, 1))


def test_an_exit_ends_a_suspension_in_force(world):
    person = make_member(world.branch_a, name="卫东")
    suspension = services.suspension_start(person=person, on=date(2023, 1, 1), reason="失联")
    services.membership_exit(
        person=person, on=date(2024, 1, 1), reason="removed", document_no="除1", approved_by="市委"
    )
    suspension.refresh_from_db()
    assert suspension.end == date(2024, 1, 1)


def test_only_a_member_can_be_suspended(world):
    person = make_member(world.branch_a, name="蒋平", start=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="没有在册的成员关系"):
        services.suspension_start(person=person, on=date(2019, 1, 1), reason="失联")


def test_membership_seniority_runs_across_transfers_but_not_across_a_break(world):
    person = make_member(world.branch_a, name="沈阳", start=date(2010, 1, 1))
    services.membership_transfer(person=person, to_org=world.branch_b, on=date(2015, 1, 1))
    assert standing.member_since(person=person, on=date(2016, 1, 1)) == date(2010, 1, 1)
    services.membership_exit(
        person=person, on=date(2017, 1, 1), reason="withdrew", approved_by="民盟江城市委员会"
    )
    services.membership_start(
        person=person, org=world.branch_a, on=date(2019, 1, 1), reason=SpellReason.ADMITTED
    )
    assert standing.member_since(person=person, on=date(2018, 1, 1)) is None
    assert standing.member_since(person=person, on=date(2020, 1, 1)) == date(2019, 1, 1)
