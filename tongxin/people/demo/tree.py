"""The demo's organization tree: the city committee, its grassroots committees and branches.

The codes name the branches the history is written around: the new branch and the one it grew
from, and the dissolved branch and the branches its members moved to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tongxin.orgs.models import Organization

ROOT_CODE = "MM-JC"
ROOT_NAME = "民盟江城市委员会"
PARTY = "05"  # 民盟 — GB/T 4762
DEMO_BRANCH_CODE = "MM-JC-ZS01"  # the branch of the demo user ``zhibu``
APPROVING_BODY = "民盟江城市委员会"

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


def demo_root() -> Organization | None:
    return Organization.objects.filter(code=ROOT_CODE).first()
