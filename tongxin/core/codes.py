"""National and local code tables, and helpers that read what staff type into spreadsheets.

Each table names its standard and version. Stored values are the standard's codes, so that data
can be exchanged with other systems and reported without translation; labels are what the
interface shows. Later reforms added titles and degrees that the old standards do not know, so the
tables are plain classes that can grow, and the parse helpers accept aliases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from django.db import models

# ---------------------------------------------------------------------------------------------
# Parsing free text
# ---------------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")


def _clean(text: object) -> str:
    """NFKC-normalise and drop all whitespace, so that full-width spaces, digits and letters typed
    with a Chinese input method compare equal to their ASCII forms."""
    if text is None:
        return ""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(text)))


def _key(text: str) -> str:
    return _clean(text).casefold()


def parse_choice(
    choices: type[models.Choices] | Iterable[tuple[str, str]],
    text: object,
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """Read a value of ``choices`` from free text.

    Accepts the stored value, the label or one of ``aliases`` (alias text -> value), ignoring
    whitespace (including full-width) and letter case. Returns the value, "" for blank text and
    None for text that matches nothing.
    """
    wanted = _key(text)
    if not wanted:
        return ""
    return _lookup(choices, aliases).get(wanted)


# Lookup tables by the identity of (choices, aliases); the objects are kept with their table so
# that an identity is never reused. An import reads hundreds of thousands of cells.
_LOOKUPS: dict[tuple[int, int], tuple[object, object, dict[str, str]]] = {}


def _lookup(choices, aliases) -> dict[str, str]:
    key = (id(choices), id(aliases))
    cached = _LOOKUPS.get(key)
    if cached is not None and cached[0] is choices and cached[1] is aliases:
        return cached[2]
    table: dict[str, str] = {}
    for alias, value in reversed(list((aliases or {}).items())):
        table[_key(alias)] = value
    pairs = choices.choices if hasattr(choices, "choices") else list(choices)
    for value, label in reversed(pairs):
        table[_key(label)] = str(value)
        table[_key(value)] = str(value)
    _LOOKUPS[key] = (choices, aliases, table)
    return table


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class Gender(models.TextChoices):
    """Human sex — GB/T 2261.1-2003."""

    UNKNOWN = "0", "未知的性别"
    MALE = "1", "男"
    FEMALE = "2", "女"
    UNSTATED = "9", "未说明的性别"


def parse_gender(text: object) -> str | None:
    return parse_choice(Gender, text, {"男性": Gender.MALE.value, "女性": Gender.FEMALE.value})


class Ethnicity(models.TextChoices):
    """Ethnic groups of China — GB/T 3304-1991 (01–56, 97, 98)."""

    HAN = "01", "汉族"
    MENGGU = "02", "蒙古族"
    HUI = "03", "回族"
    ZANG = "04", "藏族"
    WEIWUER = "05", "维吾尔族"
    MIAO = "06", "苗族"
    YI = "07", "彝族"
    ZHUANG = "08", "壮族"
    BUYI = "09", "布依族"
    CHAOXIAN = "10", "朝鲜族"
    MAN = "11", "满族"
    DONG = "12", "侗族"
    YAO = "13", "瑶族"
    BAI = "14", "白族"
    TUJIA = "15", "土家族"
    HANI = "16", "哈尼族"
    HASAKE = "17", "哈萨克族"
    DAI = "18", "傣族"
    LI = "19", "黎族"
    LISU = "20", "傈僳族"
    WA = "21", "佤族"
    SHE = "22", "畲族"
    GAOSHAN = "23", "高山族"
    LAHU = "24", "拉祜族"
    SHUI = "25", "水族"
    DONGXIANG = "26", "东乡族"
    NAXI = "27", "纳西族"
    JINGPO = "28", "景颇族"
    KEERKEZI = "29", "柯尔克孜族"
    TU = "30", "土族"
    DAWOER = "31", "达斡尔族"
    MULAO = "32", "仫佬族"
    QIANG = "33", "羌族"
    BULANG = "34", "布朗族"
    SALA = "35", "撒拉族"
    MAONAN = "36", "毛南族"
    GELAO = "37", "仡佬族"
    XIBO = "38", "锡伯族"
    ACHANG = "39", "阿昌族"
    PUMI = "40", "普米族"
    TAJIKE = "41", "塔吉克族"
    NU = "42", "怒族"
    WUZIBIEKE = "43", "乌孜别克族"
    ELUOSI = "44", "俄罗斯族"
    EWENKE = "45", "鄂温克族"
    DEANG = "46", "德昂族"
    BAOAN = "47", "保安族"
    YUGU = "48", "裕固族"
    JING = "49", "京族"
    TATAER = "50", "塔塔尔族"
    DULONG = "51", "独龙族"
    ELUNCHUN = "52", "鄂伦春族"
    HEZHE = "53", "赫哲族"
    MENBA = "54", "门巴族"
    LUOBA = "55", "珞巴族"
    JINUO = "56", "基诺族"
    OTHER = "97", "其他"
    FOREIGN_ORIGIN = "98", "外国血统中国籍人士"


# Short forms seen in personnel files; the name without 族 is derived from the labels.
_ETHNICITY_ALIASES = {
    "蒙族": Ethnicity.MENGGU.value,
    "维族": Ethnicity.WEIWUER.value,
    "外国血统": Ethnicity.FOREIGN_ORIGIN.value,
}


def parse_ethnicity(text: object) -> str | None:
    """Ethnicity code from a name with or without 族 (汉 -> "01", 蒙古 -> "02")."""
    found = parse_choice(Ethnicity, text, _ETHNICITY_ALIASES)
    if found is not None:
        return found
    # Appending 族 rather than stripping it from the labels keeps 蒙古 from matching anything
    # but 蒙古族, and cannot turn a label such as 其他 into a different word.
    cleaned = _clean(text)
    if not cleaned.endswith("族"):
        return parse_choice(Ethnicity, cleaned + "族")
    return None


class Education(models.TextChoices):
    """Education attained (学历) — detailed codes of GB/T 4658-2006.

    The two-digit category codes (10 研究生教育, 20 大学本科教育 …) are not stored: a record always
    says whether the person graduated, completed or left without finishing.
    """

    DOCTORATE_GRADUATED = "11", "博士研究生毕业"
    DOCTORATE_COMPLETED = "12", "博士研究生结业"
    DOCTORATE_INCOMPLETE = "13", "博士研究生肄业"
    MASTER_GRADUATED = "14", "硕士研究生毕业"
    MASTER_COMPLETED = "15", "硕士研究生结业"
    MASTER_INCOMPLETE = "16", "硕士研究生肄业"
    POSTGRADUATE_CLASS_GRADUATED = "17", "研究生班毕业"
    POSTGRADUATE_CLASS_COMPLETED = "18", "研究生班结业"
    POSTGRADUATE_CLASS_INCOMPLETE = "19", "研究生班肄业"
    BACHELOR_GRADUATED = "21", "大学本科毕业"
    BACHELOR_COMPLETED = "22", "大学本科结业"
    BACHELOR_INCOMPLETE = "23", "大学本科肄业"
    UNIVERSITY_ORDINARY_CLASS_GRADUATED = "28", "大学普通班毕业"
    JUNIOR_COLLEGE_GRADUATED = "31", "大学专科毕业"
    JUNIOR_COLLEGE_COMPLETED = "32", "大学专科结业"
    JUNIOR_COLLEGE_INCOMPLETE = "33", "大学专科肄业"
    SECONDARY_SPECIALIZED_GRADUATED = "41", "中等专科毕业"
    SECONDARY_SPECIALIZED_COMPLETED = "42", "中等专科结业"
    SECONDARY_SPECIALIZED_INCOMPLETE = "43", "中等专科肄业"
    VOCATIONAL_HIGH_GRADUATED = "44", "职业高中毕业"
    VOCATIONAL_HIGH_COMPLETED = "45", "职业高中结业"
    VOCATIONAL_HIGH_INCOMPLETE = "46", "职业高中肄业"
    TECHNICAL_SCHOOL_GRADUATED = "47", "技工学校毕业"
    TECHNICAL_SCHOOL_COMPLETED = "48", "技工学校结业"
    TECHNICAL_SCHOOL_INCOMPLETE = "49", "技工学校肄业"
    HIGH_SCHOOL_GRADUATED = "61", "普通高中毕业"
    HIGH_SCHOOL_COMPLETED = "62", "普通高中结业"
    HIGH_SCHOOL_INCOMPLETE = "63", "普通高中肄业"
    JUNIOR_HIGH_GRADUATED = "71", "初中毕业"
    JUNIOR_HIGH_INCOMPLETE = "73", "初中肄业"
    PRIMARY_GRADUATED = "81", "小学毕业"
    PRIMARY_INCOMPLETE = "83", "小学肄业"
    OTHER = "90", "其他"


EDUCATION_GROUPS = ("研究生", "大学本科", "大学专科", "中专及以下")

_EDUCATION_GROUP_BY_DIGIT = {
    "1": "研究生",
    "2": "大学本科",
    "3": "大学专科",
    **{digit: "中专及以下" for digit in "456789"},
}


def education_group(code: str | None) -> str | None:
    """The statistics group of an education code: 1x 研究生, 2x 大学本科, 3x 大学专科, 4x–9x
    中专及以下; None for a blank or malformed code."""
    if not code or len(code) != 2 or not code.isdecimal():
        return None
    return _EDUCATION_GROUP_BY_DIGIT.get(code[0])


# What staff write in Excel, each read as the usual case (graduated).
EDUCATION_SHORT_FORMS: dict[str, str] = {
    "博士研究生": "11",
    "博士": "11",
    "研究生": "14",
    "硕士研究生": "14",
    "硕士": "14",
    "大学本科": "21",
    "本科": "21",
    "大学专科": "31",
    "大专": "31",
    "中专": "41",
    "高中": "61",
    "初中": "71",
    "小学": "81",
    **{label: value for value, label in Education.choices},
}


def parse_education(text: object) -> str | None:
    return parse_choice(Education, text, EDUCATION_SHORT_FORMS)


class Degree(models.TextChoices):
    """Academic degree level — first digit of GB/T 6864-2003.

    The full code adds two digits for the discipline (e.g. 208 工学博士, 346 工商管理硕士); only
    the level is kept here because statistics count by level.
    """

    HONORARY_DOCTOR = "1", "名誉博士"
    DOCTOR = "2", "博士"
    MASTER = "3", "硕士"
    BACHELOR = "4", "学士"


DEGREE_GROUPS = ("博士", "硕士", "学士")

_DEGREE_GROUP_BY_DIGIT = {"1": "博士", "2": "博士", "3": "硕士", "4": "学士"}


def degree_group(code: str | None) -> str | None:
    """博士 for honorary and earned doctorates, 硕士, 学士; None for blank or unknown."""
    if not code:
        return None
    return _DEGREE_GROUP_BY_DIGIT.get(code[0])


_NO_DEGREE = frozenset({"无", "无学位", "没有"})
_DEGREE_BY_SUFFIX = (
    ("博士", Degree.DOCTOR.value),
    ("硕士", Degree.MASTER.value),
    ("学士", Degree.BACHELOR.value),
)


def parse_degree(text: object) -> str | None:
    """Degree level from 博士/硕士/学士/名誉博士, a full GB/T 6864 name (工学博士, 工商管理硕士,
    临床医学博士 — the level comes from the ending), a GB/T 6864 code, or 无 (-> "")."""
    cleaned = _clean(text)
    if cleaned in _NO_DEGREE:
        return ""
    found = parse_choice(Degree, cleaned)
    if found is not None:
        return found
    if len(cleaned) == 3 and cleaned.isdecimal():
        return cleaned[0] if cleaned[0] in _DEGREE_GROUP_BY_DIGIT else None
    cleaned = cleaned.removesuffix("学位")
    if cleaned.startswith("名誉") and cleaned.endswith("博士"):
        return Degree.HONORARY_DOCTOR.value
    for suffix, value in _DEGREE_BY_SUFFIX:
        if cleaned.endswith(suffix):
            return value
    return None


class PoliticalStatus(models.TextChoices):
    """Political affiliation (政治面貌) — GB/T 4762-1984."""

    CPC_MEMBER = "01", "中共党员"
    CPC_PROBATIONARY_MEMBER = "02", "中共预备党员"
    CYL_MEMBER = "03", "共青团员"
    RCCK_MEMBER = "04", "民革党员"
    CDL_MEMBER = "05", "民盟盟员"
    CNDCA_MEMBER = "06", "民建会员"
    CAPD_MEMBER = "07", "民进会员"
    CPWDP_MEMBER = "08", "农工党党员"
    CZGP_MEMBER = "09", "致公党党员"
    JIUSAN_MEMBER = "10", "九三学社社员"
    TDSGL_MEMBER = "11", "台盟盟员"
    NON_PARTISAN = "12", "无党派人士"
    MASSES = "13", "群众"


_POLITICAL_STATUS_ALIASES = {
    "党员": "01",
    "中共": "01",
    "预备党员": "02",
    "团员": "03",
    "民革": "04",
    "民盟": "05",
    "民建": "06",
    "民进": "07",
    "农工党": "08",
    "致公党": "09",
    "九三学社": "10",
    "九三": "10",
    "台盟": "11",
    "无党派": "12",
}


def parse_political_status(text: object) -> str | None:
    return parse_choice(PoliticalStatus, text, _POLITICAL_STATUS_ALIASES)


# The parties an organization can belong to (所属党派), by their members' GB/T 4762 code: the
# party's full name, then its usual short name.
PARTIES = {
    "01": ("中国共产党", "中共"),
    "04": ("中国国民党革命委员会", "民革"),
    "05": ("中国民主同盟", "民盟"),
    "06": ("中国民主建国会", "民建"),
    "07": ("中国民主促进会", "民进"),
    "08": ("中国农工民主党", "农工党"),
    "09": ("中国致公党", "致公党"),
    "10": ("九三学社", "九三"),
    "11": ("台湾民主自治同盟", "台盟"),
}
PARTY_CHOICES = tuple((code, names[0]) for code, names in PARTIES.items())
_PARTY_ALIASES = {
    **{short: code for code, (_full, short) in PARTIES.items()},
    **{PoliticalStatus(code).label: code for code in PARTIES},  # 民盟盟员 names the party too
    "农工": "08",
    "致公": "09",
}


def parse_party(text: object) -> str | None:
    """A party's code from its full name, short name or its members' status (民盟盟员)."""
    return parse_choice(PARTY_CHOICES, text, _PARTY_ALIASES)


# ---------------------------------------------------------------------------------------------
# Professional titles
# ---------------------------------------------------------------------------------------------


class TitleLevel(models.TextChoices):
    """Professional title grade — last digit of GB/T 8561-2001 专业技术职务代码."""

    SENIOR = "1", "正高级"
    ASSOCIATE_SENIOR = "2", "副高级"
    INTERMEDIATE = "3", "中级"
    ASSISTANT = "4", "助理级"
    JUNIOR = "5", "员级"


# Reports merge 助理级 and 员级 into 初级 and count people without a title as 无.
TITLE_LEVEL_GROUPS = ("正高级", "副高级", "中级", "初级", "无")

_TITLE_LEVEL_GROUP_BY_CODE = {"1": "正高级", "2": "副高级", "3": "中级", "4": "初级", "5": "初级"}


def title_level_group(code: str | None) -> str | None:
    if not code:
        return "无"
    return _TITLE_LEVEL_GROUP_BY_CODE.get(code)


# Title name -> (code, level). Three-digit codes are GB/T 8561-2001 (series + grade digit).
# Titles created after 2001 get a local code "L" + series + grade: the prefix keeps them apart
# from any code a revision of the standard may assign. Where the same name exists in several
# series (编辑, 馆员, 研究员, 讲师), the most common series is listed.
TITLES: dict[str, tuple[str, str]] = {
    # 高等学校教师
    "教授": ("011", "1"),
    "副教授": ("012", "2"),
    "讲师": ("013", "3"),
    "助教": ("014", "4"),
    # 中等专业学校教师
    "高级讲师": ("022", "2"),
    "助理讲师": ("024", "4"),
    # 中小学教师: the 2015 unified series reuses the secondary-school codes
    "正高级教师": ("L051", "1"),
    "高级教师": ("052", "2"),
    "一级教师": ("053", "3"),
    "二级教师": ("054", "4"),
    "三级教师": ("055", "5"),
    "中学高级教师": ("052", "2"),
    "中学一级教师": ("053", "3"),
    "中学二级教师": ("054", "4"),
    "中学三级教师": ("055", "5"),
    "小学高级教师": ("413", "3"),
    "小学一级教师": ("414", "4"),
    "小学二级教师": ("415", "5"),
    # 实验技术
    "高级实验师": ("072", "2"),
    "实验师": ("073", "3"),
    "助理实验师": ("074", "4"),
    "实验员": ("075", "5"),
    # 工程技术
    "正高级工程师": ("L081", "1"),
    "教授级高级工程师": ("L081", "1"),
    "高级工程师": ("082", "2"),
    "工程师": ("083", "3"),
    "助理工程师": ("084", "4"),
    "技术员": ("085", "5"),
    # 农业
    "农业技术推广研究员": ("091", "1"),
    "高级农艺师": ("092", "2"),
    "农艺师": ("093", "3"),
    "助理农艺师": ("094", "4"),
    "高级兽医师": ("102", "2"),
    "兽医师": ("103", "3"),
    "高级畜牧师": ("112", "2"),
    "畜牧师": ("113", "3"),
    # 经济
    "正高级经济师": ("L121", "1"),
    "高级经济师": ("122", "2"),
    "经济师": ("123", "3"),
    "助理经济师": ("124", "4"),
    "经济员": ("125", "5"),
    # 会计
    "正高级会计师": ("L131", "1"),
    "高级会计师": ("132", "2"),
    "会计师": ("133", "3"),
    "助理会计师": ("134", "4"),
    "会计员": ("135", "5"),
    # 统计
    "正高级统计师": ("L141", "1"),
    "高级统计师": ("142", "2"),
    "统计师": ("143", "3"),
    "助理统计师": ("144", "4"),
    "统计员": ("145", "5"),
    # 出版
    "编审": ("151", "1"),
    "副编审": ("152", "2"),
    "编辑": ("153", "3"),
    "助理编辑": ("154", "4"),
    "技术编辑": ("163", "3"),
    "一级校对": ("173", "3"),
    "二级校对": ("174", "4"),
    "三级校对": ("175", "5"),
    # 翻译
    "译审": ("181", "1"),
    "副译审": ("182", "2"),
    "翻译": ("183", "3"),
    "助理翻译": ("184", "4"),
    # 新闻
    "高级记者": ("191", "1"),
    "主任记者": ("192", "2"),
    "记者": ("193", "3"),
    "助理记者": ("194", "4"),
    "高级编辑": ("201", "1"),
    "主任编辑": ("202", "2"),
    # 播音
    "播音指导": ("221", "1"),
    "主任播音员": ("222", "2"),
    "一级播音员": ("223", "3"),
    "二级播音员": ("224", "4"),
    "三级播音员": ("225", "5"),
    # 卫生
    "主任医师": ("231", "1"),
    "副主任医师": ("232", "2"),
    "主治医师": ("233", "3"),
    "医师": ("234", "4"),
    "医士": ("235", "5"),
    "主任药师": ("241", "1"),
    "副主任药师": ("242", "2"),
    "主管药师": ("243", "3"),
    "药师": ("244", "4"),
    "药士": ("245", "5"),
    "主任护师": ("251", "1"),
    "副主任护师": ("252", "2"),
    "主管护师": ("253", "3"),
    "护师": ("254", "4"),
    "护士": ("255", "5"),
    "主任技师": ("261", "1"),
    "副主任技师": ("262", "2"),
    "主管技师": ("263", "3"),
    "技师": ("264", "4"),
    "技士": ("265", "5"),
    # 工艺美术
    "正高级工艺美术师": ("L271", "1"),
    "高级工艺美术师": ("272", "2"),
    "工艺美术师": ("273", "3"),
    "助理工艺美术师": ("274", "4"),
    # 艺术
    "一级演员": ("281", "1"),
    "二级演员": ("282", "2"),
    "三级演员": ("283", "3"),
    "四级演员": ("284", "4"),
    "一级演奏员": ("291", "1"),
    "二级演奏员": ("292", "2"),
    "三级演奏员": ("293", "3"),
    "四级演奏员": ("294", "4"),
    "一级编剧": ("301", "1"),
    "二级编剧": ("302", "2"),
    "三级编剧": ("303", "3"),
    "一级导演": ("311", "1"),
    "二级导演": ("312", "2"),
    "三级导演": ("313", "3"),
    "一级作曲": ("331", "1"),
    "二级作曲": ("332", "2"),
    "三级作曲": ("333", "3"),
    "一级美术师": ("341", "1"),
    "二级美术师": ("342", "2"),
    "三级美术师": ("343", "3"),
    "美术员": ("344", "4"),
    # 体育
    "国家级教练": ("371", "1"),
    "高级教练": ("372", "2"),
    "一级教练": ("373", "3"),
    "二级教练": ("374", "4"),
    "三级教练": ("375", "5"),
    # 律师, 公证
    "一级律师": ("391", "1"),
    "二级律师": ("392", "2"),
    "三级律师": ("393", "3"),
    "四级律师": ("394", "4"),
    "律师助理": ("395", "5"),
    "一级公证员": ("401", "1"),
    "二级公证员": ("402", "2"),
    "三级公证员": ("403", "3"),
    "四级公证员": ("404", "4"),
    # 科学研究
    "研究员": ("611", "1"),
    "副研究员": ("612", "2"),
    "助理研究员": ("613", "3"),
    "研究实习员": ("614", "4"),
    # 图书资料, 文博, 档案, 群众文化
    "研究馆员": ("641", "1"),
    "副研究馆员": ("642", "2"),
    "馆员": ("643", "3"),
    "助理馆员": ("644", "4"),
    "管理员": ("645", "5"),
    # 审计
    "正高级审计师": ("L681", "1"),
    "高级审计师": ("682", "2"),
    "审计师": ("683", "3"),
    "助理审计师": ("684", "4"),
    "审计员": ("685", "5"),
    # 法医
    "主任法医师": ("691", "1"),
    "副主任法医师": ("692", "2"),
    "主检法医师": ("693", "3"),
    "法医师": ("694", "4"),
    # 思想政治工作
    "正高级政工师": ("L981", "1"),
    "高级政工师": ("982", "2"),
    "政工师": ("983", "3"),
    "助理政工师": ("984", "4"),
    "政工员": ("985", "5"),
}

_PARENTHESISED = re.compile(r"\(.*?\)")


def title_level_for(name: object) -> str:
    """Level code of a title name ("" if unknown). A qualifier in brackets, as in
    讲师（高校）, is ignored."""
    cleaned = _clean(name)
    if cleaned in TITLES:
        return TITLES[cleaned][1]
    # NFKC has already turned full-width brackets into ASCII ones.
    bare = _PARENTHESISED.sub("", cleaned)
    return TITLES[bare][1] if bare in TITLES else ""


_TITLE_LEVEL_ALIASES = {
    "正高": "1",
    "副高": "2",
    "初级": "4",
    "助理": "4",
}
_NO_TITLE = frozenset({"无", "无职称", "未评", "没有"})


def parse_title_level(text: object) -> str | None:
    """Level code from 正高级/副高级/中级/初级/助理级/员级, a level code, or 无 (-> "").

    初级 is read as 助理级 ("4"), its usual meaning. 高级 alone is refused (None): in one report
    it means 副高级, in another 正高级 and 副高级 together, so the level cannot be known.
    """
    cleaned = _clean(text)
    if cleaned in _NO_TITLE:
        return ""
    if cleaned.endswith("职称") and len(cleaned) > 2:
        cleaned = cleaned.removesuffix("职称")
    return parse_choice(TitleLevel, cleaned, _TITLE_LEVEL_ALIASES)


# ---------------------------------------------------------------------------------------------
# Administrative rank and assessment
# ---------------------------------------------------------------------------------------------


class AdminRank(models.TextChoices):
    """Rank of a civil-service post (职务级别) — GB/T 12407-2008."""

    NATIONAL_PRINCIPAL = "101", "国家级正职"
    NATIONAL_DEPUTY = "102", "国家级副职"
    PROVINCIAL_PRINCIPAL = "111", "省部级正职"
    PROVINCIAL_DEPUTY = "112", "省部级副职"
    BUREAU_PRINCIPAL = "121", "厅局级正职"
    BUREAU_DEPUTY = "122", "厅局级副职"
    DIVISION_PRINCIPAL = "131", "县处级正职"
    DIVISION_DEPUTY = "132", "县处级副职"
    SECTION_PRINCIPAL = "141", "乡科级正职"
    SECTION_DEPUTY = "142", "乡科级副职"
    SECTION_MEMBER = "150", "科员级"
    CLERK = "160", "办事员级"
    UNRANKED = "199", "未定职公务员"


# The groups reports count as 省部级/厅级/处级/科级干部, each with its principal and deputy rank.
RANK_GROUPS: dict[str, tuple[str, ...]] = {
    "省部级": ("111", "112"),
    "厅局级": ("121", "122"),
    "县处级": ("131", "132"),
    "乡科级": ("141", "142"),
}


def rank_group(code: str | None) -> str | None:
    for group, codes in RANK_GROUPS.items():
        if code in codes:
            return group
    return None


class AssessmentGrade(models.TextChoices):
    """Annual assessment result (年度考核等次).

    Civil-service-managed units grade 优秀/称职/基本称职/不称职; public institutions grade
    优秀/合格/基本合格/不合格. Either may record 不定等次 or 不进行考核, with a reason.
    """

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASICALLY_COMPETENT = "basically_competent", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
    QUALIFIED = "qualified", "合格"
    BASICALLY_QUALIFIED = "basically_qualified", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"
    UNGRADED = "ungraded", "不定等次"
    NOT_ASSESSED = "not_assessed", "不进行考核"


CIVIL_SERVICE_GRADES = (
    AssessmentGrade.EXCELLENT.value,
    AssessmentGrade.COMPETENT.value,
    AssessmentGrade.BASICALLY_COMPETENT.value,
    AssessmentGrade.INCOMPETENT.value,
)
PUBLIC_INSTITUTION_GRADES = (
    AssessmentGrade.EXCELLENT.value,
    AssessmentGrade.QUALIFIED.value,
    AssessmentGrade.BASICALLY_QUALIFIED.value,
    AssessmentGrade.UNQUALIFIED.value,
)
# Outcomes open to both kinds of unit; each needs a reason.
UNGRADED_OUTCOMES = (AssessmentGrade.UNGRADED.value, AssessmentGrade.NOT_ASSESSED.value)


# ---------------------------------------------------------------------------------------------
# Local tables
# ---------------------------------------------------------------------------------------------


class UnitNature(models.TextChoices):
    """Nature of a work unit (单位性质) — local table."""

    PARTY_GOVERNMENT = "10", "党政机关"
    PUBLIC_INSTITUTION = "20", "事业单位"
    STATE_ENTERPRISE = "30", "国有企业"
    PRIVATE_ENTERPRISE = "40", "民营企业"
    FOREIGN_ENTERPRISE = "50", "外资企业"
    SOCIAL_ORGANIZATION = "60", "社会组织"
    FREELANCE = "70", "自由职业"
    OTHER = "90", "其他"


class Sector(models.TextChoices):
    """Sector (界别) a member is counted in — local table."""

    EDUCATION = "education", "教育"
    CULTURE = "culture", "文化艺术"
    PRESS = "press", "新闻出版"
    SCIENCE = "science", "科学技术"
    HEALTH = "health", "医药卫生"
    ECONOMY = "economy", "经济"
    LAW = "law", "法律"
    WELFARE = "welfare", "社会福利"
    OTHER = "other", "其他"


class OrgKind(models.TextChoices):
    """Kind of a node in the organization tree (see GLOSSARY.md)."""

    COMMITTEE = "committee", "委员会"
    GRASSROOTS_COMMITTEE = "grassroots_committee", "基层委员会"
    GENERAL_BRANCH = "general_branch", "总支"
    BRANCH = "branch", "支部"
    GROUP = "group", "小组"


class SpellReason(models.TextChoices):
    """Why a membership spell starts or ends (see GLOSSARY.md)."""

    ADMITTED = "admitted", "入会"
    TRANSFERRED_IN = "transferred_in", "转入"
    TRANSFERRED_OUT = "transferred_out", "转出"
    WITHDREW = "withdrew", "退出"
    REMOVED = "removed", "除名"
    EXPELLED = "expelled", "开除"
    DIED = "died", "去世"


class AffiliationKind(models.TextChoices):
    """Why a non-member's file is kept by a node (管理关系, GLOSSARY.md: Affiliation)."""

    APPLICANT = "applicant", "入会申请人"
    NON_PARTY_CADRE = "non_party_cadre", "党外干部"
    TALENT = "talent", "人才库人员"
    OTHER = "other", "其他"


START_REASONS = (SpellReason.ADMITTED.value, SpellReason.TRANSFERRED_IN.value)
END_REASONS = (
    SpellReason.TRANSFERRED_OUT.value,
    SpellReason.WITHDREW.value,
    SpellReason.REMOVED.value,
    SpellReason.EXPELLED.value,
    SpellReason.DIED.value,
)


class PostKind(models.TextChoices):
    """Kind of a post a person holds (see GLOSSARY.md)."""

    PARTY = "party", "会内职务"
    GOVERNMENT = "government", "实职"
    POLITICAL = "political", "政治安排"
    SOCIAL = "social", "社会职务"


class PoliticalBody(models.TextChoices):
    """Body of a political arrangement (政治安排)."""

    NPC_DEPUTY = "npc_deputy", "人大代表"
    NPC_STANDING = "npc_standing", "人大常委"
    CPPCC_MEMBER = "cppcc_member", "政协委员"
    CPPCC_STANDING = "cppcc_standing", "政协常委"
    SPECIAL = "special", "特约人员"


class PoliticalLevel(models.TextChoices):
    """Level of a people's congress or CPPCC."""

    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
