"""Demonstration data: a fictional city committee of 民盟 with five years of history.

``build_demo`` writes a committee (民盟江城市委员会), its grassroots committees and branches, about
300 current members with realistic attributes and the history of the last five years (admissions,
transfers between branches, exits, deaths, a dissolved branch), and the members' posts and
political arrangements. Every write goes through the services, so every rule is respected.

Everything is drawn from ``random.Random(seed)`` and dated relative to ``today``: the same seed and
the same ``today`` give the same data. Names, ID numbers, phones and units are synthetic.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from tongxin.accounts.roles import Role
from tongxin.accounts.services import grant_roles
from tongxin.core.codes import (
    TITLES,
    AdminRank,
    Gender,
    PoliticalBody,
    PoliticalLevel,
    PostKind,
    Sector,
    SpellReason,
    UnitNature,
)
from tongxin.core.dates import age_on, years_before
from tongxin.core.idnumber import make_id_number
from tongxin.core.pinyin import name_pinyin
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.orgs.services import org_create, org_dissolve

from . import selectors, services
from .models import MembershipSpell, Person, Post

ROOT_CODE = "MM-JC"
ROOT_NAME = "民盟江城市委员会"
PARTY = "05"  # 民盟 — GB/T 4762
DEFAULT_SEED = 2024
DEFAULT_MEMBERS = 300
MIN_MEMBERS = 60
DEMO_BRANCH_CODE = "MM-JC-ZS01"  # the branch of the demo user ``zhibu``
APPROVING_BODY = "民盟江城市委员会"

ADMIN_USERNAME = "admin"
BRANCH_USERNAME = "zhibu"
AUDITOR_USERNAME = "shenji"


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    roles: tuple = ()
    node: str | None = None  # "root" or "branch"
    superuser: bool = False
    reveal: bool = False  # may see ID numbers, phones and e-mails unmasked, when asking


# One demo account per role, so that each can be tried (三权分立 included).
DEMO_USERS = (
    DemoUser(ADMIN_USERNAME, "超级管理员", node="root", superuser=True),
    DemoUser("zuzhi", "组织部工作人员示例", (Role.STAFF,), "root", reveal=True),
    DemoUser("lingdao", "领导示例", (Role.LEADER,), "root"),
    DemoUser(BRANCH_USERNAME, "支部主委示例", (Role.BRANCH_CHAIR,), "branch"),
    DemoUser("xitong", "系统管理员示例", (Role.SYSTEM_ADMIN,)),
    DemoUser("anquan", "安全管理员示例", (Role.SECURITY_ADMIN,)),
    DemoUser(AUDITOR_USERNAME, "审计管理员示例", (Role.AUDIT_ADMIN,)),
)

# ---------------------------------------------------------------------------------------------
# The organization tree
# ---------------------------------------------------------------------------------------------

CATEGORY_COUNTY = "县区支部"
CATEGORY_UNIVERSITY = "高校支部"
CATEGORY_DIRECT = "直属支部"
CATEGORY_SECTOR = "界别支部"
CATEGORY_INDUSTRY = "行业支部"
CATEGORIES = (
    CATEGORY_COUNTY,
    CATEGORY_UNIVERSITY,
    CATEGORY_DIRECT,
    CATEGORY_SECTOR,
    CATEGORY_INDUSTRY,
)

NEW_BRANCH = "MM-JC-GX05"  # founded three years ago, its first members moved from its source
NEW_BRANCH_SOURCE = "MM-JC-GX02"
DISSOLVED_BRANCH = "MM-JC-ZS08"  # dissolved two years ago, its members moved beforehand
DISSOLVED_BRANCH_TARGETS = (("MM-JC-ZS04", 3), ("MM-JC-JB02", 2))


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str
    categories: tuple[str, ...]
    established: date | None  # None: the new branch, dated from today
    weight: int = 0  # share of the current members
    templates: tuple[tuple[str, int], ...] = ()
    families: tuple[str, ...] = ()  # branches of a family exchange members
    district: str = ""


_C, _G, _B = "committee", "grassroots_committee", "branch"

# fmt: off
ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(ROOT_CODE, ROOT_NAME, "民盟江城市委", _C, "", (), date(1956, 5, 20)),
    OrgSpec("MM-JC-JN", "民盟江城市江南区基层委员会", "江南区基层委", _G, ROOT_CODE,
            (CATEGORY_COUNTY,), date(1993, 6, 18), district="江南区"),
    OrgSpec("MM-JC-JN01", "民盟江城市江南区教育支部", "江南区教育支部", _B, "MM-JC-JN",
            (CATEGORY_COUNTY,), date(1993, 9, 10), 14, (("school", 85), ("county_gov", 15)),
            ("school",), "江南区"),
    OrgSpec("MM-JC-JN02", "民盟江城市江南区医卫支部", "江南区医卫支部", _B, "MM-JC-JN",
            (CATEGORY_COUNTY,), date(1998, 4, 16), 12,
            (("county_hospital", 80), ("hospital", 20)), ("health",), "江南区"),
    OrgSpec("MM-JC-JN03", "民盟江城市江南区综合支部", "江南区综合支部", _B, "MM-JC-JN",
            (CATEGORY_COUNTY,), date(2003, 11, 20), 12,
            (("private", 30), ("county_gov", 30), ("school", 10), ("welfare", 15),
             ("lawyer", 15)),
            ("county",), "江南区"),
    OrgSpec("MM-JC-JB", "民盟江城市江北区基层委员会", "江北区基层委", _G, ROOT_CODE,
            (CATEGORY_COUNTY,), date(1996, 9, 10), district="江北区"),
    OrgSpec("MM-JC-JB01", "民盟江城市江北区教育支部", "江北区教育支部", _B, "MM-JC-JB",
            (CATEGORY_COUNTY,), date(1996, 12, 6), 12, (("school", 90), ("county_gov", 10)),
            ("school",), "江北区"),
    OrgSpec("MM-JC-JB02", "民盟江城市江北区经济支部", "江北区经济支部", _B, "MM-JC-JB",
            (CATEGORY_COUNTY,), date(2006, 5, 12), 12,
            (("private", 40), ("soe", 30), ("accounting", 20), ("county_gov", 10)),
            ("economy",), "江北区"),
    OrgSpec("MM-JC-JB03", "民盟江城市江北区综合支部", "江北区综合支部", _B, "MM-JC-JB",
            (CATEGORY_COUNTY,), date(2010, 10, 22), 10,
            (("county_gov", 35), ("county_hospital", 20), ("private", 25), ("welfare", 20)),
            ("county",), "江北区"),
    OrgSpec("MM-JC-GX01", "民盟江城大学第一支部", "江城大学第一支部", _B, ROOT_CODE,
            (CATEGORY_UNIVERSITY,), date(1982, 3, 15), 26, (("univ_hum", 100),),
            ("university",)),
    OrgSpec("MM-JC-GX02", "民盟江城大学第二支部", "江城大学第二支部", _B, ROOT_CODE,
            (CATEGORY_UNIVERSITY,), date(1985, 11, 8), 24, (("univ_sci", 100),),
            ("university",)),
    OrgSpec("MM-JC-GX03", "民盟江城大学医学院支部", "江城大学医学院支部", _B, ROOT_CODE,
            (CATEGORY_UNIVERSITY,), date(1990, 4, 20), 20, (("univ_med", 100),),
            ("university", "health")),
    OrgSpec("MM-JC-GX04", "民盟江城师范学院支部", "江城师范学院支部", _B, ROOT_CODE,
            (CATEGORY_UNIVERSITY,), date(1987, 10, 12), 18, (("normal", 100),),
            ("university", "school")),
    OrgSpec(NEW_BRANCH, "民盟江城理工学院支部", "江城理工学院支部", _B, ROOT_CODE,
            (CATEGORY_UNIVERSITY,), None, 12, (("tech", 100),)),
    OrgSpec("MM-JC-ZS01", "民盟江城市医药卫生支部", "医药卫生支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_SECTOR), date(1981, 5, 16), 28, (("hospital", 100),),
            ("health",)),
    OrgSpec("MM-JC-ZS02", "民盟江城市法律支部", "法律支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_SECTOR), date(1992, 7, 1), 18,
            (("lawyer", 50), ("court", 35), ("notary", 15)), ("law",)),
    OrgSpec("MM-JC-ZS03", "民盟江城市文化艺术支部", "文化艺术支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_SECTOR), date(1984, 9, 28), 16, (("culture", 100),),
            ("culture",)),
    OrgSpec("MM-JC-ZS04", "民盟江城市经济支部", "经济支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_SECTOR), date(1995, 3, 30), 18,
            (("soe", 35), ("private", 35), ("accounting", 30)), ("economy",)),
    OrgSpec("MM-JC-ZS05", "民盟江城市科学技术支部", "科学技术支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_SECTOR), date(1989, 12, 8), 16, (("science", 100),)),
    OrgSpec("MM-JC-ZS06", "民盟江城市新闻出版支部", "新闻出版支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_SECTOR), date(2001, 6, 15), 10, (("press", 100),),
            ("culture",)),
    OrgSpec("MM-JC-ZS07", "民盟江城市机关支部", "机关支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT,), date(2008, 4, 25), 14, (("city_gov", 100),), ("county",)),
    OrgSpec(DISSOLVED_BRANCH, "民盟江城纺织集团支部", "江城纺织集团支部", _B, ROOT_CODE,
            (CATEGORY_DIRECT, CATEGORY_INDUSTRY), date(1988, 3, 8), 0, (("textile", 100),)),
)
# fmt: on
ORG_BY_CODE = {spec.code: spec for spec in ORGS}
CURRENT_BRANCHES = tuple(s.code for s in ORGS if s.kind == _B and s.code != DISSOLVED_BRANCH)

# ---------------------------------------------------------------------------------------------
# Work: sectors, units, titles
# ---------------------------------------------------------------------------------------------

# fmt: off
# Title ladders by level code; every name is a key of codes.TITLES.
LADDERS: dict[str, dict[str, tuple[str, ...]]] = {
    "none": {},
    "univ": {"1": ("教授",), "2": ("副教授",), "3": ("讲师",), "4": ("助教",)},
    "research": {"1": ("研究员",), "2": ("副研究员",), "3": ("助理研究员",)},
    "lab": {"2": ("高级实验师",), "3": ("实验师",), "4": ("助理实验师",)},
    "library": {"1": ("研究馆员",), "2": ("副研究馆员",), "3": ("馆员",)},
    "doctor": {"1": ("主任医师",), "2": ("副主任医师",), "3": ("主治医师",), "4": ("医师",)},
    "nurse": {"1": ("主任护师",), "2": ("副主任护师",), "3": ("主管护师",), "4": ("护师",)},
    "pharmacist": {"1": ("主任药师",), "2": ("副主任药师",), "3": ("主管药师",), "4": ("药师",)},
    "technician": {"1": ("主任技师",), "2": ("副主任技师",), "3": ("主管技师",)},
    "teacher": {"1": ("正高级教师",), "2": ("高级教师",), "3": ("一级教师",), "4": ("二级教师",)},
    "lawyer": {"1": ("一级律师",), "2": ("二级律师",), "3": ("三级律师",), "4": ("四级律师",)},
    "notary": {"1": ("一级公证员",), "2": ("二级公证员",), "3": ("三级公证员",)},
    "engineer": {"1": ("正高级工程师",), "2": ("高级工程师",), "3": ("工程师",),
                 "4": ("助理工程师",)},
    "economist": {"1": ("正高级经济师",), "2": ("高级经济师",), "3": ("经济师",)},
    "accountant": {"1": ("正高级会计师",), "2": ("高级会计师",), "3": ("会计师",),
                   "4": ("助理会计师",)},
    "auditor": {"2": ("高级审计师",), "3": ("审计师",)},
    "journalist": {"1": ("高级记者",), "2": ("主任记者",), "3": ("记者",)},
    "editor": {"1": ("编审",), "2": ("副编审",), "3": ("编辑",)},
    "artist": {"1": ("一级美术师",), "2": ("二级美术师",), "3": ("三级美术师",)},
    "performer": {"1": ("一级演员", "一级演奏员"), "2": ("二级演员", "二级演奏员"),
                  "3": ("三级演员", "三级演奏员")},
    "writer": {"1": ("一级编剧",), "2": ("二级编剧",), "3": ("三级编剧",)},
    "agronomist": {"1": ("农业技术推广研究员",), "2": ("高级农艺师",), "3": ("农艺师",)},
}

# Level weights ("1" 正高 … "4" 助理) by age: (oldest age, weights).
_LEVEL_WEIGHTS = (
    (35, {"2": 8, "3": 62, "4": 30}),
    (45, {"1": 8, "2": 45, "3": 42, "4": 5}),
    (55, {"1": 32, "2": 50, "3": 18}),
    (200, {"1": 45, "2": 45, "3": 10}),
)
# fmt: on

_GOV = UnitNature.PARTY_GOVERNMENT.value
_PUBLIC = UnitNature.PUBLIC_INSTITUTION.value
_SOE = UnitNature.STATE_ENTERPRISE.value
_PRIVATE = UnitNature.PRIVATE_ENTERPRISE.value
_SOCIAL = UnitNature.SOCIAL_ORGANIZATION.value
_DIV_P = AdminRank.DIVISION_PRINCIPAL.value  # 县处级正职
_DIV_D = AdminRank.DIVISION_DEPUTY.value  # 县处级副职
_SEC_P = AdminRank.SECTION_PRINCIPAL.value  # 乡科级正职
_SEC_D = AdminRank.SECTION_DEPUTY.value  # 乡科级副职


@dataclass(frozen=True)
class Unit:
    name: str  # "{d}" stands for the branch's district
    ladder: str
    weight: int = 1
    sector: str = ""  # overrides the template's sector
    nature: str = ""  # overrides the template's unit nature


@dataclass(frozen=True)
class Template:
    """A kind of work: sector, unit nature, units with their title series, job posts."""

    sector: str
    nature: str
    units: tuple[Unit, ...]
    # (job post, GB/T 12407 rank or "", weight, a word the unit name must contain or "")
    posts: tuple[tuple[str, str, int, str], ...]
    education: tuple[tuple[str, int], ...]  # (GB/T 4658 code, weight)
    majors: tuple[str, ...]
    schools: tuple[str, ...] = ()
    title_rate: float = 0.95
    email_domain: str = ""


# fmt: off
_SCHOOLS = (
    "武汉大学", "华中科技大学", "华中师范大学", "中南财经政法大学", "武汉理工大学", "湖北大学",
    "江城大学", "中国地质大学（武汉）", "华中农业大学", "湖北工业大学", "南京大学", "中山大学",
)
_UNIV_POSTS = (
    ("", "", 60, ""), ("系主任", "", 10, ""), ("副院长", "", 8, ""), ("院长", "", 2, ""),
    ("教研室主任", "", 9, ""), ("研究所所长", "", 4, ""),
)
_HOSPITAL_POSTS = (
    ("", "", 50, ""), ("科主任", "", 14, ""), ("科副主任", "", 10, ""), ("护士长", "", 4, ""),
    ("副院长", _DIV_D, 3, "人民医院"),
)
_MED_SCHOOLS = (
    "华中科技大学同济医学院", "武汉大学医学部", "湖北中医药大学", "江城大学医学院", "湖北医药学院",
)

TEMPLATES: dict[str, Template] = {
    "univ_hum": Template(
        Sector.EDUCATION, _PUBLIC,
        (Unit("江城大学文学院", "univ", 3), Unit("江城大学法学院", "univ", 2),
         Unit("江城大学经济与管理学院", "univ", 3), Unit("江城大学外国语学院", "univ", 2),
         Unit("江城大学历史文化学院", "univ", 1), Unit("江城大学艺术学院", "univ", 1),
         Unit("江城大学马克思主义学院", "univ", 1), Unit("江城大学图书馆", "library", 1)),
        _UNIV_POSTS,
        (("11", 55), ("14", 35), ("21", 10)),
        ("汉语言文学", "法学", "经济学", "英语语言文学", "中国史", "哲学", "会计学", "工商管理"),
        email_domain="jcu.edu.cn",
    ),
    "univ_sci": Template(
        Sector.EDUCATION, _PUBLIC,
        (Unit("江城大学化学与化工学院", "univ", 3), Unit("江城大学计算机学院", "univ", 3),
         Unit("江城大学机械工程学院", "univ", 2), Unit("江城大学数学与统计学院", "univ", 2),
         Unit("江城大学物理与电子信息学院", "univ", 2), Unit("江城大学生命科学学院", "univ", 2),
         Unit("江城大学分析测试中心", "lab", 1, Sector.SCIENCE),
         Unit("江城大学光电研究院", "research", 1, Sector.SCIENCE)),
        _UNIV_POSTS,
        (("11", 62), ("14", 30), ("21", 8)),
        ("化学", "计算机科学与技术", "机械工程", "数学", "物理学", "生物学", "光学工程"),
        email_domain="jcu.edu.cn",
    ),
    "univ_med": Template(
        Sector.HEALTH, _PUBLIC,
        (Unit("江城大学医学院", "univ", 3), Unit("江城大学附属医院", "doctor", 4),
         Unit("江城大学附属医院", "nurse", 1), Unit("江城大学药学院", "univ", 1)),
        (("", "", 55, ""), ("科主任", "", 12, "医院"), ("科副主任", "", 8, "医院"),
         ("教研室主任", "", 8, "学院"), ("副院长", "", 4, "")),
        (("11", 60), ("14", 32), ("21", 8)),
        ("临床医学", "基础医学", "药学", "护理学", "预防医学", "医学影像学"),
        _MED_SCHOOLS,
        email_domain="jcu.edu.cn",
    ),
    "normal": Template(
        Sector.EDUCATION, _PUBLIC,
        (Unit("江城师范学院文学院", "univ", 2), Unit("江城师范学院教育科学学院", "univ", 2),
         Unit("江城师范学院数学与统计学院", "univ", 1), Unit("江城师范学院音乐学院", "univ", 1),
         Unit("江城师范学院美术学院", "univ", 1), Unit("江城师范学院外国语学院", "univ", 1)),
        _UNIV_POSTS,
        (("11", 40), ("14", 45), ("21", 15)),
        ("汉语言文学", "教育学", "心理学", "数学与应用数学", "音乐学", "美术学", "英语"),
        email_domain="jcnu.edu.cn",
    ),
    "tech": Template(
        Sector.EDUCATION, _PUBLIC,
        (Unit("江城理工学院机电工程学院", "univ", 2), Unit("江城理工学院土木工程学院", "univ", 2),
         Unit("江城理工学院材料科学与工程学院", "univ", 1),
         Unit("江城理工学院电气与信息工程学院", "univ", 2),
         Unit("江城理工学院工程训练中心", "engineer", 1, Sector.SCIENCE)),
        _UNIV_POSTS,
        (("11", 45), ("14", 45), ("21", 10)),
        ("机械设计制造及其自动化", "土木工程", "材料科学与工程", "电气工程及其自动化", "自动化"),
        email_domain="jcit.edu.cn",
    ),
    "hospital": Template(
        Sector.HEALTH, _PUBLIC,
        (Unit("江城市第一人民医院", "doctor", 5), Unit("江城市第一人民医院", "nurse", 1),
         Unit("江城市中心医院", "doctor", 4), Unit("江城市中心医院", "pharmacist", 1),
         Unit("江城市中医医院", "doctor", 3), Unit("江城市妇幼保健院", "doctor", 2),
         Unit("江城市第三人民医院", "technician", 1),
         Unit("江城市疾病预防控制中心", "doctor", 1)),
        _HOSPITAL_POSTS,
        (("11", 25), ("14", 45), ("21", 28), ("31", 2)),
        ("临床医学", "中医学", "护理学", "药学", "医学影像学", "麻醉学", "口腔医学", "儿科学"),
        _MED_SCHOOLS,
    ),
    "county_hospital": Template(
        Sector.HEALTH, _PUBLIC,
        (Unit("江城市{d}人民医院", "doctor", 4), Unit("江城市{d}人民医院", "nurse", 1),
         Unit("江城市{d}中医医院", "doctor", 2), Unit("江城市{d}妇幼保健院", "doctor", 1),
         Unit("江城市{d}疾病预防控制中心", "doctor", 1)),
        _HOSPITAL_POSTS,
        (("11", 5), ("14", 35), ("21", 55), ("31", 5)),
        ("临床医学", "中医学", "护理学", "预防医学", "医学检验"),
        _MED_SCHOOLS,
    ),
    "school": Template(
        Sector.EDUCATION, _PUBLIC,
        (Unit("江城市第一中学", "teacher", 3), Unit("江城市第三中学", "teacher", 2),
         Unit("江城市{d}实验小学", "teacher", 2), Unit("江城市{d}第二中学", "teacher", 2),
         Unit("江城外国语学校", "teacher", 1), Unit("江城市{d}职业技术学校", "teacher", 1)),
        (("", "", 55, ""), ("教研组长", "", 12, ""), ("年级主任", "", 8, ""),
         ("副校长", "", 6, ""), ("校长", "", 3, ""), ("教务处主任", "", 5, "")),
        (("14", 20), ("21", 75), ("31", 5)),
        ("汉语言文学", "数学与应用数学", "英语", "物理学", "化学", "历史学", "思想政治教育"),
        ("华中师范大学", "湖北大学", "江城师范学院", "湖北师范大学", "湖北第二师范学院"),
    ),
    "lawyer": Template(
        Sector.LAW, _SOCIAL,
        (Unit("湖北江城明德律师事务所", "lawyer", 3), Unit("湖北楚天律师事务所", "lawyer", 2),
         Unit("湖北正衡律师事务所", "lawyer", 2), Unit("湖北汉江律师事务所", "lawyer", 2)),
        (("专职律师", "", 40, ""), ("合伙人", "", 32, ""), ("主任", "", 8, ""),
         ("副主任", "", 8, "")),
        (("11", 5), ("14", 45), ("21", 50)),
        ("法学", "经济法学", "民商法学", "刑法学", "诉讼法学"),
        ("中南财经政法大学", "武汉大学", "华中科技大学", "湖北大学", "西南政法大学"),
    ),
    "court": Template(
        Sector.LAW, _GOV,
        (Unit("江城市中级人民法院", "none", 3), Unit("江城市江南区人民法院", "none", 1),
         Unit("江城市人民检察院", "none", 2)),
        (("审判员", "", 30, "法院"), ("法官助理", "", 8, "法院"),
         ("副庭长", _SEC_P, 14, "中级"), ("庭长", _DIV_D, 6, "中级"),
         ("检察官", "", 25, "检察院"), ("检察官助理", "", 8, "检察院"),
         ("副检察长", _DIV_D, 3, "检察院")),
        (("11", 5), ("14", 55), ("21", 40)),
        ("法学", "民商法学", "刑法学", "诉讼法学"),
        ("中南财经政法大学", "武汉大学", "西南政法大学", "中国政法大学"),
        title_rate=0.0,
    ),
    "notary": Template(
        Sector.LAW, _PUBLIC,
        (Unit("江城市公证处", "notary", 3), Unit("江城市江北公证处", "notary", 1)),
        (("公证员", "", 60, ""), ("副主任", "", 10, "")),
        (("14", 30), ("21", 70)),
        ("法学", "民商法学"),
        ("中南财经政法大学", "湖北大学", "武汉大学"),
    ),
    "culture": Template(
        Sector.CULTURE, _PUBLIC,
        (Unit("江城画院", "artist", 3), Unit("江城市文化馆", "artist", 2),
         Unit("江城市歌舞剧院", "performer", 3), Unit("江城市汉剧院", "performer", 2),
         Unit("江城市博物馆", "library", 2), Unit("江城市艺术研究所", "writer", 1)),
        (("", "", 60, ""), ("副院长", "", 5, "院"), ("副馆长", "", 4, "馆"),
         ("艺术总监", "", 3, "剧院"), ("部门主任", "", 8, "")),
        (("11", 5), ("14", 30), ("21", 55), ("31", 10)),
        ("美术学", "音乐表演", "戏剧影视文学", "考古学", "舞蹈表演", "中国画", "书法学"),
        ("湖北美术学院", "武汉音乐学院", "中央美术学院", "武汉大学", "湖北艺术职业学院"),
    ),
    "press": Template(
        Sector.PRESS, _PUBLIC,
        (Unit("江城日报社", "journalist", 4), Unit("江城广播电视台", "journalist", 3),
         Unit("江城出版社", "editor", 2, nature=_SOE), Unit("江城文艺杂志社", "editor", 1)),
        (("", "", 55, ""), ("编委", "", 6, ""), ("部门主任", "", 12, ""),
         ("副总编辑", "", 4, ""), ("首席记者", "", 6, "报社")),
        (("11", 2), ("14", 40), ("21", 58)),
        ("新闻学", "汉语言文学", "广播电视学", "编辑出版学"),
    ),
    "soe": Template(
        Sector.ECONOMY, _SOE,
        (Unit("江城农村商业银行", "economist", 3),
         Unit("江城城市建设投资集团有限公司", "economist", 2),
         Unit("江城交通投资集团有限公司", "engineer", 2),
         Unit("江城水务集团有限公司", "engineer", 1),
         Unit("中国建设银行江城分行", "economist", 2),
         Unit("江城国有资本投资运营集团有限公司", "accountant", 1)),
        (("", "", 40, ""), ("部门经理", "", 20, ""), ("副总经理", "", 8, ""),
         ("总会计师", "", 4, ""), ("财务总监", "", 5, "")),
        (("11", 5), ("14", 40), ("21", 55)),
        ("金融学", "会计学", "经济学", "工商管理", "财务管理", "土木工程"),
        title_rate=0.85,
    ),
    "private": Template(
        Sector.ECONOMY, _PRIVATE,
        (Unit("江城华信科技有限公司", "engineer", 2), Unit("江城楚天置业有限公司", "economist", 1),
         Unit("江城恒达医药连锁有限公司", "pharmacist", 1),
         Unit("江城明远教育科技有限公司", "none", 1),
         Unit("江城长江物流有限公司", "economist", 1), Unit("江城瑞丰食品有限公司", "none", 1)),
        (("董事长", "", 15, ""), ("总经理", "", 20, ""), ("副总经理", "", 15, ""),
         ("部门经理", "", 20, ""), ("", "", 20, "")),
        (("11", 3), ("14", 35), ("21", 52), ("31", 10)),
        ("工商管理", "市场营销", "计算机科学与技术", "药学", "物流管理", "食品科学与工程"),
        title_rate=0.55,
    ),
    "accounting": Template(
        Sector.ECONOMY, _SOCIAL,
        (Unit("江城恒信会计师事务所", "accountant", 3),
         Unit("江城诚达税务师事务所", "accountant", 1),
         Unit("江城正信资产评估有限公司", "economist", 1, nature=_PRIVATE)),
        (("合伙人", "", 25, ""), ("注册会计师", "", 35, ""), ("项目经理", "", 20, ""),
         ("", "", 20, "")),
        (("14", 40), ("21", 60)),
        ("会计学", "审计学", "财务管理", "税收学"),
    ),
    "science": Template(
        Sector.SCIENCE, _PUBLIC,
        (Unit("江城市农业科学院", "agronomist", 2), Unit("江城光电技术研究所", "research", 2),
         Unit("江城市建筑设计研究院", "engineer", 2),
         Unit("江城钢铁集团有限公司", "engineer", 2, nature=_SOE),
         Unit("江城市环境监测中心站", "engineer", 1)),
        (("", "", 55, ""), ("室主任", "", 15, ""), ("总工程师", "", 5, ""),
         ("副所长", "", 5, "所")),
        (("11", 30), ("14", 45), ("21", 25)),
        ("作物学", "光学工程", "建筑学", "冶金工程", "环境工程", "材料科学与工程"),
    ),
    "city_gov": Template(
        Sector.OTHER, _GOV,
        (Unit("江城市教育局", "none", 2, Sector.EDUCATION),
         Unit("江城市卫生健康委员会", "none", 2, Sector.HEALTH),
         Unit("江城市司法局", "none", 1, Sector.LAW),
         Unit("江城市科学技术局", "none", 1, Sector.SCIENCE),
         Unit("江城市财政局", "economist", 1, Sector.ECONOMY),
         Unit("江城市文化和旅游局", "none", 1, Sector.CULTURE),
         Unit("江城市民政局", "none", 1, Sector.WELFARE),
         Unit("江城市生态环境局", "engineer", 1, Sector.SCIENCE),
         Unit("江城市审计局", "auditor", 1, Sector.ECONOMY)),
        (("一级主任科员", "", 15, ""), ("副科长", _SEC_D, 18, ""), ("科长", _SEC_P, 20, ""),
         ("副局长", _DIV_D, 8, "局"), ("副主任", _DIV_D, 8, "委员会"),
         ("局长", _DIV_P, 2, "局")),
        (("11", 5), ("14", 50), ("21", 45)),
        ("行政管理", "法学", "经济学", "公共管理", "汉语言文学", "环境工程"),
        title_rate=0.25,
    ),
    "county_gov": Template(
        Sector.OTHER, _GOV,
        (Unit("江城市{d}教育局", "none", 2, Sector.EDUCATION),
         Unit("江城市{d}卫生健康局", "none", 1, Sector.HEALTH),
         Unit("江城市{d}财政局", "economist", 1, Sector.ECONOMY),
         Unit("江城市{d}民政局", "none", 1, Sector.WELFARE),
         Unit("江城市{d}文化和旅游局", "none", 1, Sector.CULTURE),
         Unit("江城市{d}人民政府", "none", 1, Sector.OTHER)),
        (("四级主任科员", "", 20, ""), ("副局长", _SEC_D, 20, "局"),
         ("局长", _SEC_P, 6, "局"), ("副区长", _DIV_D, 6, "人民政府")),
        (("14", 45), ("21", 55)),
        ("行政管理", "法学", "经济学", "公共管理", "教育学"),
        title_rate=0.2,
    ),
    "welfare": Template(
        Sector.WELFARE, _SOCIAL,
        (Unit("江城市社会福利院", "none", 1, nature=_PUBLIC),
         Unit("江城市残疾人联合会", "none", 1), Unit("江城市慈善总会", "none", 1),
         Unit("江城市{d}社会工作服务中心", "none", 1)),
        (("", "", 40, ""), ("副院长", "", 10, "院"), ("副理事长", "", 8, "会"),
         ("项目主管", "", 20, "")),
        (("14", 25), ("21", 60), ("31", 15)),
        ("社会工作", "社会学", "行政管理", "心理学"),
        title_rate=0.3,
    ),
    "textile": Template(
        Sector.ECONOMY, _SOE,
        (Unit("江城纺织集团有限公司", "engineer", 3),
         Unit("江城纺织集团有限公司", "accountant", 1),
         Unit("江城纺织集团有限公司", "economist", 1), Unit("江城第一棉纺织厂", "engineer", 1)),
        (("", "", 40, ""), ("车间主任", "", 10, ""), ("总工程师", "", 5, ""),
         ("部门经理", "", 15, "")),
        (("14", 10), ("21", 55), ("31", 30), ("41", 5)),
        ("纺织工程", "机械工程", "会计学", "染整工程", "服装设计与工程"),
        ("武汉纺织大学", "武汉理工大学", "湖北工业大学", "东华大学"),
    ),
}

# Posts a person under 38 is not given.
_SENIOR_POSTS = frozenset({
    "院长", "校长", "局长", "董事长", "副院长", "副校长", "主任", "副总编辑", "总会计师",
    "财务总监", "副检察长", "副区长", "总工程师", "副局长", "庭长", "副所长", "副主任",
})
# fmt: on

# ---------------------------------------------------------------------------------------------
# People: names, places, numbers
# ---------------------------------------------------------------------------------------------

_COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
# (surname, weight): the top names weigh most; 单, 解 and the compound surnames are rare.
SURNAMES: tuple[tuple[str, int], ...] = tuple(
    (ch, 24 if i < 10 else 12 if i < 30 else 5) for i, ch in enumerate(_COMMON_SURNAMES)
) + (("单", 2), ("解", 2), ("欧阳", 2), ("司马", 1), ("诸葛", 1))
# Names that must exist: searched by initials (zm) and by surnames read differently.
PLANTED_NAMES = (("张敏", Gender.FEMALE), ("周明", Gender.MALE))
PLANTED_SURNAMES = ("单", "曾", "解", "欧阳")

_MALE_CHARS = (
    "伟强磊军勇杰涛斌超刚平辉鹏飞鑫波宁健俊帆凯峰建国志武海林东永庆德良振宏力松柏晨浩宇博航哲"
    "毅坤睿锋诚彬琦"
)
_FEMALE_CHARS = "静丽芳娟艳霞燕玲婷萍红梅琳洁慧颖雪倩晶莉丹兰英秀云芬月琴蓉薇璐悦欣瑶佳雯岚"
_SHARED_CHARS = "文华明晓春新敏晨立嘉思清安"

# fmt: off
_NATIVE_PLACES = (
    ("湖北武汉", 30), ("湖北黄冈", 8), ("湖北孝感", 6), ("湖北荆州", 6), ("湖北襄阳", 5),
    ("湖北宜昌", 5), ("湖北黄石", 4), ("湖北咸宁", 3), ("湖北十堰", 3), ("湖北恩施", 2),
    ("湖南长沙", 3), ("湖南岳阳", 2), ("河南信阳", 3), ("河南南阳", 2), ("江西九江", 2),
    ("安徽安庆", 2), ("四川成都", 1), ("浙江杭州", 1), ("江苏南京", 1), ("山东济南", 1),
)
# Hubei address codes (GB/T 2260), with a few from neighbouring provinces.
_AREA_CODES = (
    ("420102", 8), ("420103", 8), ("420104", 6), ("420105", 6), ("420106", 10), ("420107", 3),
    ("420111", 8), ("420112", 3), ("420113", 2), ("420114", 3), ("420115", 3), ("420116", 2),
    ("420202", 2), ("420281", 2), ("420302", 1), ("420502", 2), ("420602", 2), ("420606", 2),
    ("420902", 3), ("420984", 2), ("421002", 2), ("421003", 2), ("421102", 3), ("421122", 2),
    ("421202", 1), ("421302", 1), ("422801", 1),
    ("430102", 1), ("411502", 1), ("360402", 1), ("340802", 1),
)
# 回族, 土家族, 满族, 蒙古族, 苗族, 壮族, 朝鲜族
_MINORITIES = (("03", 3), ("15", 3), ("11", 2), ("02", 1), ("06", 1), ("08", 1), ("10", 1))
_MOBILE_PREFIXES = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "177",
    "180", "186", "187", "189", "199",
)
_MAIL_DOMAINS = (("163.com", 4), ("qq.com", 4), ("126.com", 2), ("sina.com", 1))
# fmt: on

# ---------------------------------------------------------------------------------------------
# Terms (届): the current and the previous one, dated from ``today``
# ---------------------------------------------------------------------------------------------


def _latest(today: date, month: int, day: int, remainder: int) -> date:
    """The latest ``month``/``day`` on or before ``today`` in a year ≡ ``remainder`` (mod 5)."""
    year = today.year
    while year % 5 != remainder or date(year, month, day) > today:
        year -= 1
    return date(year, month, day)


@dataclass(frozen=True)
class Terms:
    party: date  # 民盟江城市第十四次代表大会
    city: date  # 江城市第十五届人大、政协
    province: date  # 湖北省第十三届政协
    county: date  # 区第十届人大、政协

    @classmethod
    def on(cls, today: date) -> Terms:
        # Terms that began at least half a year ago, so that their posts have some history.
        settled = today - timedelta(days=183)
        return cls(
            party=_latest(settled, 11, 20, 1),
            city=_latest(settled, 1, 8, 2),
            province=_latest(settled, 1, 14, 3),
            county=_latest(settled, 12, 26, 1),
        )


# ---------------------------------------------------------------------------------------------
# Plans: what happens to whom, computed before anything is written
# ---------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    profile: str  # branch code whose templates describe the person
    gender: str
    birth: date
    moves: list[tuple[date, str]]  # (date, org code): admission first, then transfers
    end: tuple[date, str] | None = None
    as_of: date | None = None  # the date the record describes (today or the end)
    person: Person | None = None
    rank: str = ""  # GB/T 12407 rank of the job post, if any
    name: str = ""
    surname: str = ""
    posts: list[Post] = field(default_factory=list)

    @property
    def branch(self) -> str:
        return self.moves[-1][1]

    @property
    def since(self) -> date:
        return self.moves[-1][0]

    @property
    def current(self) -> bool:
        return self.end is None


@dataclass
class DemoSummary:
    """Counts of the demo data on the day it was built (current means on that day)."""

    organizations: int = 0
    current_branches: int = 0
    dissolved_branches: int = 0
    people: int = 0
    current_members: int = 0
    women_percent: float = 0.0
    retired_percent: float = 0.0
    minority_count: int = 0
    admitted_recently: int = 0  # admissions in the last five years
    transfers: int = 0  # transfers between branches
    exits: dict[str, int] = field(default_factory=dict)  # end reason -> people who left
    posts: dict[str, int] = field(default_factory=dict)  # post kind -> posts


def _weighted(rng: random.Random, pairs):
    items = list(pairs)
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def _day(rng: random.Random, first: date, last: date) -> date:
    if last < first:
        return first
    return date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


def _born(rng: random.Random, on: date, age: float) -> date:
    """A birth date that makes the person ``int(age)`` years old on ``on``."""
    latest = years_before(on, int(age))
    earliest = years_before(on, int(age) + 1) + timedelta(days=1)
    return _day(rng, earliest, latest)


def _after_years(day: date, years: int) -> date:
    return years_before(day, -years)


class _Builder:
    def __init__(self, *, seed: int, today: date, members: int):
        self.rng = random.Random(seed)
        self.today = today
        self.members = members
        self.scale = members / DEFAULT_MEMBERS
        self.window_start = years_before(today, 5)
        self.dissolve_on = years_before(today, 2)
        self.new_branch_on = years_before(today, 3) + timedelta(days=40)
        self.terms = Terms.on(today)
        self.orgs: dict[str, Organization] = {}
        self.plans: list[_Plan] = []
        self.names: set[str] = set()
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.doc_counters: Counter = Counter()
        self.chair: list[_Plan] = []
        self.vices: list[_Plan] = []

    # --- helpers -------------------------------------------------------------------------

    def n(self, low: int, high: int | None = None) -> int:
        value = low if high is None else self.rng.randint(low, high)
        return max(1, round(value * self.scale))

    def established(self, code: str) -> date:
        spec = ORG_BY_CODE[code]
        return spec.established or self.new_branch_on

    def document(self, prefix: str, on: date) -> str:
        self.doc_counters[(prefix, on.year)] += 1
        return f"{prefix}〔{on.year}〕{self.doc_counters[(prefix, on.year)]}号"

    def old_admission(self, birth: date, first_org: str, before: date) -> date:
        """A long-ago admission: at 27 or older, after the branch was founded, before ``before``."""
        low = max(
            _after_years(birth, 27),
            self.established(first_org) + timedelta(days=30),
            date(1979, 1, 1),
        )
        high = before - timedelta(days=1)
        if low >= high:
            return high
        # More members joined in later decades: skew towards ``high``.
        return date.fromordinal(
            round(self.rng.triangular(low.toordinal(), high.toordinal(), high.toordinal()))
        )

    def current_age(self) -> float:
        roll = self.rng.random()
        if roll < 0.10:
            return self.rng.uniform(34, 40)
        if roll < 0.76:
            return self.rng.triangular(40, 66, 53)
        return self.rng.uniform(66, 81)

    def gender(self) -> str:
        return Gender.FEMALE.value if self.rng.random() < 0.45 else Gender.MALE.value

    def siblings(self, code: str) -> list[str]:
        families = ORG_BY_CODE[code].families
        return [
            other
            for other in CURRENT_BRANCHES
            if other not in (code, NEW_BRANCH) and set(ORG_BY_CODE[other].families) & set(families)
        ]

    # --- the tree ------------------------------------------------------------------------

    def build_tree(self) -> None:
        categories = {
            name: OrganizationCategory.objects.get_or_create(name=name)[0] for name in CATEGORIES
        }
        for spec in ORGS:
            parent = self.orgs.get(spec.parent)
            org = Organization(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                party=PARTY if not spec.parent else "",
                established=self.established(spec.code),
            )
            self.orgs[spec.code] = org_create(
                parent=parent, org=org, categories=[categories[c] for c in spec.categories]
            )

    # --- who joins, moves and leaves -----------------------------------------------------

    def plan_members(self) -> None:
        rng = self.rng
        today = self.today
        recent_per_year = [self.n(10, 20) for _ in range(5)]
        movers = self.n(7)
        stay = max(0, self.members - movers)

        # Seats in the current branches, shared by weight (largest remainder).
        weights = {code: ORG_BY_CODE[code].weight for code in CURRENT_BRANCHES}
        total = sum(weights.values())
        exact = {code: stay * w / total for code, w in weights.items()}
        seats = {code: int(value) for code, value in exact.items()}
        for code in sorted(exact, key=lambda c: (seats[c] - exact[c], c))[
            : stay - sum(seats.values())
        ]:
            seats[code] += 1
        slots = [code for code in CURRENT_BRANCHES for _ in range(seats[code])]
        rng.shuffle(slots)

        # Recent admissions, in two or three approval batches a year.
        recent: list[_Plan] = []
        for k, count in enumerate(recent_per_year):
            period_start = years_before(today, 5 - k)
            batches = [
                d for d in (period_start + timedelta(days=o) for o in (75, 190, 320)) if d <= today
            ] or [today]
            for _ in range(count):
                if not slots:
                    break
                code = slots.pop()
                on = rng.choice(batches)
                age = rng.triangular(30, 52, 38)
                recent.append(
                    _Plan(code, self.gender(), _born(rng, on, age), [(on, code)], as_of=today)
                )
        # Long-standing members.
        long_standing = []
        for code in slots:
            birth = _born(rng, today, self.current_age())
            plan = _Plan(code, self.gender(), birth, [], as_of=today)
            plan.moves = [(self.old_admission(birth, code, self.window_start), code)]
            long_standing.append(plan)
        # The names that must exist go to long-standing members.
        for (name, gender), plan in zip(PLANTED_NAMES, long_standing, strict=False):
            plan.name, plan.gender = name, gender.value
            self.names.add(name)
            plan.birth = _born(rng, today, rng.uniform(42, 58))
            plan.moves = [
                (self.old_admission(plan.birth, plan.branch, self.window_start), plan.branch)
            ]
        for surname, plan in zip(
            PLANTED_SURNAMES, long_standing[len(PLANTED_NAMES) :], strict=False
        ):
            plan.surname = surname

        # Members of the new branch came from its source branch when it was founded.
        for plan in recent + long_standing:
            admitted, code = plan.moves[0]
            if code == NEW_BRANCH and admitted < self.new_branch_on:
                if admitted < self.established(NEW_BRANCH_SOURCE) + timedelta(days=30):
                    admitted = self.old_admission(plan.birth, NEW_BRANCH_SOURCE, self.window_start)
                moved = self.new_branch_on + timedelta(days=rng.randint(0, 40))
                plan.moves = [(admitted, NEW_BRANCH_SOURCE), (min(moved, today), NEW_BRANCH)]

        # Transfers between branches of one family within the five years.
        movable = [
            p
            for p in long_standing
            if len(p.moves) == 1 and p.branch != NEW_BRANCH and self.siblings(p.branch)
        ]
        for plan in rng.sample(movable, min(len(movable), self.n(12, 18))):
            first = rng.choice(self.siblings(plan.branch))
            admitted = self.old_admission(plan.birth, first, self.window_start)
            moved = _day(rng, self.window_start + timedelta(days=20), today - timedelta(days=15))
            plan.moves = [(admitted, first), (moved, plan.branch)]

        # The dissolved branch: its members moved to the economy branches before it closed.
        for _ in range(movers):
            birth = _born(rng, today, rng.uniform(52, 79))
            target = _weighted(rng, DISSOLVED_BRANCH_TARGETS)
            moved = self.dissolve_on - timedelta(days=rng.randint(10, 150))
            plan = _Plan(DISSOLVED_BRANCH, self.gender(), birth, [], as_of=today)
            plan.moves = [
                (self.old_admission(birth, DISSOLVED_BRANCH, self.window_start), DISSOLVED_BRANCH),
                (moved, target),
            ]
            long_standing.append(plan)

        self.plans = long_standing + recent
        self.plan_exits()
        rng.shuffle(self.plans)

    def plan_exits(self) -> None:
        rng = self.rng
        today = self.today
        pickable = [
            (code, ORG_BY_CODE[code].weight) for code in CURRENT_BRANCHES if code != NEW_BRANCH
        ]
        # (reason, count, (youngest, oldest) at the end, share admitted in the five years)
        exits = (
            (SpellReason.DIED.value, self.n(12, 16), (70, 93), 0.0),
            (SpellReason.TRANSFERRED_OUT.value, self.n(8, 12), (33, 60), 0.3),
            (SpellReason.WITHDREW.value, self.n(3, 5), (35, 72), 0.4),
            (SpellReason.REMOVED.value, self.n(2), (40, 65), 0.0),
            (SpellReason.EXPELLED.value, 1, (45, 60), 0.0),
        )
        for reason, count, (youngest, oldest), recent_share in exits:
            for _ in range(count):
                code = _weighted(rng, pickable)
                on = _day(rng, self.window_start + timedelta(days=30), today - timedelta(days=5))
                age = rng.triangular(youngest, oldest, (youngest + oldest) / 2)
                birth = _born(rng, on, age)
                if rng.random() < recent_share and on > self.window_start + timedelta(days=260):
                    admitted = _day(rng, self.window_start, on - timedelta(days=200))
                else:
                    admitted = self.old_admission(birth, code, self.window_start)
                self.plans.append(
                    _Plan(code, self.gender(), birth, [(admitted, code)], (on, reason), as_of=on)
                )
        # One old member of the dissolved branch died before it closed.
        on = _day(
            rng, self.window_start + timedelta(days=60), self.dissolve_on - timedelta(days=200)
        )
        birth = _born(rng, on, rng.uniform(76, 90))
        admitted = self.old_admission(birth, DISSOLVED_BRANCH, self.window_start)
        self.plans.append(
            _Plan(
                DISSOLVED_BRANCH,
                Gender.MALE.value,
                birth,
                [(admitted, DISSOLVED_BRANCH)],
                (on, SpellReason.DIED.value),
                as_of=on,
            )
        )

    # --- attributes ----------------------------------------------------------------------

    def name_for(self, gender: str, surname: str = "") -> str:
        rng = self.rng
        own = _FEMALE_CHARS if gender == Gender.FEMALE.value else _MALE_CHARS
        for _ in range(200):
            family = surname or _weighted(rng, SURNAMES)
            if rng.random() < 0.3:
                given = rng.choice(own)
            else:
                given = rng.choice(own + _SHARED_CHARS) + rng.choice(own)
            name = family + given
            if name not in self.names and name_pinyin(name)[1] != "zm":
                self.names.add(name)
                return name
        raise RuntimeError("could not find a new name")

    def id_number_for(self, birth: date, gender: str) -> str:
        rng = self.rng
        for _ in range(200):
            area = _weighted(rng, _AREA_CODES)
            sequence = rng.randrange(0, 999)
            if (sequence % 2 == 1) != (gender == Gender.MALE.value):
                sequence += 1
            number = make_id_number(area, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number
        raise RuntimeError("could not find a new ID number")

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def describe(self, plan: _Plan) -> None:
        """Fill ``plan.person`` from the plan's branch profile, as of ``plan.as_of``."""
        rng = self.rng
        spec = ORG_BY_CODE[plan.profile]
        template = TEMPLATES[_weighted(rng, spec.templates)]
        district = spec.district or rng.choice(("江南区", "江北区"))
        unit = _weighted(rng, ((u, u.weight) for u in template.units))
        unit_name = unit.name.format(d=district)
        age = age_on(plan.birth, plan.as_of)
        female = plan.gender == Gender.FEMALE.value

        retire_at = 56 if female and template.nature in (_SOE, _PRIVATE) else 60
        retired = age >= retire_at + 1 and rng.random() < 0.93 or age >= 70

        education = _weighted(rng, template.education)
        if education == "11" and age >= 68 and rng.random() < 0.5:
            education = "21"
        degree = {"11": "2", "14": "3", "21": "4"}.get(education, "")
        if education == "21" and age >= 62 and rng.random() < 0.3:
            degree = ""
        school = rng.choice(template.schools or _SCHOOLS)
        major = rng.choice(template.majors)

        title, level = "", ""
        ladder = LADDERS[unit.ladder]
        if ladder and rng.random() < template.title_rate:
            weights = next(w for limit, w in _LEVEL_WEIGHTS if age <= limit)
            wanted = _weighted(rng, weights.items())
            level = min(ladder, key=lambda lv: (abs(int(lv) - int(wanted)), lv))
            title = rng.choice(ladder[level])
            level = TITLES[title][1]

        job_post, rank = "", ""
        if not retired:
            posts = [
                (p, p[2])
                for p in template.posts
                if p[3] in unit_name
                and not (age < 38 and (p[0] in _SENIOR_POSTS or p[1]))
                and not (age < 30 and p[0] == "合伙人")
            ]
            if posts:
                job_post, rank, _, _ = _weighted(rng, posts)
        plan.rank = rank

        ethnicity = "01" if rng.random() < 0.93 else _weighted(rng, _MINORITIES)
        plan.name = plan.name or self.name_for(plan.gender, plan.surname)
        pinyin = name_pinyin(plan.name)[0]
        email = ""
        if rng.random() < 0.45:
            if template.email_domain and not retired and rng.random() < 0.6:
                email = f"{pinyin}@{template.email_domain}"
            elif rng.random() < 0.4:
                email = f"{rng.randint(10**7, 3 * 10**9)}@qq.com"
            else:
                email = f"{pinyin}{plan.birth.year % 100:02d}@{_weighted(rng, _MAIL_DOMAINS)}"
        phone = self.phone() if rng.random() < 0.93 else ""

        plan.person = Person(
            name=plan.name,
            id_number=self.id_number_for(plan.birth, plan.gender),
            gender=plan.gender,
            birth_date=plan.birth,
            ethnicity=ethnicity,
            native_place=_weighted(rng, _NATIVE_PLACES),
            education=education,
            degree=degree,
            school_major=f"{school}{major}专业",
            title=title,
            title_level=level,
            work_unit=unit_name,
            unit_nature=unit.nature or template.nature,
            job_post=job_post,
            sector=unit.sector or template.sector,
            is_retired=retired,
            is_cross_member=rng.random() < 0.03,
            phone=phone,
            email=email,
        )

    # --- posts ---------------------------------------------------------------------------

    def score(self, plan: _Plan) -> float:
        person = plan.person
        age = age_on(plan.birth, self.today)
        value = {"1": 3, "2": 2, "3": 1}.get(person.title_level, 0)
        value += 2 if not person.is_retired else -3
        value += 1 if 45 <= age <= 62 else 0
        return value + self.rng.random() * 2

    def pick(self, candidates: list[_Plan], count: int, used: set[int]) -> list[_Plan]:
        ranked = sorted(
            ((self.score(p), i, p) for i, p in enumerate(candidates) if id(p) not in used),
            key=lambda t: (-t[0], t[1]),
        )
        chosen = [p for _, _, p in ranked[:count]]
        used.update(id(p) for p in chosen)
        return chosen

    def party_post(self, plan: _Plan, title: str, org: str, term: str, start, end=None) -> None:
        plan.posts.append(
            Post(
                kind=PostKind.PARTY,
                title=title,
                org=self.orgs[org],
                term=term,
                start=start,
                end=end,
            )
        )

    def plan_party_posts(self) -> None:
        rng = self.rng
        today = self.today
        current = [p for p in self.plans if p.current]
        t14 = self.terms.party
        t13 = years_before(t14, 5)
        used: set[int] = set()

        def serving(plans, on, *, active=True, ages=(40, 64)):
            return [
                p
                for p in plans
                if p.since <= on
                and ages[0] <= age_on(p.birth, today) <= ages[1]
                and (not active or not p.person.is_retired)
            ]

        # The city committee: 主委, 副主委, 秘书长 of the 14th term; the former 主委 retired.
        chair = self.pick(serving(current, t14, ages=(52, 62)), 1, used)
        vices = self.pick(serving(current, t14, ages=(45, 63)), 4, used)
        secretary = self.pick(serving(current, t14, ages=(40, 56)), 1, used)
        self.chair, self.vices = chair, vices
        for plan in chair:
            self.party_post(plan, "主委", ROOT_CODE, "第十四届", t14)
            self.party_post(plan, "副主委", ROOT_CODE, "第十三届", t13, t14)
        for plan in vices:
            self.party_post(plan, "副主委", ROOT_CODE, "第十四届", t14)
        for plan in secretary:
            self.party_post(plan, "秘书长", ROOT_CODE, "第十四届", t14)
        former = self.pick(serving(current, t13, active=False, ages=(66, 85)), 2, used)
        for plan, title in zip(former, ("主委", "副主委"), strict=False):
            self.party_post(plan, title, ROOT_CODE, "第十三届", t13, t14)

        # The top of the committee holds leading posts in the city.
        for plan, (unit, job) in zip(
            chair + vices[:1],
            (("江城市人大常委会", "副主任"), ("江城市人民政府", "副市长")),
            strict=False,
        ):
            plan.person.work_unit, plan.person.job_post = unit, job
            plan.person.unit_nature = _GOV
            plan.rank = AdminRank.BUREAU_DEPUTY.value

        # Grassroots committees and branches.
        for spec in ORGS:
            if spec.kind == _C or spec.code == DISSOLVED_BRANCH:
                continue
            if spec.kind == _G:
                members = [p for p in current if ORG_BY_CODE[p.branch].parent == spec.code]
                titles = (("主委", 1), ("副主委", 1), ("委员", 1))
            else:
                members = [p for p in current if p.branch == spec.code]
                titles = (
                    ("支部主委", 1),
                    ("副主委", rng.randint(1, 2)),
                    ("支委", rng.randint(2, 3)),
                )
            if spec.code == NEW_BRANCH:
                start, term = self.new_branch_on + timedelta(days=45), "第一届"
            else:
                start, term = min(t14 + timedelta(days=rng.randint(20, 75)), today), "第十四届"
            for title, count in titles:
                chosen = self.pick(serving(members, start, ages=(33, 66)), count, used)
                if len(chosen) < count:  # a small or older branch: retired members serve too
                    more = serving(members, start, active=False, ages=(33, 75))
                    chosen += self.pick(more, count - len(chosen), used)
                for plan in chosen:
                    self.party_post(plan, title, spec.code, term, start)
            if spec.kind == _B and spec.code != NEW_BRANCH and rng.random() < 0.6:
                before = t13 + timedelta(days=rng.randint(20, 75))
                for plan in self.pick(
                    serving(members, before, active=False, ages=(55, 90)), 1, used
                ):
                    self.party_post(plan, "支部主委", spec.code, "第十三届", before, start)

        # The last chair of the dissolved branch, until he or she moved.
        movers = [p for p in self.plans if p.moves[0][1] == DISSOLVED_BRANCH and len(p.moves) > 1]
        if movers:
            plan = movers[0]
            start = max(t13 + timedelta(days=40), plan.moves[0][0] + timedelta(days=30))
            self.party_post(plan, "支部主委", DISSOLVED_BRANCH, "第十三届", start, plan.moves[1][0])

    def plan_government_posts(self) -> None:
        rng = self.rng
        lower = {
            AdminRank.BUREAU_DEPUTY.value: ("局长", AdminRank.DIVISION_PRINCIPAL.value),
            AdminRank.DIVISION_PRINCIPAL.value: ("副局长", AdminRank.DIVISION_DEPUTY.value),
            AdminRank.DIVISION_DEPUTY.value: ("科长", AdminRank.SECTION_PRINCIPAL.value),
            AdminRank.SECTION_PRINCIPAL.value: ("副科长", AdminRank.SECTION_DEPUTY.value),
        }
        for plan in self.plans:
            if not plan.current or not plan.rank or plan.person.is_retired:
                continue
            person = plan.person
            if plan.rank == AdminRank.BUREAU_DEPUTY.value:
                start = self.terms.city
            else:
                start = self.today - timedelta(days=rng.randint(120, 8 * 365))
            plan.posts.append(
                Post(
                    kind=PostKind.GOVERNMENT,
                    title=person.job_post,
                    unit=person.work_unit,
                    rank=plan.rank,
                    start=start,
                )
            )
            if plan.rank in lower and rng.random() < 0.5:
                title, rank = lower[plan.rank]
                before = years_before(start, rng.randint(3, 6))
                unit = person.work_unit
                if plan.rank == AdminRank.BUREAU_DEPUTY.value:
                    unit = "江城市教育局"
                plan.posts.append(
                    Post(
                        kind=PostKind.GOVERNMENT,
                        title=title,
                        unit=unit,
                        rank=rank,
                        start=before,
                        end=start,
                    )
                )

    def plan_political_posts(self) -> None:
        rng = self.rng
        terms = self.terms
        city_prev = years_before(terms.city, 5)
        county_prev = years_before(terms.county, 5)
        current = [p for p in self.plans if p.current]
        holders: set[int] = set()

        def district(plan: _Plan) -> str:
            return (
                ORG_BY_CODE[plan.branch].district or ORG_BY_CODE[plan.profile].district or "江南区"
            )

        def seat(plan, body, level, *, previous=False):
            if level == PoliticalLevel.CITY:
                where, start, term = "江城市", terms.city, "第十五届"
                prev_start, prev_term = city_prev, "第十四届"
                unit = "政协江城市委员会" if body.startswith("cppcc") else "江城市人民代表大会"
            elif level == PoliticalLevel.PROVINCIAL:
                where, start, term = "湖北省", terms.province, "第十三届"
                prev_start, prev_term = years_before(terms.province, 5), "第十二届"
                unit = "政协湖北省委员会"
            else:
                d = district(plan)
                where, start, term = d, terms.county, "第十届"
                prev_start, prev_term = county_prev, "第九届"
                unit = (
                    f"政协江城市{d}委员会" if body.startswith("cppcc") else f"江城市{d}人民代表大会"
                )
            title = where + PoliticalBody(body).label
            if not previous:
                plan.posts.append(
                    Post(
                        kind=PostKind.POLITICAL,
                        title=title,
                        unit=unit,
                        body=body,
                        level=level,
                        term=term,
                        start=start,
                    )
                )
            if previous or rng.random() < 0.4:
                earlier = PoliticalBody.CPPCC_MEMBER.value if body.startswith("cppcc") else body
                plan.posts.append(
                    Post(
                        kind=PostKind.POLITICAL,
                        title=where + PoliticalBody(earlier).label,
                        unit=unit,
                        body=earlier,
                        level=level,
                        term=prev_term,
                        start=prev_start,
                        end=start,
                    )
                )
            holders.add(id(plan))

        for plan in self.chair:
            seat(plan, PoliticalBody.NPC_STANDING.value, PoliticalLevel.CITY)
        # The first 副主委 is a vice mayor (a government post); the others sit in the CPPCC.
        for plan, (body, level) in zip(
            self.vices[1:],
            (
                (PoliticalBody.CPPCC_STANDING.value, PoliticalLevel.CITY),
                (PoliticalBody.CPPCC_STANDING.value, PoliticalLevel.CITY),
                (PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.PROVINCIAL),
            ),
            strict=False,
        ):
            seat(plan, body, level)

        def candidates(plans):
            return [
                p
                for p in plans
                if id(p) not in holders
                and not p.person.is_retired
                and 38 <= age_on(p.birth, self.today) <= 64
                and (p.person.title_level in ("1", "2") or p.person.job_post or p.rank)
            ]

        def choose(plans, count):
            pool = candidates(plans)
            return rng.sample(pool, min(count, len(pool)))

        county = [p for p in current if ORG_BY_CODE[p.branch].district]
        for plan in choose(county, self.n(7, 9)):
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.COUNTY)
        for plan in choose(county, self.n(2, 4)):
            seat(plan, PoliticalBody.NPC_DEPUTY.value, PoliticalLevel.COUNTY)
        for plan in choose(current, self.n(14, 18)):
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.CITY)
        for plan in choose(current, self.n(3, 4)):
            seat(plan, PoliticalBody.NPC_DEPUTY.value, PoliticalLevel.CITY)
        for plan in choose(current, 1):
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.PROVINCIAL)
        # Retired members who served in the previous term.
        retired = [
            p
            for p in current
            if id(p) not in holders and p.person.is_retired and p.person.title_level in ("1", "2")
        ]
        for plan in rng.sample(retired, min(len(retired), self.n(5, 7))):
            level = (
                PoliticalLevel.COUNTY if ORG_BY_CODE[plan.branch].district else PoliticalLevel.CITY
            )
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, level, previous=True)

    # --- writing ---------------------------------------------------------------------------

    def write_people(self) -> None:
        for plan in self.plans:
            (admitted, first), *transfers = plan.moves
            person = services.person_create(
                person=plan.person,
                org=self.orgs[first],
                start=admitted,
                document_no=self.document("江盟组", admitted),
            )
            for on, code in transfers:
                services.membership_transfer(
                    person=person,
                    to_org=self.orgs[code],
                    on=on,
                    document_no=self.document("江盟组函", on),
                )
            if plan.end:
                on, reason = plan.end
                document = {
                    SpellReason.DIED.value: "",
                    SpellReason.TRANSFERRED_OUT.value: self.document("江盟组函", on),
                }.get(reason, self.document("江盟发", on))
                services.membership_end(
                    person=person,
                    on=on,
                    reason=reason,
                    document_no=document,
                    approved_by="" if reason == SpellReason.DIED.value else APPROVING_BODY,
                )
            for post in plan.posts:
                post.person = person
                # History from before the training records, which the training demo adds after
                # the roster: the rules for taking a post are not put to it.
                services.post_record(post=post, rules_checked=True)

    def run(self) -> None:
        self.build_tree()
        self.plan_members()
        for plan in self.plans:
            self.describe(plan)
        self.plan_party_posts()
        self.plan_government_posts()
        self.plan_political_posts()
        self.write_people()
        org_dissolve(org=self.orgs[DISSOLVED_BRANCH], on=self.dissolve_on)


