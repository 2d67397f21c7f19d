"""``manage.py stats``: the object of STATS.md with exactly its keys, and Chinese errors."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_member, make_org
from tongxin.core.figures import StatsSection
from tongxin.orgs.models import OrganizationCategory, OrganizationKind

pytestmark = pytest.mark.django_db

# The keys of STATS.md, in its order; every category of the code tables.
AGE_BANDS = ["35岁及以下", "36至40岁", "41至50岁", "51至60岁", "61岁及以上"]
EDUCATION = ["研究生", "大学本科", "大学专科", "中专及以下"]
DEGREE = ["博士", "硕士", "学士"]
TITLE_LEVEL = ["正高级", "副高级", "中级", "初级", "无"]
RANK_GROUP = ["省部级", "厅局级", "县处级", "乡科级"]
SECTOR = [
    "教育",
    "文化艺术",
    "新闻出版",
    "科学技术",
    "医药卫生",
    "经济",
    "法律",
    "社会福利",
    "其他",
]
BODIES = ["人大代表", "人大常委", "政协委员", "政协常委"]


def run(*args) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_exactly_the_documented_keys_with_zeros(world):
    OrganizationCategory.objects.create(name="县区支部")
    make_member(world.branch_a, name="张敏", gender="2", start=date(2024, 3, 1))
    data = json.loads(run("--org", "C1", "--as-of", "2024-12-31", "--json"))
    core = ["org", "as_of", "period_start", "organizations", "members", "flows", "new_members"]
    assert list(data)[: len(core) + 1] == [*core, "political_arrangements"]
    assert (data["org"], data["as_of"], data["period_start"]) == ("C1", "2024-12-31", "2024-01-01")
    orgs = data["organizations"]
    assert list(orgs) == ["total", "by_kind", "by_category"]
    assert orgs["total"] == 4
    assert orgs["by_kind"] == {
        "委员会": 0, "基层委员会": 0, "总支": 1, "支部": 3, "小组": 0,
        "部门": 0, "街道党工委": 0, "社区党总支": 0, "行业党委": 0, "部委办局": 0, "单位": 0,
    }  # fmt: skip
    assert orgs["by_category"] == {"县区支部": 0}
    members = data["members"]
    assert list(members) == [
        "total", "women", "minorities", "average_age", "age_bands", "education", "degree",
        "title_level", "rank_group", "rank", "sector", "retired", "cross_members",
        "upper_middle",
    ]  # fmt: skip
    assert (members["total"], members["women"], members["minorities"]) == (1, 1, 0)
    assert members["average_age"] == 49.0 and isinstance(members["average_age"], float)
    assert list(members["age_bands"]) == AGE_BANDS
    assert list(members["education"]) == EDUCATION
    assert list(members["degree"]) == DEGREE
    assert list(members["title_level"]) == TITLE_LEVEL
    assert members["title_level"]["无"] == 1
    assert list(members["rank_group"]) == RANK_GROUP
    assert list(members["rank"]) == [
        "省部级正职", "省部级副职", "厅局级正职", "厅局级副职",
        "县处级正职", "县处级副职", "乡科级正职", "乡科级副职",
    ]  # fmt: skip
    assert list(members["sector"]) == SECTOR
    assert data["flows"] == {
        "admitted": 1, "transferred_in": 0, "transferred_out": 0, "withdrew": 0,
        "removed": 0, "expelled": 0, "died": 0,
    }  # fmt: skip
    new = data["new_members"]
    assert list(new) == ["total", "average_age", "degree", "title_level"]
    assert new["total"] == 1 and new["average_age"] == 48.0
    assert list(new["degree"]) == DEGREE and list(new["title_level"]) == TITLE_LEVEL
    arrangements = data["political_arrangements"]
    assert list(arrangements) == ["全国", "省级", "市级", "县级"]
    assert all(list(level) == BODIES for level in arrangements.values())
    plain = [v for k, v in members.items() if k != "average_age" and not isinstance(v, dict)]
    assert all(type(v) is int for v in plain)


def test_the_period_start_is_taken_from_the_option(world):
    make_member(world.branch_a, name="张敏", start=date(2024, 3, 1))
    data = json.loads(
        run("--org", "C1", "--as-of", "2024-12-31", "--period-start", "2024-07-01", "--json")
    )
    assert data["period_start"] == "2024-07-01"
    assert data["flows"]["admitted"] == 0 and data["members"]["total"] == 1


def test_sections_of_other_apps_appear_under_their_own_keys(world):
    from tongxin.core import extensions
    from tongxin.core.figures import Figure

    section = StatsSection(
        key="zz_plans",
        label="发展计划",
        compute=lambda *, scope, org, as_of, period_start: {"targets": Figure(7)},
    )
    with extensions.register_temporarily("stats_sections", section, order=1000):
        data = json.loads(run("--org", "C1", "--as-of", "2024-12-31", "--json"))
        assert list(data)[-1] == "zz_plans" and data["zz_plans"] == {"targets": 7}
        assert "【发展计划】" in run("--org", "C1", "--as-of", "2024-12-31")


def test_without_json_it_prints_readable_tables(world):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2024, 3, 1))
    text = run("--org", "C1", "--as-of", "2024-12-31")
    assert "民盟江城市委员会（C1）" in text
    assert "统计截止日期 2024-12-31，变动期间 2024-01-01 至 2024-12-31；上年同期 2023-12-31" in text
    assert "【成员及结构（基本情况、年龄结构）】" in text
    lines = {}
    for line in text.splitlines():
        if line.strip():
            lines.setdefault(line.split()[0], line.split()[1:])  # the first table's heading
    assert lines["项目"] == ["2024-12-31", "上年同期", "增减", "占比（%）"]
    assert lines["成员总数"] == ["1", "0", "+1"]
    assert lines["女性"] == ["1", "0", "+1", "100.0"]
    assert lines["入会"] == ["1", "0", "+1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "NOPE", "--as-of", "2024-12-31"], "找不到组织编码「NOPE」"),
        (["--org", "C1", "--as-of", "2024-13-01"], "--as-of 的日期「2024-13-01」无效"),
        (["--org", "C1", "--as-of", "2024/12/31"], "请写成 YYYY-MM-DD"),
        (
            ["--org", "C1", "--as-of", "2024-06-30", "--period-start", "2024-07-01"],
            "--period-start（2024-07-01）不能晚于 --as-of（2024-06-30）",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese(world, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)


def test_a_kind_the_administrator_adds_is_counted_from_zero(world):
    OrganizationKind.objects.create(code="area_committee", name="片区党委", order=200)

    def by_kind():
        data = json.loads(run("--org", "C1", "--as-of", "2024-12-31", "--json"))
        return data["organizations"]["by_kind"]

    assert list(by_kind())[-1] == "片区党委" and by_kind()["片区党委"] == 0
    make_org(world.city, code="C1-P", name="东片区党委", kind="area_committee")
    assert by_kind()["片区党委"] == 1
