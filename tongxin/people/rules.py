"""The rules of a person's record and membership, as pure functions: the person form and
services apply them to one record, the roster import to a whole file at once, so that a member
is the same record whichever way they came in."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from tongxin.core.idnumber import parse_id_number


class IdNumberFacts(NamedTuple):
    number: str  # normalised
    gender: str
    birth_date: date
    # Field name → Chinese reason, for a gender or birth date that contradicts the number.
    errors: dict[str, str]


def id_number_facts(number: str, *, gender: str, birth_date: date | None) -> IdNumberFacts:
    """Gender and birth date follow from a valid ID number where they are blank; given ones
    must agree with it (an unknown or unstated gender is not a contradiction)."""
    info = parse_id_number(number)
    errors = {}
    if gender in ("1", "2") and gender != info.gender:
        errors["gender"] = "性别与身份证号不一致"
    if birth_date and birth_date != info.birth_date:
        errors["birth_date"] = (
            f"出生日期与身份证号不一致（身份证号中为 {info.birth_date:%Y-%m-%d}）"
        )
    return IdNumberFacts(info.number, gender or info.gender, birth_date or info.birth_date, errors)


def member_status(*, party: str, held: str) -> str:
    """A member's political status on joining an organization whose (effective) party is
    ``party``: the party's (CODES.md: it follows from membership); under a node without a
    party, what they ``held`` stays."""
    return party or held
