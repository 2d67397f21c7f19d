"""Recording an election: the old term closes, the new one opens with its seats and their posts,
and impossible input is refused in Chinese with nothing written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_member
from tests.terms.terms_helpers import elect, member
from tongxin.core.codes import PostKind
from tongxin.people.models import Post
from tongxin.terms import services
from tongxin.terms.models import Election, ElectionCandidate, Term, TermSeat
from tongxin.terms.services import Seat, Vote

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Term.objects.values_list("org_id", "number", "start", "end")),
        Election.objects.count(),
        TermSeat.objects.count(),
        ElectionCandidate.objects.count(),
        sorted(Post.objects.values_list("person_id", "title", "start", "end")),
    )


def test_an_election_closes_the_old_term_and_opens_the_new_one(world):
    zhang = member(world.branch_a, "张敏")
    li = member(world.branch_a, "李华")
    wang = member(world.branch_a, "王芳", gender="2")
    old = elect(world.branch_a, 3, date(2019, 5, 10), [(zhang, "支部主委"), (li, "支委")])
    assert old.label == "第三届"
    assert old.due_end == date(2024, 5, 10)  # 每届五年

    new = elect(
        world.branch_a,
        4,
        date(2024, 5, 20),
        [(li, "支部主委"), (wang, "支委"), (zhang, "支委")],
        entitled=25,
        voted=23,
        votes=[Vote(person=li, votes=23), Vote(person=wang, votes=20)],
    )
    old.refresh_from_db()
    assert old.end == date(2024, 5, 20)
    assert new.previous == old and new.end is None
    assert new.election.entitled == 25 and new.election.voted == 23
    assert [(s.person.name, s.title, s.is_chair) for s in new.seats.all()] == [
        ("李华", "支部主委", True),
        ("王芳", "支委", False),
        ("张敏", "支委", False),
    ]
    assert {c.person.name: (c.votes, c.elected) for c in new.election.candidates.all()} == {
        "李华": (23, True),
        "王芳": (20, True),
    }
    # The person file's 职务与安排 follows: the old seats' posts ended, the new ones began.
    posts = Post.objects.filter(kind=PostKind.PARTY, org=world.branch_a).order_by("start", "pk")
    assert [(p.person.name, p.title, p.term, p.start, p.end) for p in posts] == [
        ("张敏", "支部主委", "第三届", date(2019, 5, 10), date(2024, 5, 20)),
        ("李华", "支委", "第三届", date(2019, 5, 10), date(2024, 5, 20)),
        ("李华", "支部主委", "第四届", date(2024, 5, 20), None),
        ("王芳", "支委", "第四届", date(2024, 5, 20), None),
        ("张敏", "支委", "第四届", date(2024, 5, 20), None),
    ]


def test_an_election_is_in_the_audit_log(world):
    from auditlog.models import LogEntry

    zhang = member(world.branch_a, "张敏")
    term = elect(world.branch_a, 1, date(2024, 5, 20), [(zhang, "支部主委")])
    assert LogEntry.objects.get_for_object(term).get().action == LogEntry.Action.CREATE
    seat = term.seats.get()
    assert LogEntry.objects.get_for_object(seat).get().changes_dict["title"] == ["None", "支部主委"]


def test_a_city_committee_is_chosen_from_the_members_of_its_branches(world):
    a = member(world.branch_a, "张敏")
    g1 = member(world.branch_g1, "周明")
    term = elect(world.city, 14, date(2021, 11, 20), [(a, "主委"), (g1, "副主委")])
    assert term.seats.count() == 2


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"voted": 31}, "voted", "参加投票人数（31）不能多于应参加选举人数（30）"),
        ({"entitled": 0, "voted": 0}, "entitled", "应参加选举人数须大于 0"),
        ({"held_on": date(2027, 1, 1)}, "held_on", "选举日期 2027-01-01 晚于今天"),
        ({"number": 6}, "number", "届次应为第五届（上一届是第四届）"),
        ({"number": 4}, "number", "「江城大学第一支部」第四届已经登记"),
        ({"held_on": date(2019, 5, 10)}, "held_on", "选举日期须晚于第四届的开始日期 2020-03-01"),
        ({"due_end": date(2024, 1, 1)}, "due_end", "应届满日期须晚于选举日期"),
    ],
)
def test_impossible_elections_are_refused_and_change_nothing(world, change, field, message):
    zhang = member(world.branch_a, "张敏")
    elect(world.branch_a, 4, date(2020, 3, 1), [(zhang, "支部主委")])
    before = _snapshot()
    arguments = {
        "org": world.branch_a,
        "number": 5,
        "held_on": date(2025, 3, 1),
        "entitled": 30,
        "voted": 28,
        "seats": [Seat(person=zhang, title="支部主委")],
        "today": date(2026, 6, 30),
        **change,
    }
    with pytest.raises(ValidationError) as exc:
        services.election_record(**arguments)
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert _snapshot() == before


def test_a_seat_holder_must_be_a_member_of_the_subtree_on_the_election_day(world):
    outsider = member(world.branch_b, "王芳")
    late = member(world.branch_a, "李华", start=date(2024, 6, 1))
    zhang = member(world.branch_a, "张敏")
    with pytest.raises(ValidationError) as exc:
        elect(
            world.branch_a,
            1,
            date(2024, 5, 20),
            [(zhang, "支部主委"), (outsider, "支委"), (late, "支委")],
        )
    assert exc.value.message_dict["seats"] == [
        "王芳 在 2024-05-20 不是「江城大学第一支部」及其下级组织的在册成员",
        "李华 在 2024-05-20 不是「江城大学第一支部」及其下级组织的在册成员",
    ]
    assert Term.objects.count() == 0 and Post.objects.count() == 0


def test_one_seat_a_person_one_chair_a_committee_and_votes_within_the_voters(world):
    zhang = member(world.branch_a, "张敏")
    li = member(world.branch_a, "李华")
    with pytest.raises(ValidationError) as exc:
        elect(
            world.branch_a,
            1,
            date(2024, 5, 20),
            [(zhang, "支部主委"), (zhang, "支委"), (li, "书记")],
            voted=20,
            votes=[Vote(person=li, votes=21)],
        )
    errors = exc.value.message_dict
    assert "张敏 在班子中登记了两次" in errors["seats"]
    assert "班子只能有一名主要负责人，现有 张敏（支部主委）、李华（书记）" in errors["seats"]
    assert errors["candidates"] == ["候选人 李华 得票 21 票，多于参加投票人数（20）"]


def test_a_dissolved_organization_holds_no_election(world):
    from tongxin.orgs.services import org_dissolve

    org_dissolve(org=world.branch_b, on=date(2022, 1, 1))
    person = make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    with pytest.raises(ValidationError) as exc:
        elect(world.branch_b, 1, date(2023, 1, 1), [(person, "支部主委")])
    assert "「医药卫生支部」已于 2022-01-01 撤销，不能换届" in exc.value.message_dict["held_on"]


def test_undoing_the_latest_election_makes_the_previous_term_current_again(world):
    zhang = member(world.branch_a, "张敏")
    li = member(world.branch_a, "李华")
    old = elect(world.branch_a, 1, date(2019, 5, 10), [(zhang, "支部主委")])
    new = elect(world.branch_a, 2, date(2024, 5, 20), [(li, "支部主委")])
    with pytest.raises(ValidationError):
        services.election_undo(term=old)  # not the latest
    assert services.election_undo(term=new) == old
    old.refresh_from_db()
    assert old.end is None
    assert list(Post.objects.values_list("person__name", "end")) == [("张敏", None)]
    assert Term.objects.count() == 1
