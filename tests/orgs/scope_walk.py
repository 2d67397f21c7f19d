"""Branch B's terms for the scope walk (tests/test_scope_walk.py)."""

from datetime import date

from tests.factories import make_member
from tongxin.orgs.models import Election, Term, TermSeat
from tongxin.orgs.terms import services

SEAT_HOLDER = "东方白"


def b_records(world) -> dict:
    holder = make_member(world.branch_b, name=SEAT_HOLDER, start=date(2010, 1, 1))
    term = services.election_record(
        org=world.branch_b,
        number=7,
        held_on=date(2024, 4, 18),
        entitled=31,
        voted=29,
        seats=[services.Seat(person=holder, title="支部主委")],
        votes=[services.Vote(person=holder, votes=29)],
    )
    return {"term": term}


def argument(name, arg, records):
    if name == "orgs:election_undo" and arg == "pk":
        return str(records["term"].pk)
    return None


def markers(records) -> list[str]:
    return [SEAT_HOLDER]


def snapshot():
    return (
        sorted(Term.objects.values_list("pk", "org_id", "number", "start", "end")),
        sorted(Election.objects.values_list("pk", "entitled", "voted")),
        sorted(TermSeat.objects.values_list("pk", "person_id", "title")),
    )


EXPECTED = ["orgs:election_new", "orgs:election_undo", "orgs:terms", "orgs:term_seats"]
