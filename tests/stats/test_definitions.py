"""The figures of STATS.md on hand-built histories: each edge case of issue 5, with the records
each figure counts."""

from datetime import date

import pytest

from tests.factories import make_member, make_org
from tongxin.core.codes import OrgKind, PoliticalBody, PoliticalLevel, PostKind, SpellReason
from tongxin.core.scope import Scope
from tongxin.orgs import services as org_services
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.people import services
from tongxin.people.models import Post
from tongxin.stats import selectors

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)
D = date(2024, 12, 31)


def flows(org, as_of=D, period_start=None, scope=EVERYTHING):
    figures = selectors.flows(scope=scope, org=org, as_of=as_of, period_start=period_start)
    return {reason: figure.value for reason, figure in figures.items() if figure.value}


def total(org, as_of=D, scope=EVERYTHING):
    return selectors.members(scope=scope, org=org, as_of=as_of)["total"]


def names(figure):
    return sorted(p.name for p in figure.records)


def test_a_transfer_out_on_the_date_leaves_the_count_and_is_a_flow_of_the_period(world):
    person = make_member(world.branch_a, name="李华", start=date(2015, 1, 1))
    services.membership_transfer(person=person, to_org=world.other_branch, on=D)
    assert total(world.city).value == 0
    assert total(world.city, date(2024, 12, 30)).value == 1
    out = selectors.flow(scope=EVERYTHING, org=world.city, as_of=D, reason="transferred_out")
    assert (out.value, names(out)) == (1, ["李华"])
    assert flows(world.city) == {"transferred_out": 1}
    assert flows(world.other_city) == {"transferred_in": 1}
    # For the province it is a move inside its subtree: counted on both days, no flow.
    province = Organization.objects.get_parent(world.city)
    assert total(province, date(2024, 12, 30)).value == total(province).value == 1
    assert flows(province) == {}


def test_a_transfer_in_on_the_date_counts_that_day(world):
    person = make_member(world.other_branch, name="周明", start=date(2016, 5, 1))
    services.membership_transfer(person=person, to_org=world.branch_b, on=D)
    figure = total(world.city)
    assert (figure.value, names(figure)) == (1, ["周明"])
    assert flows(world.city) == {"transferred_in": 1}


def test_a_death_the_day_after_the_date_still_counts_on_the_date(world):
    person = make_member(world.branch_a, name="王芳", start=date(2001, 3, 1))
    services.membership_end(person=person, on=date(2025, 1, 1), reason=SpellReason.DIED)
    assert total(world.city).value == 1
    assert flows(world.city) == {}
    assert total(world.city, date(2025, 1, 1)).value == 0
    died = selectors.flow(scope=EVERYTHING, org=world.city, as_of=date(2025, 1, 1), reason="died")
    assert (died.value, names(died)) == (1, ["王芳"])


def test_a_move_between_two_branches_of_the_subtree_counts_once_and_is_no_flow(world):
    person = make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    services.membership_transfer(person=person, to_org=world.branch_g1, on=date(2024, 6, 1))
    for day in (date(2024, 5, 31), date(2024, 6, 1), D):
        assert total(world.city, day).value == 1
    assert flows(world.city) == {}
    # It is a flow of each branch, and of the general branch it entered.
    assert flows(world.branch_a) == {"transferred_out": 1}
    assert flows(world.branch_g1) == {"transferred_in": 1}
    assert flows(world.general) == {"transferred_in": 1}
    # The roster of the move's flows for the city is empty, as the figure says.
    assert (
        list(
            selectors.flow(
                scope=EVERYTHING, org=world.city, as_of=D, reason="transferred_in"
            ).records
        )
        == []
    )


def test_a_dissolved_branch_counts_until_its_dissolution(world):
    branch = make_org(world.city, code="C1-X", name="江城纺织支部", established=date(1990, 1, 1))
    person = make_member(branch, name="吴军", start=date(2000, 1, 1))
    services.membership_transfer(person=person, to_org=world.branch_a, on=date(2024, 3, 1))
    org_services.org_dissolve(org=branch, on=date(2024, 3, 1))
    before = selectors.organizations(scope=EVERYTHING, org=world.city, as_of=date(2024, 2, 29))
    after = selectors.organizations(scope=EVERYTHING, org=world.city, as_of=date(2024, 3, 1))
    assert before["total"].value == 5 and after["total"].value == 4
    assert before["by_kind"]["支部"].value == 4 and after["by_kind"]["支部"].value == 3
    assert "江城纺织支部" in [o.name for o in before["by_kind"]["支部"].records]
    assert "江城纺织支部" not in [o.name for o in after["total"].records]
    # Its member moved inside the city: counted once throughout, no flow.
    assert total(world.city, date(2024, 2, 29)).value == total(world.city).value == 1
    assert flows(world.city) == {}