# ---------------------------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------------------------


def demo_root() -> Organization | None:
    return Organization.objects.filter(code=ROOT_CODE).first()


@transaction.atomic
def build_demo(
    *, seed: int = DEFAULT_SEED, today: date, members: int = DEFAULT_MEMBERS
) -> DemoSummary:
    """Write the demo committee with ``members`` current members and five years of history
    ending on ``today``. Refuses to run if the demo committee exists."""
    if members < MIN_MEMBERS:
        raise ValueError(f"members must be at least {MIN_MEMBERS}, got {members}")
    if demo_root() is not None:
        raise ValueError(f"the demo committee {ROOT_CODE} already exists")
    _Builder(seed=seed, today=today, members=members).run()
    return summarize(today=today)


@transaction.atomic
def seed_all(
    *, seed: int = DEFAULT_SEED, today: date, members: int = DEFAULT_MEMBERS
) -> tuple[DemoSummary, list[str]]:
    """The whole demo as ``manage.py seed_demo`` writes it: the roster, then each domain app's
    records on top of it (tongxin.core.extensions), all dated from ``today``. Returns the
    roster's summary and the apps' summary lines."""
    from tongxin.core import extensions

    summary = build_demo(seed=seed, today=today, members=members)
    rng = random.Random(seed)
    lines: list[str] = []
    for seed_app in extensions.get("seed_demo"):
        lines += seed_app(root=demo_root(), today=today, rng=rng)
    return summary, lines


