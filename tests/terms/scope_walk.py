"""Branch B's terms for the scope walk (tests/test_scope_walk.py)."""

from datetime import date

from tests.factories import make_member
from tongxin.terms import services
from tongxin.terms.models import Election, Term, TermSeat

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
    return {"term": term, "org": world.branch_b}


def argument(name, arg, records):
    if name == "terms:election_undo" and arg == "pk":
        return str(records["term"].pk)
    # An organization's election form, under orgs/ as before terms had their own app.
    if name == "terms:election_new" and arg == "pk":
        return str(records["org"].pk)
    return None


def markers(records) -> list[str]:
    return [SEAT_HOLDER]


def snapshot():
    return (
        sorted(Term.objects.values_list("pk", "org_id", "number", "start", "end")),
        sorted(Election.objects.values_list("pk", "entitled", "voted")),
        sorted(TermSeat.objects.values_list("pk", "person_id", "title")),
    )


EXPECTED = ["terms:election_new", "terms:election_undo", "terms:terms", "terms:term_seats"]
