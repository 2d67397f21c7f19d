"""The columns of the roster workbook (ROSTER_TEMPLATE.md) and how one cell is read and written.

This is the file-format layer only: a cell's raw value (what the reader yields) becomes a Python
value in the form the models store (code-table values, dates, booleans, lists), and back for
export. Nothing here touches the database but the table of organization kinds, which the system
administrator extends; whether an organization code exists, or a value conflicts with the ID
number, is the importer's business.

Messages are Chinese and name only the fault: the caller adds the sheet, row, column and value.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tongxin.core import codes
from tongxin.core.idnumber import NORMAL_FORM, normalize_id_number, parse_id_number
from tongxin.core.validators import validate_mobile

GUIDE_SHEET = "填写说明"
ORG_SHEET = "组织机构"
MEMBER_SHEET = "成员名册"
OPTIONS_SHEET = "选项"  # the template's hidden sheet of drop-down lists

KINDS = frozenset(
    {"text", "date", "choice", "id_number", "bool", "phone", "email", "code", "list"}
    | {"title_level", "retired"}
)


@dataclass(frozen=True)
class Column:
    header: str  # exact Chinese header, without any "*"
    key: str  # the importer's field key
    required: bool
    kind: str
    choices: tuple[str, ...] = ()  # labels offered by the template's drop-down list
    help: str = ""  # one line for the 填写说明 sheet
    width: int = 12  # column width in the template and the export
    max_length: int = 0  # of the model field (of each item, for lists); 0 = no limit
    example: str = ""  # shown in the 填写说明 sheet

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


class CellError(ValueError):
    """A cell that cannot be read; str(e) is the Chinese reason."""


def header_label(column: Column) -> str:
    """The header as written in the template and export: the exact name, never "姓名*" —
    required columns are marked by style and in 填写说明, so that a header never has to be
    cleaned before it can be matched."""
    return column.header


# ---------------------------------------------------------------------------------------------
# Offered labels
# ---------------------------------------------------------------------------------------------

NO = "无"
GENDER_CHOICES = ("男", "女")
ETHNICITY_CHOICES = tuple(label for _v, label in codes.Ethnicity.choices)
EDUCATION_CHOICES = tuple(label for _v, label in codes.Education.choices)
DEGREE_CHOICES = ("博士", "硕士", "学士", NO)
TITLE_LEVEL_CHOICES = ("正高级", "副高级", "中级", "初级", NO)
UNIT_NATURE_CHOICES = tuple(label for _v, label in codes.UnitNature.choices)
# The ranks a democratic party's roster meets; the others (科员级, 省部级 …) are still accepted.
ADMIN_RANK_CHOICES = tuple(
    codes.AdminRank(v).label for v in ("121", "122", "131", "132", "141", "142")
) + (NO,)
SECTOR_CHOICES = tuple(label for _v, label in codes.Sector.choices)
# 人员类别 (ROSTER_TEMPLATE.md, united-front deployments): a member, or a non-member whose file
# the row's organization keeps (an affiliation of that kind). Blank is a member.
MEMBER_KIND = "member"
PERSON_KINDS = {
    MEMBER_KIND: "成员",
    codes.AffiliationKind.NON_PARTY_CADRE.value: "党外干部",
    codes.AffiliationKind.TALENT.value: "人才库人员",
    codes.AffiliationKind.OTHER.value: "其他",
}
PERSON_KIND_CHOICES = tuple(PERSON_KINDS.values())
POLITICAL_STATUS_CHOICES = tuple(label for _v, label in codes.PoliticalStatus.choices)
RETIRED_CHOICES = ("在职", "离退休")
BOOL_CHOICES = ("是", "否")
PARTY_CHOICES = tuple(short for _full, short in codes.PARTIES.values())

# ---------------------------------------------------------------------------------------------
# The sheets
# ---------------------------------------------------------------------------------------------

DATE_HELP = "日期，如 2014-07-01；只知年月时填 2014-07"

ORG_COLUMNS: tuple[Column, ...] = (
    Column("组织编码", "code", True, "code", help="组织的固定编码，在文件和系统中唯一",
           width=14, max_length=50, example="0101"),
    Column("组织名称", "name", True, "text", help="组织全称", width=30, max_length=200,
           example="某某市委会第一支部"),
    Column("上级组织编码", "parent_code", False, "code",
           help="上级组织的编码；只有文件中最上层的组织可以不填（须已在系统中，"
                "或由管理范围为整个组织树的用户新建为顶层组织）",
           width=14, max_length=50, example="01"),
    # Its drop-down and accepted values are the table of organization kinds: see offered().
    Column("组织类型", "kind", True, "choice",
           help="组织类型的名称，如 委员会、支部、街道党工委", width=12, example="支部"),
    Column("组织类别", "categories", False, "list",
           help="可填多个，用顿号“、”分隔", width=24, max_length=50,
           example="县区支部、直属支部"),
    Column("成立日期", "established", False, "date", help=DATE_HELP, width=12,
           example="2014-07-01"),
    Column("所属党派", "party", False, "choice", PARTY_CHOICES,
           help="党派名称或简称，如 民盟、民进、中国共产党；不填时沿用上级组织的党派",
           width=10, example="民盟"),
)  # fmt: skip

MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", True, "text", help="姓名", width=10, max_length=50,
           example="张三"),
    Column("身份证号", "id_number", False, "id_number",
           help="18位身份证号码；已在系统中的人员按此号码更新。请保持“文本”格式", width=21,
           example="11010519491231002X"),
    Column("性别", "gender", False, "choice", GENDER_CHOICES,
           help="男、女；不填时按身份证号", width=6, example="女"),
    Column("出生日期", "birth_date", False, "date",
           help="不填时按身份证号；" + DATE_HELP, width=12, example="1949-12-31"),
    Column("民族", "ethnicity", False, "choice", ETHNICITY_CHOICES,
           help="民族名称，带不带“族”均可（汉 = 汉族）", width=10, example="汉族"),
    Column("籍贯", "native_place", False, "text", help="如 山东济南", width=12,
           max_length=100, example="山东济南"),
    Column("学历", "education", False, "choice", EDUCATION_CHOICES,
           help="GB/T 4658 名称或常用简称（博士研究生、硕士研究生、大学本科、大学专科、中专）",
           width=14, example="大学本科毕业"),
    Column("学位", "degree", False, "choice", DEGREE_CHOICES,
           help="博士、硕士、学士、无（也可填全称，如 工学博士）", width=8, example="学士"),
    Column("毕业院校及专业", "school_major", False, "text", help="如 北京大学 法学",
           width=24, max_length=200, example="北京大学 法学"),
    Column("专业技术职务", "title", False, "text", help="职称名称，如 副教授", width=14,
           max_length=50, example="副教授"),
    Column("职称级别", "title_level", False, "title_level", TITLE_LEVEL_CHOICES,
           help="正高级、副高级、中级、初级、无；不填时按职称名称推定", width=10,
           example="副高级"),
    Column("工作单位", "work_unit", False, "text", help="工作单位全称", width=24,
           max_length=200, example="某某大学"),
    Column("单位性质", "unit_nature", False, "choice", UNIT_NATURE_CHOICES,
           help="、".join(UNIT_NATURE_CHOICES), width=10, example="事业单位"),
    Column("职务", "job_post", False, "text", help="在工作单位的职务", width=14,
           max_length=100, example="系主任"),
    Column("行政级别", "admin_rank", False, "choice", ADMIN_RANK_CHOICES,
           help="GB/T 12407 名称，如 县处级副职；没有填“无”", width=12, example="县处级副职"),
    Column("任职日期", "post_start", False, "date",
           help="现任职务（职务 + 行政级别）的任职日期；不填时按导入的生效日期", width=12,
           example="2021-09-01"),
    Column("界别", "sector", False, "choice", SECTOR_CHOICES, help="、".join(SECTOR_CHOICES),
           width=10, example="教育"),
    Column("在职状态", "is_retired", False, "retired", RETIRED_CHOICES, help="在职、离退休",
           width=10, example="在职"),
    Column("是否中共党员", "is_cross_member", False, "bool", BOOL_CHOICES,
           help="是、否（交叉党员）", width=8, example="否"),
    Column("中上层人士", "upper_middle", False, "bool", BOOL_CHOICES,
           help="是、否；不填时按规则推定", width=8, example="是"),
    Column("人员类别", "person_kind", False, "choice", PERSON_KIND_CHOICES,
           help="成员（默认）、党外干部、人才库人员、其他；非成员不填入会日期，"
                "所在组织编码填保管其档案的组织（管理关系）",
           width=10, example="成员"),
    Column("政治面貌", "political_status", False, "choice", POLITICAL_STATUS_CHOICES,
           help="GB/T 4762 名称，如 民盟盟员、无党派人士、群众；成员不填时按所属党派",
           width=12, example="民盟盟员"),
    # Required of members only (人员类别 成员): the check says so for each such row.
    Column("入会日期", "admitted_on", False, "date", help="成员必填；" + DATE_HELP, width=12,
           example="2014-07-01"),
    Column("所在组织编码", "org_code", True, "code",
           help="所在支部（直属成员填委员会）的组织编码；非成员填保管其档案的组织编码",
           width=14, max_length=50, example="0101"),
    Column("会内职务", "party_posts", False, "list", help="如 支部主委；多个用顿号“、”分隔",
           width=14, max_length=100, example="支部主委"),
    Column("手机", "phone", False, "phone", help="11位手机号码", width=14,
           example="13800138000"),
    Column("电子邮箱", "email", False, "email", help="电子邮箱", width=22, max_length=254,
           example="zhangsan@example.com"),
    Column("备注", "note", False, "text", help="其他说明", width=20, example=""),
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

# \s covers the full-width space (U+3000) and no-break space; the zero-width characters that
# come along when text is pasted from web pages or Word are not whitespace to Python.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# Staff pad two-character names to line up with three-character ones ("王  伟").
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


# Anything that needs more than str.strip(): zero-width characters, or a whitespace character
# other than a single ASCII space inside the text.
_NEEDS_SQUEEZE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]|\\s{2}|[^\\S ]")


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not _squeeze(raw))


def _squeeze(text: str) -> str:
    """Collapse whitespace runs to one space and strip."""
    stripped = text.strip()
    if _NEEDS_SQUEEZE.search(stripped) is None:
        return stripped  # the usual cell: one search instead of two substitutions
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", stripped)).strip()


def _number_text(value: int | float) -> str:
    """123.0 → "123": Excel stores every number as a double, even those typed as integers."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_text(raw: object) -> str:
    """Any raw cell value as trimmed text."""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, int | float):
        return _number_text(raw)
    if isinstance(raw, datetime.datetime):
        if raw.time() == datetime.time():
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return _squeeze(str(raw))


