"""The demo's work: title ladders, and the kinds of work (templates) a branch's members do."""

from __future__ import annotations

from dataclasses import dataclass

from tongxin.core.codes import AdminRank, Sector, UnitNature

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
