import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from tongxin.core.pinyin import name_pinyin


def test_it_gives_full_pinyin_and_initials():
    assert name_pinyin("张敏") == ("zhangmin", "zm")


def test_it_reads_shan_as_a_surname():
    full, initials = name_pinyin("单雄信")
    assert full.startswith("shan")
    assert initials == "sxx"


def test_it_reads_zeng_as_a_surname():
    assert name_pinyin("曾国藩") == ("zengguofan", "zgf")


def test_it_reads_compound_surnames():
    assert name_pinyin("欧阳修") == ("ouyangxiu", "oyx")
    assert name_pinyin("尉迟恭")[0] == "yuchigong"
    assert name_pinyin("长孙无忌")[0].startswith("zhangsun")
    assert name_pinyin("万俟卨")[0].startswith("moqi")


@pytest.mark.parametrize(
    "name, start",
    [
        ("解缙", "xie"),
        ("仇英", "qiu"),
        ("区家麟", "ou"),
        ("朴正熙", "piao"),
        ("查良镛", "zha"),
        ("翟志刚", "zhai"),
        ("盖叫天", "ge"),
        ("缪钺", "miao"),
        ("覃振", "qin"),
        ("乐嘉", "yue"),
        ("种师道", "chong"),
        ("柏杨", "bai"),
        ("藏克家", "zang"),
        ("员半千", "yun"),
    ],
)
def test_surnames_with_a_special_reading(name, start):
    assert name_pinyin(name)[0].startswith(start)


def test_a_surname_character_later_in_the_name_keeps_its_ordinary_reading():
    assert name_pinyin("王曾")[0] == "wangceng"


def test_a_two_character_name_is_not_read_as_a_compound_surname():
    assert name_pinyin("单于")[0] == "shanyu"


def test_it_keeps_latin_letters_in_lower_case_and_drops_separators():
    assert name_pinyin("买买提·艾力") == ("maimaitiaili", "mmtal")
    assert name_pinyin("Anna Li") == ("annali", "al")
    assert name_pinyin("王A") == ("wanga", "wa")


def test_it_ignores_surrounding_and_full_width_spaces():
    assert name_pinyin("　张 敏 ") == ("zhangmin", "zm")


def test_it_writes_u_umlaut_as_v():
    assert name_pinyin("吕布") == ("lvbu", "lb")


def test_an_empty_name_gives_empty_strings():
    assert name_pinyin("") == ("", "")


# Given names of Chinese characters that form no word are read a character at a time (a fast
# path for large imports); it must give exactly what pypinyin gives for the whole name.
_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(
    st.text(alphabet=_HAN, min_size=1, max_size=4)
    | st.sampled_from(["长江", "重庆", "乐乐", "朝阳红"])
)
def test_given_names_read_as_pypinyin_reads_them(given_name):
    expected = [s.lower() for s in lazy_pinyin(given_name, style=Style.NORMAL)]
    full, initials = name_pinyin("曾" + given_name)  # a surname of the table: read apart
    assert full == "zeng" + "".join(expected)
    assert initials == "z" + "".join(s[0] for s in expected)


def test_a_given_name_that_is_a_word_takes_the_words_reading():
    # 重 alone reads zhong; in the word 重庆 it reads chong.
    assert name_pinyin("曾重庆") == ("zengchongqing", "zcq")
