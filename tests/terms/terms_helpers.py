"""Builders for terms tests: members with the attributes the composition counts."""

from datetime import date

from tests.factories import make_member
from tongxin.terms import services
from tongxin.terms.services import Seat


def member(org, name, *, born=(1975, 6, 1), gender="1", education="21", start=date(2010, 1, 1)):
    return make_member(
        org, name=name, birth_date=date(*born), gender=gender, education=education, start=start
    )


def elect(org, number, held_on, seats, *, entitled=30, voted=28, votes=(), today=None):
    """Record an election with ``seats`` given as (person, title) pairs."""
    return services.election_record(
        org=org,
        number=number,
        held_on=held_on,
        entitled=entitled,
        voted=voted,
        seats=[Seat(person=p, title=t) for p, t in seats],
        votes=votes,
        today=today or date(2026, 6, 30),
    )
