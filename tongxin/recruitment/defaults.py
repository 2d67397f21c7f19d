"""The general admission procedure a new installation starts with (CODES.md: the usual steps).

It is written as rows (steps and rules) when no procedure exists, so that an administrator
edits it, or copies it for a party or a committee, in the back office like any other.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import Procedure, Rule, RuleKind, SeniorityFrom, Step, StepKind

DEFAULT_NAME = "通用入会程序"

# (order, name, kind, with_vote, help text). The same order: either may come first.
DEFAULT_STEPS = (
    (1, "申请", StepKind.RECORD, False, "本人提交书面申请和个人简历"),
    (2, "联系培养、谈话", StepKind.RECORD, False, "确定联系人，开展培养和谈话"),
    (3, "考察", StepKind.RECORD, False, "了解思想、工作和社会表现"),
    (3, "征求所在单位党组织意见", StepKind.RECORD, False, "书面征求所在单位中共党组织意见"),
    (4, "介绍人", StepKind.INTRODUCERS, False, "两名成员作介绍人并签署意见"),
    (5, "填写申请表", StepKind.RECORD, False, "本人填写入会申请表"),
    (6, "支部讨论", StepKind.BRANCH_APPROVAL, True, "支部大会或支委会讨论表决"),
    (7, "市委会审批", StepKind.COMMITTEE_APPROVAL, True, "设区的市级组织审批"),
    (8, "备案", StepKind.RECORD, False, "报上级组织逐级备案"),
    (9, "入会", StepKind.ADMISSION, False, "书面通知本人及所在单位，举行入会仪式"),
)

# (name, kind, step, since step, number, values, blocking)
DEFAULT_RULES = (
    ("年龄一般不超过55周岁", RuleKind.MAX_AGE, "申请", None, 55, "", False),
    ("一般应具有中级及以上职称", RuleKind.MIN_TITLE_LEVEL, "申请", None, None, "3", False),
    ("一般应具有大学本科及以上学历", RuleKind.MIN_EDUCATION, "申请", None, None, "大学本科", False),
    (
        "现役军人、宗教教职人员不予发展",
        RuleKind.EXCLUDED_OCCUPATION,
        "申请",
        None,
        None,
        "部队、武警、宗教",
        True,
    ),
    (
        "重点在教育、科技、医卫、文化界别发展",
        RuleKind.SECTOR_PRIORITY,
        "申请",
        None,
        None,
        "education、science、health、culture",
        False,
    ),
    ("申请后12个月内完成考察", RuleKind.DEADLINE, "考察", "申请", 12, "", False),
    ("介绍人须为2名", RuleKind.INTRODUCER_COUNT, "介绍人", None, 2, "", True),
    (
        "介绍人须连续在册满2年且正常参加组织生活",
        RuleKind.INTRODUCER_SENIORITY,
        "介绍人",
        None,
        2,
        "",
        True,
    ),
    ("培养考察期不少于6个月", RuleKind.INTERVAL, "支部讨论", "联系培养、谈话", 6, "", True),
    ("支部讨论须超过应到人数的半数到会", RuleKind.QUORUM, "支部讨论", None, 50, "", True),
    ("赞成票须超过到会人数的半数", RuleKind.VOTES_OF_PRESENT, "支部讨论", None, 50, "", True),
    ("市委会审批须超过应到人数的半数到会", RuleKind.QUORUM, "市委会审批", None, 50, "", True),
    (
        "市委会赞成票须超过到会人数的半数",
        RuleKind.VOTES_OF_PRESENT,
        "市委会审批",
        None,
        50,
        "",
        True,
    ),
    ("审批后1个月内备案", RuleKind.DEADLINE, "备案", "市委会审批", 1, "", False),
)


@transaction.atomic
def create_default_procedure(*, name: str = DEFAULT_NAME, party: str = "", org=None) -> Procedure:
    procedure = Procedure.objects.create(
        name=name,
        party=party,
        org=org,
        seniority_from=SeniorityFrom.COMMITTEE,
        note="依据通常做法设置的程序和规则，可在后台按党派或组织修改。",
    )
    steps = {}
    for order, step_name, kind, with_vote, help_text in DEFAULT_STEPS:
        steps[step_name] = Step.objects.create(
            procedure=procedure,
            order=order,
            name=step_name,
            kind=kind,
            with_vote=with_vote,
            help_text=help_text,
        )
    for rule_name, kind, step, since, number, values, blocking in DEFAULT_RULES:
        rule = Rule(
            procedure=procedure,
            name=rule_name,
            kind=kind,
            step=steps[step],
            since_step=steps[since] if since else None,
            number=Decimal(number) if number is not None else None,
            values=values,
            blocking=blocking,
        )
        rule.full_clean()
        rule.save()
    return procedure


def ensure_default_procedure(sender=None, using="default", **kwargs) -> None:
    """After migrate (and after a test database is flushed): the general procedure, unless an
    administrator has set up any procedure."""
    if not Procedure.objects.using(using).exists():
        create_default_procedure()