def test_organizations_leave_out_the_chosen_node_and_those_not_yet_established(world):
    make_org(world.city, code="C1-N", name="新设支部", established=date(2025, 3, 1))
    figures = selectors.organizations(scope=EVERYTHING, org=world.city, as_of=D)
    assert figures["total"].value == 4  # A, B, G and G1; not the city, not the new branch
    assert figures["by_kind"]["总支"].value == 1
    assert list(figures["by_kind"])[:6] == ["委员会", "基层委员会", "总支", "支部", "小组", "部门"]


def test_every_category_is_listed_with_zeros(world):
    university = OrganizationCategory.objects.create(name="高校支部")
    OrganizationCategory.objects.create(name="县区支部")
    world.branch_a.categories.add(university)
    world.branch_g1.categories.add(university)
    by_category = selectors.organizations_by_category(scope=EVERYTHING, org=world.city, as_of=D)
    assert {k: v.value for k, v in by_category.items()} == {"县区支部": 0, "高校支部": 2}


def test_a_member_with_two_spells_counts_once_in_each_period_of_membership(world):
    person = make_member(world.branch_a, name="赵静", start=date(2015, 1, 1))
    services.membership_end(person=person, on=date(2018, 6, 1), reason=SpellReason.WITHDREW)
    services.membership_start(
        person=person, org=world.branch_b, on=date(2024, 4, 1), reason=SpellReason.ADMITTED
    )
    assert total(world.city, date(2017, 1, 1)).value == 1
    assert total(world.city, date(2020, 1, 1)).value == 0
    assert total(world.city).value == 1
    assert flows(world.city, as_of=date(2018, 12, 31)) == {"withdrew": 1}
    assert flows(world.city) == {"admitted": 1}
    new = selectors.new_members(scope=EVERYTHING, org=world.city, as_of=D)
    assert (new["total"].value, names(new["total"])) == (1, ["赵静"])


def test_a_period_starting_mid_year_counts_only_its_own_flows(world):
    make_member(world.branch_a, name="早春", start=date(2024, 3, 1))
    make_member(world.branch_a, name="晚秋", start=date(2024, 9, 1))
    make_member(world.branch_a, name="岁末", start=D)
    half = selectors.new_members(
        scope=EVERYTHING, org=world.city, as_of=D, period_start=date(2024, 7, 1)
    )
    assert (half["total"].value, names(half["total"])) == (2, ["岁末", "晚秋"])
    assert flows(world.city, period_start=date(2024, 7, 1)) == {"admitted": 2}
    # Without a start, the period is the calendar year of the date.
    assert flows(world.city) == {"admitted": 3}
    with pytest.raises(ValueError):
        selectors.flows(scope=EVERYTHING, org=world.city, as_of=D, period_start=date(2025, 1, 1))


def test_ages_are_whole_years_on_the_date(world):
    make_member(world.branch_a, name="生日", birth_date=date(1989, 12, 31))  # 35 on D
    make_member(world.branch_a, name="明天", birth_date=date(1989, 1, 1))  # 35 on D
    make_member(world.branch_a, name="闰日", birth_date=date(1964, 2, 29))  # 60 on D
    figures = selectors.members(scope=EVERYTHING, org=world.city, as_of=D)
    bands = {k: v.value for k, v in figures["age_bands"].items()}
    assert bands == {"35岁及以下": 2, "36至40岁": 0, "41至50岁": 0, "51至60岁": 1, "61岁及以上": 0}
    assert figures["average_age"].value == round((35 + 35 + 60) / 3, 1)
    # 29 February against 28 February of a common year: not yet 61.
    on = date(2025, 2, 28)
    assert selectors.members(scope=EVERYTHING, org=world.city, as_of=on)["average_age"].value == (
        round((35 + 36 + 60) / 3, 1)
    )