def summarize(*, today: date) -> DemoSummary:
    """Counts of the demo data as it stands on ``today``."""
    root = demo_root()
    if root is None:
        return DemoSummary()
    orgs = Organization.objects.filter(subtree_q(root.path))
    branches = orgs.filter(kind=_B)
    spells = list(
        MembershipSpell.objects.filter(subtree_q(root.path, "org__path")).order_by("start", "pk")
    )
    people_ids = {s.person_id for s in spells}
    members = selectors.members_on(scope=Scope(everything=True), org=root, on=today)
    total = members.count()
    later = {(s.person_id, s.start) for s in spells if s.start_reason == SpellReason.TRANSFERRED_IN}
    exits: Counter = Counter()
    for spell in spells:
        if spell.end_reason and (spell.person_id, spell.end) not in later:
            exits[spell.end_reason] += 1
    window_start = years_before(today, 5)
    posts = Counter(Post.objects.filter(person_id__in=people_ids).values_list("kind", flat=True))

    def percent(count: int) -> float:
        return round(count * 100 / total, 1) if total else 0.0

    return DemoSummary(
        organizations=orgs.count(),
        current_branches=branches.filter(dissolved__isnull=True).count(),
        dissolved_branches=branches.filter(dissolved__isnull=False).count(),
        people=len(people_ids),
        current_members=total,
        women_percent=percent(members.filter(gender=Gender.FEMALE).count()),
        retired_percent=percent(members.filter(is_retired=True).count()),
        minority_count=members.exclude(ethnicity="01").count(),
        admitted_recently=sum(
            1
            for s in spells
            if s.start_reason == SpellReason.ADMITTED and window_start <= s.start <= today
        ),
        transfers=len(later),
        exits=dict(sorted(exits.items())),
        posts=dict(sorted(posts.items())),
    )


