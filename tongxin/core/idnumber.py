"""Resident identity card numbers — GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men, even for
women) and an ISO 7064 MOD 11-2 check character (0–9 or X).

The address code is not checked. It is the county of household registration when the number was
issued, often decades after birth, and counties have since been created, merged and renumbered;
python-stdnum's ``cn.ric.validate`` refuses codes its table does not place in the birth year, which
would refuse real people (and the standard's own example). Only its ISO 7064 MOD 11-2 check
(``stdnum.iso7064.mod_11_2``, which ``cn.ric`` itself uses) is called here; the birth date is read
as a date directly, without ``cn.ric``'s generic clean-up of every number (which cost more than
the rest of the check in a 100,000-row import). The MOD 11-2 sum itself is computed in C (see
``check_sum``); ``mod_11_2`` still names the expected check character in the message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.iso7064 import mod_11_2

from tongxin.core.codes import Gender

ID_NUMBER_LENGTH = 18

# GB 11643-1999's own example (440524188001010014) was born in 1880, so the bound is set
# before it; it still refuses typos such as 0980 or 1098 for the year.
EARLIEST_BIRTH_DATE = date(1800, 1, 1)

# 17 ASCII digits and a digit or X: the form a normalised number has (a roster's usual cell,
# which then needs no more work), and the characters check of a number.
NORMAL_FORM = re.compile(r"[0-9]{17}[0-9X]")
_WHITESPACE = re.compile(r"\s+")
# The local date is at most a day either side of the machine's (UTC) date, and it only moves
# forward: a birth date before this bound, set when the module is loaded, is never in the future,
# and only later ones ask for the local date (asking for every number cost a tenth of the check).
_NOT_FUTURE_BEFORE = date.today() - timedelta(days=2)
_MALE, _FEMALE = Gender.MALE.value, Gender.FEMALE.value


def check_sum(number: str) -> int:
    """ISO 7064 MOD 11-2 over a number of NORMAL_FORM: 1 when its check character is right.

    The same sum as ``stdnum.iso7064.mod_11_2.checksum``, which folds the characters one at a
    time in Python: the weights are 2^k mod 11, and 13 ≡ 2 (mod 11), so reading the 17 digits
    as a base-13 numeral (``int`` does that in C) gives the weighted sum of all but the last."""
    last = number[17]
    return (int(number[:17], 13) * 2 + (10 if last == "X" else ord(last) - 48)) % 11


def normalize_id_number(value: object) -> str:
    """Strip spaces (also inside and full-width), turn full-width digits and X into ASCII and
    upper-case a trailing x."""
    if value is None:
        return ""
    if type(value) is str and NORMAL_FORM.fullmatch(value):
        return value
    text = unicodedata.normalize("NFKC", str(value))
    return _WHITESPACE.sub("", text).upper()


class IdNumberInfo(NamedTuple):
    """What a valid number tells (immutable; a tuple, which costs a fraction of a frozen
    dataclass to build a hundred thousand times in an import)."""

    number: str
    birth_date: date
    gender: str  # Gender value "1" or "2"

    @property
    def area_code(self) -> str:
        return self.number[:6]


def parse_id_number(value: object) -> IdNumberInfo:
    """Check an ID number and read its birth date and gender.

    Raises ValidationError with code "length", "characters", "birth_date" or "check_digit",
    checked in that order, and a message that names the fault and the offending text.
    """
    if type(value) is str and NORMAL_FORM.fullmatch(value):
        number = value  # the usual cell: already in its normal form, length and characters
    else:
        number = normalize_id_number(value)
        _check_form(number)

    date_text = number[6:14]
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            f"身份证号码中的出生日期“{date_text}”不是有效日期", code="birth_date"
        ) from exc
    # timezone.localdate() costs more than the rest of the check: asked only near today.
    if birth_date >= _NOT_FUTURE_BEFORE and birth_date > timezone.localdate():
        raise ValidationError(f"身份证号码中的出生日期“{date_text}”晚于今天", code="birth_date")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            f"身份证号码中的出生日期“{date_text}”早于{EARLIEST_BIRTH_DATE.year}年",
            code="birth_date",
        )

    if check_sum(number) != 1:
        expected = mod_11_2.calc_check_digit(number[:-1])
        raise ValidationError(
            f"身份证号码校验位错误：应为“{expected}”，实为“{number[-1]}”", code="check_digit"
        )

    return IdNumberInfo(number, birth_date, _MALE if int(number[16]) % 2 else _FEMALE)


def _check_form(number: str) -> None:
    """Length, then characters, each with its own message."""
    if len(number) != ID_NUMBER_LENGTH:
        if not number:
            raise ValidationError("请填写18位身份证号码", code="length")
        if len(number) == 15 and number.isdecimal():
            raise ValidationError(
                f"“{number}”是15位旧号码，15位旧号码请换算为18位后填写", code="length"
            )
        verb = "只有" if len(number) < ID_NUMBER_LENGTH else "却有"
        raise ValidationError(f"身份证号码应为18位，“{number}”{verb}{len(number)}位", code="length")

    if not NORMAL_FORM.fullmatch(number):
        bad = next(
            ch
            for i, ch in enumerate(number)
            if ch not in "0123456789" and not (i == ID_NUMBER_LENGTH - 1 and ch == "X")
        )
        raise ValidationError(
            f"身份证号码只能由数字和末位的X组成，“{number}”中有“{bad}”", code="characters"
        )


def validate_id_number(value: object) -> None:
    """Django validator for model and form fields."""
    parse_id_number(value)


def make_id_number(area: str, birth_date: date, sequence: int) -> str:
    """A valid number for seed data and tests; an odd ``sequence`` gives a man, even a woman."""
    if not (len(area) == 6 and area.isdecimal() and area.isascii()):
        raise ValueError(f"area must be 6 digits, got {area!r}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be 0–999, got {sequence}")
    body = f"{area}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{sequence:03d}"
    return body + mod_11_2.calc_check_digit(body)


def id_gender(number: object) -> str:
    """Gender value ("1" or "2") of a valid number; raises ValidationError otherwise."""
    return parse_id_number(number).gender


def id_birth_date(number: object) -> date:
    """Birth date of a valid number; raises ValidationError otherwise."""
    return parse_id_number(number).birth_date
