from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_2

from tongxin.core.codes import Gender
from tongxin.core.idnumber import (
    IdNumberInfo,
    check_sum,
    id_birth_date,
    id_gender,
    make_id_number,
    normalize_id_number,
    parse_id_number,
    validate_id_number,
)

VALID = [
    "11010519491231002X",
    "440524188001010014",
    "513101198201130014",
    "360426199101010071",
    "120103198806018241",
]
BAD_CHECKSUM = ["360426199101010072", "110105194912310021", "110105195001010014"]


def error_of(value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_id_number(value)
    return caught.value


@pytest.mark.parametrize("number", VALID)
def test_it_accepts_every_valid_number_of_the_reference(number):
    assert parse_id_number(number).number == number
    validate_id_number(number)


@pytest.mark.parametrize("number", BAD_CHECKSUM)
def test_it_rejects_every_number_of_the_reference_with_a_bad_check_digit(number):
    assert error_of(number).code == "check_digit"


def test_it_accepts_the_standards_own_example_although_the_county_is_unknown_for_1880():
    info = parse_id_number("440524188001010014")
    assert info == IdNumberInfo("440524188001010014", date(1880, 1, 1), Gender.MALE)


def test_it_reads_birth_date_and_gender_from_the_number():
    assert parse_id_number("11010519491231002X") == IdNumberInfo(
        number="11010519491231002X", birth_date=date(1949, 12, 31), gender="2"
    )
    assert parse_id_number("120103198806018241").gender == Gender.FEMALE
    assert parse_id_number("513101198201130014").gender == Gender.MALE
    assert parse_id_number("360426199101010071").area_code == "360426"


def test_the_convenience_functions_give_gender_and_birth_date():
    assert id_gender("360426199101010071") == "1"
    assert id_birth_date("360426199101010071") == date(1991, 1, 1)
    with pytest.raises(ValidationError):
        id_gender("360426199101010072")


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002ｘ",
        " 110105 19491231 002X　",
    ],
)
def test_it_accepts_a_lower_case_or_full_width_x_and_stray_spaces(typed):
    assert normalize_id_number(typed) == "11010519491231002X"
    assert parse_id_number(typed).number == "11010519491231002X"


def test_normalizing_nothing_gives_an_empty_string():
    assert normalize_id_number(None) == ""


def test_it_rejects_a_short_number_saying_how_long_it_is():
    error = error_of("1101051949123100")
    assert error.code == "length"
    assert error.message == "身份证号码应为18位，“1101051949123100”只有16位"


def test_it_rejects_a_long_number_saying_how_long_it_is():
    error = error_of("11010519491231002X1")
    assert error.code == "length"
    assert "19位" in error.message


def test_it_rejects_an_empty_number():
    assert error_of("  ").code == "length"


def test_it_asks_for_an_old_fifteen_digit_number_to_be_converted():
    error = error_of("110105491231002")
    assert error.code == "length"
    assert "15位旧号码" in error.message
    assert "请换算为18位" in error.message


@pytest.mark.parametrize(
    "number", ["1101051949123100X2", "11010519491231A02X", "X10105194912310021"]
)
def test_it_rejects_letters_other_than_a_final_x(number):
    error = error_of(number)
    assert error.code == "characters"
    assert error.message.startswith("身份证号码只能由数字和末位的X组成")


def test_it_rejects_an_impossible_birth_date():
    error = error_of("110105194913320021")
    assert error.code == "birth_date"
    assert error.message == "身份证号码中的出生日期“19491332”不是有效日期"


def test_it_rejects_a_birth_date_in_the_future():
    tomorrow = date.today() + timedelta(days=1)
    error = error_of(make_id_number("110105", tomorrow, 1))
    assert error.code == "birth_date"
    assert "晚于今天" in error.message


def test_it_rejects_a_birth_date_before_1800():
    error = error_of(make_id_number("110105", date(1799, 12, 31), 1))
    assert error.code == "birth_date"
    assert "早于1800年" in error.message


def test_the_check_digit_message_names_the_expected_and_the_actual_character():
    error = error_of("110105194912310021")
    assert error.message == "身份证号码校验位错误：应为“X”，实为“1”"


def test_length_is_checked_before_characters():
    assert error_of("ABC").code == "length"


def test_make_id_number_refuses_a_bad_area_or_sequence():
    with pytest.raises(ValueError):
        make_id_number("11010", date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id_number("110105", date(1990, 1, 1), 1000)


def test_make_id_number_gives_the_gender_by_the_parity_of_the_sequence():
    assert id_gender(make_id_number("110105", date(1990, 1, 1), 1)) == Gender.MALE
    assert id_gender(make_id_number("110105", date(1990, 1, 1), 998)) == Gender.FEMALE


areas = st.text(alphabet="0123456789", min_size=6, max_size=6)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date.today())
sequences = st.integers(min_value=0, max_value=999)


@given(areas, birth_dates, sequences)
def test_every_made_number_passes(area, birth_date, sequence):
    info = parse_id_number(make_id_number(area, birth_date, sequence))
    assert info.birth_date == birth_date
    assert info.gender == ("1" if sequence % 2 else "2")


@given(areas, birth_dates, sequences, st.integers(min_value=0, max_value=17), st.data())
def test_every_single_character_change_fails(area, birth_date, sequence, position, data):
    number = make_id_number(area, birth_date, sequence)
    replacement = data.draw(st.sampled_from([c for c in "0123456789X" if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(changed)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_the_check_sum_computed_in_c_is_python_stdnums_mod_11_2(digits, last):
    # The check reads the 17 digits as a base-13 numeral; stdnum folds them one by one.
    assert check_sum(digits + last) == mod_11_2.checksum(digits + last)


def test_a_birth_date_days_ago_passes_and_tomorrow_fails():
    # Only birth dates near today ask for the local date; those before are never in the future.
    today = date.today()
    for day, passes in ((today - timedelta(days=5), True), (today + timedelta(days=1), False)):
        number = make_id_number("110105", day, 11)
        if passes:
            assert parse_id_number(number).birth_date == day
        else:
            assert "晚于今天" in error_of(number).message