def test_new_members_average_age_is_taken_at_admission(world):
    make_member(world.branch_a, name="甲", birth_date=date(1984, 6, 2), start=date(2024, 6, 1))
    make_member(world.branch_a, name="乙", birth_date=date(1990, 1, 1), start=date(2024, 6, 1))
    figure = selectors.new_members(scope=EVERYTHING, org=world.city, as_of=D)["average_age"]
    assert figure.value == round((39 + 34) / 2, 1)


def test_posts_and_arrangements_count_when_in_force_on_the_date(world):
    a = make_member(world.branch_a, name="甲")
    b = make_member(world.branch_b, name="乙")
    outsider = make_member(world.other_branch, name="丙")
    Post.objects.create(person=a, kind=PostKind.GOVERNMENT, title="副区长", rank="132",
                        start=date(2020, 1, 1))  # fmt: skip
    Post.objects.create(person=a, kind=PostKind.GOVERNMENT, title="处长", rank="131",
                        start=date(2022, 1, 1))  # fmt: skip
    Post.objects.create(person=b, kind=PostKind.GOVERNMENT, title="科长", rank="141",
                        start=date(2019, 1, 1), end=D)  # fmt: skip
    for person in (a, outsider):
        Post.objects.create(person=person, kind=PostKind.POLITICAL, title="市政协委员",
                            body=PoliticalBody.CPPCC_MEMBER, level=PoliticalLevel.CITY,
                            start=date(2022, 1, 1))  # fmt: skip
    ranks = selectors.members(scope=EVERYTHING, org=world.city, as_of=D)["rank_group"]
    assert {k: v.value for k, v in ranks.items() if v.value} == {"县处级": 1}
    assert names(ranks["县处级"]) == ["甲"]
    earlier = selectors.members(scope=EVERYTHING, org=world.city, as_of=date(2024, 1, 1))[
        "rank_group"
    ]
    assert {k: v.value for k, v in earlier.items() if v.value} == {"县处级": 1, "乡科级": 1}
    seats = selectors.political_arrangements(scope=EVERYTHING, org=world.city, as_of=D)
    assert seats["市级"]["政协委员"].value == 1
    assert names(seats["市级"]["政协委员"]) == ["甲"]
    assert sum(v.value for level in seats.values() for v in level.values()) == 1
    assert (
        selectors.political_arrangements(
            scope=EVERYTHING, org=world.city, as_of=date(2021, 12, 31)
        )["市级"]["政协委员"].value
        == 0
    )


def test_the_scope_limits_every_figure(world, chair_a):
    make_member(world.branch_a, name="甲", gender="2")
    make_member(world.branch_b, name="乙", gender="2")
    scope = Scope.for_user(chair_a)
    assert total(world.city, scope=scope).value == 1
    assert selectors.members(scope=scope, org=world.city, as_of=D)["women"].value == 1
    assert selectors.organizations_total(scope=scope, org=world.city, as_of=D).value == 1


def test_the_members_table_counts_each_structure_figure_by_its_roster_filter(world):
    make_member(world.branch_a, name="甲", gender="2", education="14", degree="3",
                title_level="3", sector="education", is_retired=True, is_cross_member=True,
                ethnicity="03")  # fmt: skip
    make_member(world.branch_g1, name="乙", education="21", degree="4", title_level="2",
                sector="health", ethnicity="01")  # fmt: skip
    table = selectors.members(scope=EVERYTHING, org=world.city, as_of=D)
    assert table["minorities"].value == 1 and names(table["minorities"]) == ["甲"]
    assert table["education"]["研究生"].value == 1
    assert table["title_level"]["无"].value == 0
    assert table["sector"]["医药卫生"].value == 1


def test_a_grassroots_committee_with_a_group_counts_its_members_in_its_branches(world):
    group = make_org(world.branch_a, code="C1-A-1", name="第一小组", kind=OrgKind.GROUP)
    make_member(group, name="甲")
    by_branch = dict(selectors.members_by_branch(scope=EVERYTHING, org=world.city, as_of=D))
    assert by_branch["江城大学第一支部"].value == 1
    assert names(by_branch["江城大学第一支部"]) == ["甲"]