@transaction.atomic
def reset_demo() -> bool:
    """Delete the demo committee's subtree with its people, spells and posts. False if absent."""
    root = demo_root()
    if root is None:
        return False
    from tongxin.core import extensions

    for reset in reversed(extensions.get("reset_demo")):  # the later apps first
        reset(root=root)
    orgs = Organization.objects.filter(subtree_q(root.path))
    people_ids = list(
        MembershipSpell.objects.filter(org__in=orgs).values_list("person_id", flat=True).distinct()
    )
    Post.objects.filter(org__in=orgs).delete()
    Person.objects.filter(pk__in=people_ids).delete()  # their spells and posts go with them
    Organization.objects.get(pk=root.pk).delete()  # treebeard deletes the whole subtree
    return True


@transaction.atomic
def ensure_demo_users(*, password: str | None) -> tuple[str, bool]:
    """Create or update the demo users of DEMO_USERS, all with ``password`` or, without one, a
    generated one.

    Returns the password and whether it was generated.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    generated = not password
    if generated:
        password = secrets.token_urlsafe(9)
    nodes = {
        "root": Organization.objects.get(code=ROOT_CODE),
        "branch": Organization.objects.get(code=DEMO_BRANCH_CODE),
    }
    reveal = Permission.objects.get(codename="reveal_personal_data")
    User = get_user_model()
    for demo_user in DEMO_USERS:
        user = User.objects.filter(username=demo_user.username).first()
        user = user or User(username=demo_user.username)
        user.name = demo_user.name
        user.is_superuser = user.is_staff = demo_user.superuser
        user.is_active = True
        user.set_password(password)
        # TONGXIN_FORCE_FIRST_PASSWORD_CHANGE=0 lets a demo keep the printed password.
        user.must_change_password = settings.TONGXIN_FORCE_FIRST_PASSWORD_CHANGE
        user.save()
        user.scope_nodes.set([nodes[demo_user.node]] if demo_user.node else [])
        grant_roles(user, demo_user.roles)
        if demo_user.reveal:
            user.user_permissions.add(reveal)
        else:
            user.user_permissions.remove(reveal)
    return password, generated
