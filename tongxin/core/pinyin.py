"""Pinyin of personal names, for search by full pinyin or initials (张敏 -> zhangmin, zm).

pypinyin reads a character as an ordinary word, but many surnames are read differently
(单 shan not dan, 曾 zeng not ceng), so the surname is read from a table first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from pypinyin.pinyin_dict import pinyin_dict

# Compound surnames, checked before single ones: several begin with a character whose single
# surname reading differs (单于 chanyu but 单 shan, 尉迟 yuchi, 长孙 zhangsun, 乐正 yuezheng).
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "皇甫": ("huang", "fu"),
    "夏侯": ("xia", "hou"),
    "宇文": ("yu", "wen"),
    "东方": ("dong", "fang"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "端木": ("duan", "mu"),
    "闻人": ("wen", "ren"),
    "南宫": ("nan", "gong"),
    "钟离": ("zhong", "li"),
    "濮阳": ("pu", "yang"),
    "呼延": ("hu", "yan"),
    "拓跋": ("tuo", "ba"),
    "轩辕": ("xuan", "yuan"),
    "申屠": ("shen", "tu"),
    "太史": ("tai", "shi"),
    "乐正": ("yue", "zheng"),
    "亓官": ("qi", "guan"),
    "公冶": ("gong", "ye"),
    "宰父": ("zai", "fu"),
    "谷梁": ("gu", "liang"),
}

# Single surnames whose surname reading differs from pypinyin's default for the character.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "翟": "zhai",
    "盖": "ge",
    "缪": "miao",
    "覃": "qin",
    "乐": "yue",
    "秘": "bi",
    "种": "chong",
    "繁": "po",
    "员": "yun",
    "柏": "bai",
    "藏": "zang",
    "尉": "wei",
    "召": "shao",
    "冼": "xian",
    "洗": "xian",
    "宓": "mi",
    "褚": "chu",
    "薄": "bo",
    "任": "ren",
    "华": "hua",
    "纪": "ji",
    "燕": "yan",
    "阚": "kan",
    "逄": "pang",
    "隗": "wei",
    "句": "gou",
    "那": "na",
    "黑": "he",
    "谌": "chen",
    "都": "du",
    "长": "chang",
    "重": "chong",
    "折": "she",
    "眭": "sui",
    "贲": "ben",
    "过": "guo",
    "能": "nai",
    "莘": "shen",
    "沈": "shen",
    "石": "shi",
    "卜": "bu",
    "车": "che",
}

# Separators inside transliterated names (买买提·艾力): the interpunct and its look-alikes.
_SEPARATORS = re.compile(r"[\s·•‧・･.\-]+")
_INTERPUNCT = re.compile(r"[·•‧・･]")


def _words(chunk: str) -> list[str]:
    """pypinyin's ``errors`` handler: non-Chinese text kept as lower-case words, separators
    dropped."""
    return [word.lower() for word in _SEPARATORS.split(chunk) if word]


def _is_han(char: str) -> bool:
    """A character pypinyin has a reading for (what ``lazy_pinyin(char)`` would find, without
    its segmentation and conversion machinery)."""
    return ord(char) in pinyin_dict


def _surname_syllables(name: str) -> tuple[list[str], str]:
    """Surname syllables and the rest of the name; no surname if the name does not start with
    a Chinese character or is a transliteration (which has no Chinese surname)."""
    if not name or _INTERPUNCT.search(name) or not _is_han(name[0]):
        return [], name
    # A two-character name with a compound-surname prefix is a single surname and given name.
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return list(COMPOUND_SURNAMES[name[:2]]), name[2:]
    if name[0] in SURNAME_READINGS:
        return [SURNAME_READINGS[name[0]]], name[1:]
    return [], name


@lru_cache(maxsize=65536)  # names repeat across a roster; an import reads 100,000 of them
def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a personal name, lower case, without tones or spaces.

    The initials are the first letters of the syllables (and of any non-Chinese words), so
    they always agree with the full form, surname readings included.
    """
    text = unicodedata.normalize("NFKC", name or "").strip()
    surname, rest = _surname_syllables(text)
    syllables = (*_cleaned(surname), *_given_syllables(rest))
    return "".join(syllables), "".join(s[0] for s in syllables)


@lru_cache(maxsize=65536)  # given names repeat across surnames far more than whole names do
def _given_syllables(rest: str) -> tuple[str, ...]:
    if 0 < len(rest) <= 6 and all(ord(c) in pinyin_dict for c in rest) and not _has_phrase(rest):
        # Chinese characters that form no word of pypinyin's phrase table: pypinyin reads each
        # on its own, so each character's reading is looked up once for the whole roster.
        return tuple(s for c in rest for s in _char_syllables(c))
    return _cleaned(lazy_pinyin(rest, style=Style.NORMAL, errors=_words))


@lru_cache(maxsize=32768)
def _char_syllables(char: str) -> tuple[str, ...]:
    return _cleaned(lazy_pinyin(char, style=Style.NORMAL, errors=_words))


def _cleaned(syllables) -> tuple[str, ...]:
    """Lower case, separators dropped, empty syllables gone."""
    return tuple(s for s in (_SEPARATORS.sub("", s).lower() for s in syllables) if s)


def _has_phrase(text: str) -> bool:
    return any(
        text[i:j] in PHRASES_DICT for i in range(len(text) - 1) for j in range(i + 2, len(text) + 1)
    )
