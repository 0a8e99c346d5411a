import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuopin.registry.identity import IdNumberError, check_id_number, make_id_number, normalise_id_number


@pytest.mark.parametrize(
    ("_case", "number", "message"),
    [
        ("too short", "53012719900101001", "应为18位"),
        ("letters inside", "5301271990A101001X", "只能由数字"),
        ("31 February", "530127199002310011", "不是有效日期"),
        ("born in the future", "530127209901010011", "不合理"),
        ("bad check digit", "530127199001010010", "校验位错误"),
        ("empty", "", "不能为空"),
    ],
)
def test_invalid_id_numbers_are_refused_in_chinese(_case, number, message):
    with pytest.raises(IdNumberError, match=message):
        check_id_number(number, today=datetime.date(2018, 8, 31))


def test_reference_number_from_the_standard_is_valid():
    info = check_id_number("11010519491231002X")
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.sex == "female"


@given(
    birth=st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2018, 1, 1)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_generated_numbers_round_trip(birth, sequence):
    info = check_id_number(make_id_number("530127", birth, sequence))
    assert info.birth_date == birth
    assert info.sex == ("male" if sequence % 2 else "female")


def test_lower_case_x_and_spaces_are_normalised():
    assert check_id_number(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (
            "１１０１０５１９４９１２３１００２ｘ",
            "11010519491231002X",
        ),  # full-width digits and x (an input method)
        ("\u300011010519491231002X\u3000", "11010519491231002X"),  # ideographic spaces
        ("110105 19491231 002x", "11010519491231002X"),
        ("", ""),
        (None, ""),
    ],
)
def test_numbers_are_normalised_in_one_place(typed, stored):
    assert normalise_id_number(typed) == stored
    if stored:
        assert check_id_number(typed).number == stored


def test_full_width_letters_inside_are_refused_like_ascii_letters():
    with pytest.raises(IdNumberError, match="只能由数字"):
        check_id_number("１１０１０５１９４９ＡＢ３１００２Ｘ")


def test_only_spaces_is_empty():
    with pytest.raises(IdNumberError, match="证件号码不能为空"):
        check_id_number(" \u3000 ")
