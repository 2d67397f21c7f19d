"""The core sections of the statistics, registered like every app's (tongxin.core.extensions)."""

from tongxin.core import codes, extensions
from tongxin.core.figures import StatsSection
from tongxin.people.population import FLOW_REASONS

from . import selectors

# The core sections of STATS.md, in its order and before every section other apps add.
extensions.register(
    "stats_sections",
    StatsSection(
        key="organizations",
        label="组织",
        compute=selectors.organizations,
        labels={"total": "组织总数", "by_kind": "按组织类型", "by_category": "按组织类别"},
    ),
    order=1,
)
extensions.register(
    "stats_sections",
    StatsSection(
        key="members",
        label="成员及结构",
        compute=selectors.members,
        labels={
            "total": "成员总数",
            "women": "女性",
            "minorities": "少数民族",
            "average_age": "平均年龄",
            "age_bands": "年龄结构",
            "education": "学历",
            "degree": "学位",
            "title_level": "职称",
            "rank_group": "实职级别",
            "rank": "实职正副职",
            "sector": "界别",
            "retired": "离退休",
            "cross_members": "交叉党员",
            "upper_middle": "中上层人士",
        },
    ),
    order=2,
)
extensions.register(
    "stats_sections",
    StatsSection(
        key="flows",
        label="成员变动",
        compute=selectors.flows,
        # A flow is named as its spell reason is in the code table.
        labels={reason: codes.SpellReason(reason).label for reason in FLOW_REASONS},
    ),
    order=3,
)
extensions.register(
    "stats_sections",
    StatsSection(
        key="new_members",
        label="新成员",
        compute=selectors.new_members,
        labels={
            "total": "新成员总数",
            "average_age": "入会时平均年龄",
            "degree": "学位",
            "title_level": "职称",
        },
    ),
    order=4,
)
extensions.register(
    "stats_sections",
    StatsSection(
        key="political_arrangements",
        label="政治安排",
        compute=selectors.political_arrangements,
    ),
    order=5,
)

# The yearly work report's sentence templates are rules the system administrator edits.
extensions.register("audited_models", ["stats.ReportSentence"], order=95)
