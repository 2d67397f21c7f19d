"""The example rubric of CODES.md (民革, one province) as the default configuration.

Each entry is (category, title, guidance, calculator, params, max points).
"""

from __future__ import annotations

from decimal import Decimal

DEFAULT_NAME = "先进支部考评细则"

_ACTIVITY_KINDS = [
    "study",
    "inspection",
    "fellowship",
    "forum",
    "theme",
    "general_meeting",
    "other",
]

DEFAULT_ITEMS: tuple[tuple[str, str, str, str, dict, int | None], ...] = (
    (
        "组织建设", "年度工作计划和总结",
        "有年度工作计划得5分，有年度工作总结得5分，以报送的文件为据",
        "", {}, 10,
    ),
    (
        "组织建设", "组织活动",
        "每开展一次支部活动（学习、考察、联谊、座谈、主题活动、支部大会等）得5分；"
        "全年少于3次不得分",
        "activities", {"per": 5, "minimum": 3, "kinds": _ACTIVITY_KINDS}, 30,
    ),
    (
        "组织建设", "支委会",
        "每召开一次支委会得2分；全年少于4次（每季度至少1次）不得分",
        "activities", {"per": 2, "minimum": 4, "kinds": ["committee_meeting"]}, 10,
    ),
    (
        "组织建设", "发展新成员",
        "每发展1名得4分；具有高级职称、博士学位或副处级以上职务的另加2分",
        "new_members", {"per": 4, "bonus": 2}, 20,
    ),
    (
        "组织建设", "成员信息及时更新",
        "年末在册成员中本年度资料有更新记录的达到80%得3分，不足按比例计分",
        "data_updates", {"points": 3, "min_share": 80}, 3,
    ),
    (
        "参政议政", "参政议政成果",
        "提案、社情民意信息、大会发言、调研课题、理论文章等按奖励办法计分"
        "（提交及逐级采用、批示累加）",
        "contribution_points", {}, 60,
    ),
    (
        "社会服务", "社会服务活动",
        "每开展一次社会服务活动得5分",
        "activities", {"per": 5, "minimum": 0, "kinds": ["social_service"]}, 20,
    ),
    (
        "表彰", "成员获地厅级以上表彰",
        "成员获市级（地厅级）及以上表彰，每项得5分",
        "honours", {"per": 5, "levels": ["national", "provincial", "city"]}, 20,
    ),
)  # fmt: skip


def default_items():
    """The default items, with their max points as Decimal."""
    for category, title, guidance, calculator, params, cap in DEFAULT_ITEMS:
        yield {
            "category": category,
            "title": title,
            "guidance": guidance,
            "calculator": calculator,
            "params": dict(params),
            "max_points": None if cap is None else Decimal(cap),
        }