def _compact(raw: object) -> str:
    """NFKC (full-width digits, letters and punctuation → ASCII) and no whitespace at all, for
    values where spaces never carry meaning: dates, codes, phone numbers, choices."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", _as_text(raw))))


def _check_length(column: Column, text: str) -> str:
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"不能超过{column.max_length}个字，现有{len(text)}个字")
    return text


def _list_labels(labels: tuple[str, ...]) -> str:
    return "、".join(labels)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31

DATE_FORMS = "2014-07-01、2014/7/1、2014.07.01、2014年7月1日，只知年月时填 2014-07 或 2014年7月"

_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_MONTH_ONLY = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")
# Text exported by other systems carries a time of day ("2014-07-01 00:00:00").
_TIME_SUFFIX = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def _serial_date(serial: float) -> datetime.date:
    days = int(serial)  # a fraction is the time of day
    if days == 60:
        # Excel's 1900-02-29, a day that never was (kept for Lotus 1-2-3 compatibility).
        raise CellError("1900-02-29 不是有效日期")
    # Serials before that phantom day are one day later than the plain count.
    return _EXCEL_EPOCH + datetime.timedelta(days=days + 1 if days < 60 else days)


def _in_range(found: datetime.date, shown: str) -> datetime.date:
    if not EARLIEST_DATE <= found <= LATEST_DATE:
        raise CellError(f"日期“{shown}”超出范围，应在1900年至2100年之间")
    return found


def _make_date(year: str, month: str, day: str | int, shown: str) -> datetime.date:
    try:
        found = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"“{shown}”不是有效日期") from None
    return _in_range(found, shown)


def parse_date(raw: object) -> datetime.date | None:
    if _is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(f"不是日期，应填写如 {DATE_FORMS}")
    if isinstance(raw, datetime.datetime):
        return _in_range(raw.date(), raw.date().isoformat())
    if isinstance(raw, datetime.date):
        return _in_range(raw, raw.isoformat())
    if isinstance(raw, int | float):
        if not 1 <= raw <= _MAX_SERIAL:
            raise CellError(f"数字“{_number_text(raw)}”不是日期，应填写如 {DATE_FORMS}")
        found = _serial_date(raw)
        return _in_range(found, found.isoformat())
    if not isinstance(raw, str):
        raise CellError(f"不是日期，应填写如 {DATE_FORMS}")
    text = _TIME_SUFFIX.sub("", unicodedata.normalize("NFKC", raw).strip())
    text = _SPACES.sub("", text)
    shown = _squeeze(raw)
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        if m := pattern.fullmatch(text):
            return _make_date(*m.groups(), shown)
    for pattern in (_MONTH_ONLY, _COMPACT_MONTH):
        if m := pattern.fullmatch(text):
            return _make_date(*m.groups(), 1, shown)
    raise CellError(f"“{shown}”不是可识别的日期，应填写如 {DATE_FORMS}")


# ---------------------------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------------------------

_ADMIN_RANK_ALIASES = {
    "正部级": "111",
    "副部级": "112",
    "正厅级": "121",
    "正厅": "121",
    "厅级正职": "121",
    "副厅级": "122",
    "副厅": "122",
    "厅级副职": "122",
    "正处级": "131",
    "正处": "131",
    "处级正职": "131",
    "副处级": "132",
    "副处": "132",
    "处级副职": "132",
    "正科级": "141",
    "正科": "141",
    "科级正职": "141",
    "副科级": "142",
    "副科": "142",
    "科级副职": "142",
    "科员": "150",
    "办事员": "160",
}
_NO_RANK = frozenset({"无", "没有", "无行政级别"})


def _parse_admin_rank(text: str) -> str | None:
    if text in _NO_RANK:
        return ""
    return codes.parse_choice(codes.AdminRank, text, _ADMIN_RANK_ALIASES)


@dataclass(frozen=True)
class _Table:
    """How a choice column reads text and which labels a wrong value is told to use."""

    what: str  # 学位, for "不是可选的学位"
    parse: Callable[[str], str | None]
    labels: Callable[[str], str]  # value → label, for export
    allowed: str | Callable[[], str]  # the allowed labels, as a wrong value is told
    # Read from the database on every call (the table grows while the process runs), so
    # neither the parse caches nor the lookup cache keep its answers.
    live: bool = False


def _kinds():
    from tongxin.orgs import kinds  # the models are loaded after this module

    return kinds


def _labels_of(choices) -> Callable[[str], str]:
    table = dict(choices.choices)
    return lambda value: table.get(value, value)


_TABLES: dict[str, _Table] = {
    "gender": _Table(
        "性别",
        # 男/女 are offered; the other GB/T 2261.1 labels are read so that an export of
        # data from other sources imports back.
        codes.parse_gender,
        _labels_of(codes.Gender),
        "男、女",
    ),
    "ethnicity": _Table(
        "民族",
        codes.parse_ethnicity,
        _labels_of(codes.Ethnicity),
        "GB/T 3304 中的民族名称，如 汉族、回族、满族（可省略“族”字）",
    ),
    "education": _Table(
        "学历",
        codes.parse_education,
        _labels_of(codes.Education),
        "博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中，"
        "或 GB/T 4658 全称如“大学本科毕业”",
    ),
    "degree": _Table(
        "学位", codes.parse_degree, _labels_of(codes.Degree), _list_labels(DEGREE_CHOICES)
    ),
    "unit_nature": _Table(
        "单位性质",
        lambda text: codes.parse_choice(codes.UnitNature, text),
        _labels_of(codes.UnitNature),
        _list_labels(UNIT_NATURE_CHOICES),
    ),
    "admin_rank": _Table(
        "行政级别",
        _parse_admin_rank,
        _labels_of(codes.AdminRank),
        _list_labels(ADMIN_RANK_CHOICES) + "（或 GB/T 12407 的其他名称，如 科员级）",
    ),
    "person_kind": _Table(
        "人员类别",
        lambda text: next((v for v, label in PERSON_KINDS.items() if label == text), None),
        lambda value: PERSON_KINDS.get(value, value),
        _list_labels(PERSON_KIND_CHOICES),
    ),
    "political_status": _Table(
        "政治面貌",
        codes.parse_political_status,
        _labels_of(codes.PoliticalStatus),
        "GB/T 4762 名称，如 " + _list_labels(POLITICAL_STATUS_CHOICES[4:7]) + "、无党派人士、群众",
    ),
    "sector": _Table(
        "界别",
        lambda text: codes.parse_choice(codes.Sector, text),
        _labels_of(codes.Sector),
        _list_labels(SECTOR_CHOICES),
    ),
    "party": _Table(
        "党派",
        codes.parse_party,
        # Written as the short name offered by the template's drop-down.
        lambda value: codes.PARTIES[value][1] if value in codes.PARTIES else value,
        _list_labels(PARTY_CHOICES) + "（或党派全称，如 中国民主同盟）",
    ),
    "kind": _Table(
        "组织类型",
        lambda text: _kinds().parse_kind(text),
        lambda value: _kinds().kind_name(value),
        lambda: _list_labels(_kinds().kind_names()),
        live=True,
    ),
}


def _parse_choice(column: Column, raw: object) -> str | None:
    table = _TABLES[column.key]
    if _is_blank(raw):
        # Blank rank means "not given" (keep what the database has); 无 means "has none".
        return None if column.key == "admin_rank" else ""
    text = _compact(raw)
    found = table.parse(text) if table.live else _lookup(column.key, text)
    if found is None:
        allowed = table.allowed() if callable(table.allowed) else table.allowed
        raise CellError(f"“{_as_text(raw)}”不是可选的{table.what}，应为：{allowed}")
    return found


def offered(column: Column) -> tuple[str, ...]:
    """The labels the template's drop-down offers: the column's own list, or for 组织类型 the
    kinds of the table as it is now."""
    if column.kind == "choice" and column.key in _TABLES and _TABLES[column.key].live:
        return _kinds().kind_names()
    return column.choices


@functools.lru_cache(maxsize=4096)
def _lookup(key: str, text: str) -> str | None:
    """The code-table parsers scan their tables (and Django rebuilds ``choices`` on every
    access) for every cell. A roster repeats a few dozen distinct texts per column, so a
    cache leaves a few dozen scans a column, whatever the number of rows."""
    if key == "title_level":
        return codes.parse_title_level(text)
    return _TABLES[key].parse(text)


# ---------------------------------------------------------------------------------------------
# The other kinds
# ---------------------------------------------------------------------------------------------

_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "对"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "不是"})


def _parse_bool(raw: object) -> bool | None:
    if _is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    text = _compact(raw).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"“{_as_text(raw)}”应填“是”或“否”")


_RETIRED = frozenset({"离退休", "退休", "离休", "已退休", "已离休", "退休人员", "离退休人员"})
_WORKING = frozenset({"在职", "在岗", "在职人员"})


def _parse_retired(raw: object) -> bool | None:
    if _is_blank(raw):
        return None
    text = _compact(raw)
    if text in _RETIRED:
        return True
    if text in _WORKING:
        return False
    raise CellError(f"“{_as_text(raw)}”不是可选的在职状态，应为：在职、离退休")


def _parse_title_level(raw: object) -> str | None:
    if _is_blank(raw):
        return None  # the importer derives it from the title name
    found = _lookup("title_level", _compact(raw))
    if found is None:
        raise CellError(
            f"“{_as_text(raw)}”不是可选的职称级别，应为：{_list_labels(TITLE_LEVEL_CHOICES)}"
        )
    return found


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)

_ID_AS_NUMBER = (
    "身份证号被Excel存成了数字（{shown}），末几位已丢失；请把该列设为“文本”格式后重新填写"
)


# Cells already in their final form: the usual cell of a roster, checked without normalising.
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
# A strict subset of what Django's EmailValidator accepts (letters, digits and ._+- before the
# @, a dotted domain of letters, digits and inner hyphens, a letter TLD); anything else takes
# the full validator.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)


def _parse_id_number(raw: object) -> str:
    if type(raw) is str and NORMAL_FORM.fullmatch(raw):
        try:
            return parse_id_number(raw).number
        except ValidationError as exc:
            raise CellError(" ".join(exc.messages)) from None
    if _is_blank(raw):
        return ""
    if isinstance(raw, bool):
        raise CellError("身份证号应为18位号码")
    if isinstance(raw, int | float):
        # A double holds 15–16 significant digits: an 18-digit number has lost its tail (and a
        # final X cannot be a number at all). Shorter numbers are intact and get the usual
        # message (e.g. a 15-digit old number).
        if abs(raw) >= 1e15:
            shown = f"{raw:.5E}" if isinstance(raw, float) else str(raw)
            raise CellError(_ID_AS_NUMBER.format(shown=shown))
        raw = _number_text(raw)
    text = _compact(raw)
    if _SCIENTIFIC.fullmatch(text):
        # A CSV saved by Excel holds the number as it was shown: 1.10105E+17.
        raise CellError(_ID_AS_NUMBER.format(shown=text))
    number = normalize_id_number(text)
    try:
        return parse_id_number(number).number
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None


_PHONE_PREFIX = re.compile(r"^(?:\+?86|0086)(?=1\d{10}$)")
_PHONE_SEPARATORS = re.compile(r"[-()（）]")


def _parse_phone(raw: object) -> str:
    if type(raw) is str and _PLAIN_MOBILE.fullmatch(raw):
        return raw
    if _is_blank(raw):
        return ""
    if isinstance(raw, bool):
        raise CellError(validate_mobile.message)
    if isinstance(raw, int | float):
        # 11 digits fit a double exactly, so a phone number stored as a number is intact.
        raw = _number_text(raw)
    text = _compact(raw)
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(
            f"手机号码被存成了科学计数法（{text}），号码已丢失；请把该列设为“文本”格式后重新填写"
        )
    text = _PHONE_PREFIX.sub("", _PHONE_SEPARATORS.sub("", text))
    try:
        validate_mobile(text)
    except ValidationError:
        raise CellError(str(validate_mobile.message)) from None
    return text


def _parse_email(column: Column, raw: object) -> str:
    if type(raw) is str and len(raw) <= 254 and _PLAIN_EMAIL.fullmatch(raw):
        return _check_length(column, raw)
    if _is_blank(raw):
        return ""
    text = _compact(raw)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError("电子邮箱格式不正确，应如 name@example.com") from None
    return _check_length(column, text)


def _parse_code(column: Column, raw: object) -> str:
    if _is_blank(raw):
        return ""
    if isinstance(raw, bool):
        raise CellError("编码不能是“是/否”")
    return _check_length(column, _compact(raw))


_LIST_SEPARATORS = re.compile(r"[、,，;；/／\n]")


def _parse_list(column: Column, raw: object) -> list[str]:
    if _is_blank(raw):
        return []
    items = [_squeeze(item) for item in _LIST_SEPARATORS.split(_as_text(raw))]
    items = [item for item in items if item]
    for item in items:
        if column.max_length and len(item) > column.max_length:
            raise CellError(f"“{item}”不能超过{column.max_length}个字")
    # Repeats are typing slips; keep the first of each, in order.
    return list(dict.fromkeys(items))


def _parse_text(column: Column, raw: object) -> str:
    if type(raw) is str:
        text = _squeeze(raw)  # once: the blank test and the value (a roster's usual cell)
        if not text:
            return ""
    elif _is_blank(raw):
        return ""
    else:
        text = _as_text(raw)
    if column.key == "note" and isinstance(raw, str):
        # A note is free text (a TextField): its line breaks (Alt+Enter in Excel) are kept.
        lines = (_squeeze(line) for line in raw.splitlines())
        return "\n".join(line for line in lines if line)
    if column.key == "name" and " " in text:  # squeezed: any whitespace left is one space
        text = _SPACE_BETWEEN_CJK.sub("", text)
    return _check_length(column, text)


# Kinds whose cells repeat a few values down a column and whose results are immutable.
_CACHED_KINDS = frozenset({"choice", "bool", "retired", "title_level", "date", "code"})
_MAX_CACHED = 100_000
_parsed: dict[tuple, object] = {}


def parse_value(column: Column, raw: object) -> object:
    """Read one cell of ``column``; raises CellError with the Chinese reason.

    ``raw`` is what the reader yields: None, str, int, float, bool, date or datetime (and, from
    odd files, a time or timedelta, which no column accepts).
    """
    if column.kind not in _CACHED_KINDS or (column.key in _TABLES and _TABLES[column.key].live):
        return _parse_value(column, raw)
    # A roster of 200,000 rows repeats 女, 大学本科, 在职 … hundreds of thousands of times.
    # The key has the type because 1 == 1.0 == True. Failures are not cached (they raise).
    key = (column.key, column.kind, column.max_length, type(raw), raw)
    try:
        return _parsed[key]
    except KeyError:
        pass
    value = _parse_value(column, raw)
    if len(_parsed) >= _MAX_CACHED:
        _parsed.clear()
    _parsed[key] = value
    return value


def _parse_value(column: Column, raw: object) -> object:
    return parser(column)(raw)


def parser(column: Column) -> Callable[[object], object]:
    """``parse_value`` for one column, without its cache: the function that reads a raw cell
    of ``column``, chosen once for a whole column instead of once per cell."""
    kind = column.kind
    if kind == "text":
        read = functools.partial(_parse_text, column)
    elif kind == "date":
        read = parse_date
    elif kind == "choice":
        read = functools.partial(_parse_choice, column)
    elif kind == "title_level":
        read = _parse_title_level
    elif kind == "retired":
        read = _parse_retired
    elif kind == "bool":
        read = _parse_bool
    elif kind == "id_number":
        read = _parse_id_number
    elif kind == "phone":
        read = _parse_phone
    elif kind == "email":
        read = functools.partial(_parse_email, column)
    elif kind == "code":
        read = functools.partial(_parse_code, column)
    elif kind == "list":
        read = functools.partial(_parse_list, column)
    else:
        raise AssertionError(kind)  # __post_init__ refuses other kinds
    timed = kind == "text" and column.key == "note"  # free text: a time is kept as text

    def parse(raw: object) -> object:
        if type(raw) not in _PLAIN_TYPES and isinstance(raw, datetime.time | datetime.timedelta):
            if timed:
                return str(raw)
            raise CellError("单元格是时间格式，不是这一列需要的内容")
        return read(raw)

    return parse


# What nearly every cell is; anything else is asked whether it is a time of day or a duration.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), datetime.date, datetime.datetime})


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


_TITLE_LEVEL_LABELS = dict(codes.TitleLevel.choices)


def format_value(column: Column, value: object) -> object:
    """What to put in the cell for a stored ``value``, such that parse_value reads it back as
    ``value``: labels for codes, real dates (the writer gives them a date format), 是/否.

    An empty value gives None (an empty cell), except where blank and 无 mean different things:
    a title level or rank of "" is written 无.
    """
    kind = column.kind
    if value is None:
        return None
    if kind == "title_level":
        return _TITLE_LEVEL_LABELS.get(value, value) or NO
    if column.key == "admin_rank" and value == "":
        return NO
    if value == "" or value == []:
        return None
    if kind == "choice":
        return _TABLES[column.key].labels(value)
    if kind == "date":
        return value.date() if isinstance(value, datetime.datetime) else value
    if kind == "bool":
        return "是" if value else "否"
    if kind == "retired":
        return RETIRED_CHOICES[1] if value else RETIRED_CHOICES[0]
    if kind == "list":
        return "、".join(str(item) for item in value) if not isinstance(value, str) else value
    return str(value)
