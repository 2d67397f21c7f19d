"""Rank groups and political arrangements count the subtree's members holding a post on the
date. PostgreSQL counts them over the members joined to their posts of the kind, SQLite over
the members outer-joined to all their posts (bench/README.md, Statistics, step 4): on either
database each figure is the length of the roster list it opens."""

from datetime import date

import pytest

from tests.factories import make_member
from tongxin.core.codes import PoliticalBody, PoliticalLevel, PostKind
from tongxin.core.scope import Scope
from tongxin.people import services
from tongxin.people.models import Post
from tongxin.people.selectors import RosterFilter, roster
from tongxin.stats import selectors

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)
D = date(2024, 12, 31)


def government(person, rank, **dates):
    Post.objects.create(person=person, kind=PostKind.GOVERNMENT, title="实职", rank=rank, **dates)


def seat(person, body, level, **dates):
    Post.objects.create(
        person=person, kind=PostKind.POLITICAL, title="安排", body=body, level=level, **dates
    )


@pytest.fixture
def holders(world):
    jia = make_member(world.branch_a, name="甲")
    yi = make_member(world.branch_g1, name="乙")
    bing = make_member(world.branch_b, name="丙")
    ding = make_member(world.branch_b, name="丁")
    wu = make_member(world.other_branch, name="戊")
    # 甲: a post with no dates is in force; two seats at two levels count at each level.
    government(jia, "141")
    seat(jia, PoliticalBody.CPPCC_MEMBER, PoliticalLevel.CITY, start=date(2022, 1, 1))
    seat(jia, PoliticalBody.NPC_DEPUTY, PoliticalLevel.COUNTY)
    # 乙: two government posts of one rank group count once; a seat ended on the date does not.
    government(yi, "141", start=date(2020, 1, 1))
    government(yi, "142", start=date(2023, 1, 1))
    seat(yi, PoliticalBody.CPPCC_MEMBER, PoliticalLevel.CITY, start=date(2020, 1, 1), end=D)
    # 丙 left the city before the date with posts still in force: not a member then.
    government(bing, "131", start=date(2020, 1, 1))
    seat(bing, PoliticalBody.CPPCC_MEMBER, PoliticalLevel.CITY, start=date(2020, 1, 1))
    services.membership_transfer(person=bing, to_org=world.other_branch, on=date(2024, 6, 30))
    # 丁 takes up a post after the date.
    government(ding, "131", start=date(2025, 1, 1))
    # 戊 is a member of the other city.
    government(wu, "131", start=date(2020, 1, 1))
    return world


def nonzero(figures):
    return {key: figure.value for key, figure in figures.items() if figure.value}


def listed(world, **params):
    people = roster(scope=EVERYTHING, org=world.city, on=D, filters=RosterFilter(**params))
    return sorted(p.name for p in people)


def test_rank_groups_count_members_holding_a_government_post_on_the_date(holders):
    ranks = selectors.members(scope=EVERYTHING, org=holders.city, as_of=D)["rank_group"]
    assert nonzero(ranks) == {"乡科级": 2}
    assert sorted(p.name for p in ranks["乡科级"].records) == ["乙", "甲"]
    assert listed(holders, rank_group="乡科级") == ["乙", "甲"]
    assert listed(holders, rank_group="县处级") == []
    # Half a year earlier 丙 was still a member of the city, with his 县处级 post.
    earlier = selectors.members(scope=EVERYTHING, org=holders.city, as_of=date(2024, 1, 1))[
        "rank_group"
    ]
    assert nonzero(earlier) == {"县处级": 1, "乡科级": 2}
    # The table counts as the single figure does.
    table = selectors.members(scope=EVERYTHING, org=holders.city, as_of=D)["rank_group"]
    assert {key: f.value for key, f in table.items()} == {key: f.value for key, f in ranks.items()}


def test_political_arrangements_count_each_seat_held_on_the_date(holders):
    seats = selectors.political_arrangements(scope=EVERYTHING, org=holders.city, as_of=D)
    held = {
        (level, body): figure.value
        for level, bodies in seats.items()
        for body, figure in bodies.items()
        if figure.value
    }
    assert held == {("市级", "政协委员"): 1, ("县级", "人大代表"): 1}
    assert sorted(p.name for p in seats["市级"]["政协委员"].records) == ["甲"]
    city_members = listed(
        holders, political_body=PoliticalBody.CPPCC_MEMBER, political_level=PoliticalLevel.CITY
    )
    assert city_members == ["甲"]
    # The day before, 乙's seat was still in force.
    before = selectors.political_arrangement(
        scope=EVERYTHING,
        org=holders.city,
        as_of=date(2024, 12, 30),
        body=PoliticalBody.CPPCC_MEMBER,
        level=PoliticalLevel.CITY,
    )
    assert (before.value, sorted(p.name for p in before.records)) == (2, ["乙", "甲"])


def test_every_holder_figure_is_the_length_of_its_list(holders):
    for as_of in (D, date(2024, 1, 1), date(2025, 6, 30)):
        figures = [
            *selectors.members(scope=EVERYTHING, org=holders.city, as_of=as_of)[
                "rank_group"
            ].values(),
            *(
                figure
                for bodies in selectors.political_arrangements(
                    scope=EVERYTHING, org=holders.city, as_of=as_of
                ).values()
                for figure in bodies.values()
            ),
        ]
        assert sum(f.value for f in figures) > 0
        for figure in figures:
            assert figure.value == len(figure.records), (as_of, figure.link)


def test_rank_splits_each_group_into_principal_and_deputy(holders):
    # 甲 holds 乡科级正职; 乙 held 乡科级正职 and now also 乡科级副职: counted at each rank held.
    ranks = selectors.members(scope=EVERYTHING, org=holders.city, as_of=D)["rank"]
    assert nonzero(ranks) == {"乡科级正职": 2, "乡科级副职": 1}
    assert listed(holders, rank="乡科级副职") == ["乙"]
    assert sorted(p.name for p in ranks["乡科级正职"].records) == ["乙", "甲"]
    earlier = selectors.members(scope=EVERYTHING, org=holders.city, as_of=date(2024, 1, 1))
    assert nonzero(earlier["rank"]) == {"县处级正职": 1, "乡科级正职": 2, "乡科级副职": 1}
    for figure in ranks.values():
        assert figure.value == len(figure.records)
