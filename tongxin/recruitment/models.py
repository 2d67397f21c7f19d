"""组织发展: the admission procedure as data, applications and their steps, development plans.

A ``Procedure`` (per party, or per committee for its subtree) lists its ``Step`` rows and its
``Rule`` rows; an ``Application`` follows the procedure it started with, one ``StepRecord`` per
step done. A step that breaks a blocking rule is refused (``Refusal``, kept on the record); one
that breaks a warning rule is recorded with the written reason (``RuleWarning``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core import filecheck
from tongxin.core.codes import EDUCATION_GROUPS, PoliticalStatus, Sector, TitleLevel
from tongxin.core.dated import DatedQuerySet


class SeniorityFrom(models.TextChoices):
    """Which approval starts a new member's seniority (CODES.md: it differs between parties)."""

    BRANCH = "branch", "支部大会通过之日"
    COMMITTEE = "committee", "市级组织批准之日"


class Procedure(models.Model):
    """The admission procedure of a party (``org`` empty) or of one committee and its subtree.

    The procedure that applies to a branch is the one of its nearest ancestor that has its own,
    else its party's, else the general one (party empty); among those, the latest in force.
    """

    name = models.CharField("程序名称", max_length=100)
    party = models.CharField(
        "适用党派",
        max_length=2,
        choices=PoliticalStatus.choices,
        blank=True,
        help_text="GB/T 4762；为空表示通用",
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="适用组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="为空时适用于该党派的全部组织；选定时只适用于该组织及其下级",
    )
    valid_from = models.DateField(
        "启用日期", null=True, blank=True, help_text="此日期及以后提出的申请按本程序办理"
    )
    seniority_from = models.CharField(
        "会龄起算", max_length=20, choices=SeniorityFrom.choices, default=SeniorityFrom.COMMITTEE
    )
    membership_no_prefix = models.CharField(
        "成员编号前缀",
        max_length=20,
        blank=True,
        help_text="新成员编号为 前缀 + 入会年份 + 四位序号，如 JC20260001",
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "入会程序"
        verbose_name_plural = "入会程序与规则"
        ordering = ["party", "name", "pk"]

    def __str__(self):
        return self.name


class StepKind(models.TextChoices):
    RECORD = "record", "一般步骤"
    INTRODUCERS = "introducers", "介绍人"
    BRANCH_APPROVAL = "branch_approval", "支部讨论"
    COMMITTEE_APPROVAL = "committee_approval", "上级审批"
    ADMISSION = "admission", "入会"


class Step(models.Model):
    """One step of a procedure. Steps with the same order may be done in either order; a step
    can be recorded once every required step of a lower order is done."""

    procedure = models.ForeignKey(
        Procedure, verbose_name="程序", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤名称", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=StepKind.choices, default="record")
    required = models.BooleanField("必经步骤", default=True)
    with_vote = models.BooleanField(
        "会议表决", default=False, help_text="记录应到、实到人数和赞成、反对、弃权票数"
    )
    help_text = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "步骤"
        verbose_name_plural = "步骤"
        ordering = ["procedure", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "name"],
                name="step_unique_name",
                violation_error_message="同一程序中步骤名称不能重复",
            )
        ]

    def __str__(self):
        return self.name


class RuleKind(models.TextChoices):
    INTERVAL = "interval", "最短间隔（月）"
    DEADLINE = "deadline", "办理时限（月）"
    INTRODUCER_COUNT = "introducer_count", "介绍人人数"
    INTRODUCER_SENIORITY = "introducer_seniority", "介绍人会龄（年）"
    QUORUM = "quorum", "到会人数占应到人数（%）"
    VOTES_OF_PRESENT = "votes_of_present", "赞成票占到会人数（%）"
    VOTES_OF_EXPECTED = "votes_of_expected", "赞成票占应到人数（%）"
    MAX_AGE = "max_age", "年龄上限（周岁）"
    MIN_TITLE_LEVEL = "min_title_level", "最低职称级别"
    MIN_EDUCATION = "min_education", "最低学历"
    EXCLUDED_OCCUPATION = "excluded_occupation", "不予发展的职业（关键词）"
    SECTOR_PRIORITY = "sector_priority", "重点界别"


# What each kind reads: the number, the earlier step, the list of codes or words.
RULE_PARAMETERS = {
    RuleKind.INTERVAL: ("number", "since_step"),
    RuleKind.DEADLINE: ("number", "since_step"),
    RuleKind.INTRODUCER_COUNT: ("number",),
    RuleKind.INTRODUCER_SENIORITY: ("number",),
    RuleKind.QUORUM: ("number",),
    RuleKind.VOTES_OF_PRESENT: ("number",),
    RuleKind.VOTES_OF_EXPECTED: ("number",),
    RuleKind.MAX_AGE: ("number",),
    RuleKind.MIN_TITLE_LEVEL: ("values",),
    RuleKind.MIN_EDUCATION: ("values",),
    RuleKind.EXCLUDED_OCCUPATION: ("values",),
    RuleKind.SECTOR_PRIORITY: ("values",),
}
# Kinds about the meeting of a step with a vote, and about the introducers.
VOTE_RULES = (RuleKind.QUORUM, RuleKind.VOTES_OF_PRESENT, RuleKind.VOTES_OF_EXPECTED)
INTRODUCER_RULES = (RuleKind.INTRODUCER_COUNT, RuleKind.INTRODUCER_SENIORITY)


class Rule(models.Model):
    """A condition checked when ``step`` is recorded. A blocking rule refuses the step and is
    named in the refusal; a warning lets it through with a written reason."""

    procedure = models.ForeignKey(
        Procedure, verbose_name="程序", on_delete=models.CASCADE, related_name="rules"
    )
    name = models.CharField(
        "规则名称", max_length=100, help_text="拒绝或提醒时向用户显示，如“培养考察期不少于6个月”"
    )
    kind = models.CharField("类别", max_length=30, choices=RuleKind.choices)
    step = models.ForeignKey(
        Step,
        verbose_name="检查步骤",
        on_delete=models.CASCADE,
        related_name="rules",
        help_text="记录此步骤时检查",
    )
    since_step = models.ForeignKey(
        Step,
        verbose_name="起算步骤",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="间隔和时限从此步骤的日期起算",
    )
    number = models.DecimalField(
        "数值",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="月数、人数、年数、百分比或年龄",
    )
    strictly_more = models.BooleanField(
        "须超过", default=True, help_text="人数和票数规则：须超过（不含等于）该比例；不选则达到即可"
    )
    values = models.CharField(
        "取值",
        max_length=500,
        blank=True,
        help_text=(
            "职称级别代码（如 3 表示中级）、学历类别（如 大学本科）、界别代码或关键词，以、分隔"
        ),
    )
    blocking = models.BooleanField(
        "阻止办理", default=True, help_text="选中：不符合时拒绝；不选：提醒，须填写理由后可继续"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "规则"
        verbose_name_plural = "规则"
        ordering = ["procedure", "step__order", "pk"]

    def __str__(self):
        return self.name

    def value_list(self) -> list[str]:
        return [v.strip() for v in self.values.replace(",", "、").split("、") if v.strip()]

    def clean(self):
        super().clean()
        needs = RULE_PARAMETERS.get(self.kind, ())
        errors = {}
        if "number" in needs and self.number is None:
            errors["number"] = f"「{self.get_kind_display()}」须填写数值"
        if "since_step" in needs:
            if self.since_step_id is None:
                errors["since_step"] = f"「{self.get_kind_display()}」须选择起算步骤"
            elif self.step_id and self.since_step.order >= self.step.order:
                errors["since_step"] = "起算步骤须在检查步骤之前"
        if "values" in needs and not self.value_list():
            errors["values"] = f"「{self.get_kind_display()}」须填写取值"
        if self.kind == RuleKind.MIN_TITLE_LEVEL:
            bad = [v for v in self.value_list() if v not in TitleLevel.values]
            if bad or len(self.value_list()) > 1:
                errors["values"] = (
                    "最低职称级别填一个级别代码：1 正高级、2 副高级、3 中级、4 助理级、5 员级"
                )
        if self.kind == RuleKind.MIN_EDUCATION:
            if len(self.value_list()) != 1 or self.value_list()[0] not in EDUCATION_GROUPS:
                errors["values"] = f"最低学历填一个类别：{'、'.join(EDUCATION_GROUPS)}"
        if self.kind == RuleKind.SECTOR_PRIORITY:
            bad = [v for v in self.value_list() if v not in Sector.values]
            if bad:
                errors["values"] = (
                    f"未知的界别代码：{'、'.join(bad)}（可用：{'、'.join(Sector.values)}）"
                )
        if self.kind in VOTE_RULES and self.step_id and not self.step.with_vote:
            errors["step"] = "人数和票数规则只能用于有会议表决的步骤"
        if (
            self.kind in INTRODUCER_RULES
            and self.step_id
            and self.step.kind != StepKind.INTRODUCERS
        ):
            errors["step"] = "介绍人规则只能用于“介绍人”类别的步骤"
        if self.step_id and self.procedure_id and self.step.procedure_id != self.procedure_id:
            errors["step"] = "检查步骤须属于同一程序"
        if errors:
            raise ValidationError(errors)


class Programme(models.Model):
    """A named recruitment programme with its own count, such as 百名优才入会工程."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=100)
    start_year = models.PositiveSmallIntegerField("起始年份")
    end_year = models.PositiveSmallIntegerField("截止年份")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "优才工程"
        verbose_name_plural = "优才工程"
        ordering = ["-start_year", "name"]

    def __str__(self):
        return self.name


class ApplicationStatus(models.TextChoices):
    OPEN = "open", "办理中"
    ADMITTED = "admitted", "已入会"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "本人撤回"
    SUSPENDED = "suspended", "中止"


# The ends of an application that are not an admission, each with a reason.
END_STATUSES = (
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.SUSPENDED,
)


class ApplicationQuerySet(DatedQuerySet):
    """``active_on(on)``: the applications in progress on ``on``, made by then and not ended
    by then."""

    start_field = "applied_on"
    end_field = "ended_on"


class Application(models.Model):
    """A candidate's path to admission (入会申请) in a branch."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    branch = models.ForeignKey(
        "orgs.Organization",
        verbose_name="申请加入的组织",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name="入会程序", on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="优才工程",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    applied_on = models.DateField("申请日期")
    status = models.CharField(
        "状态", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.OPEN
    )
    ended_on = models.DateField("办结日期", null=True, blank=True)
    end_reason = models.CharField("办结原因", max_length=500, blank=True)
    affiliation = models.ForeignKey(
        "people.Affiliation",
        verbose_name="管理关系",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    spell = models.OneToOneField(
        "people.MembershipSpell",
        verbose_name="入会后的成员关系",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "入会申请"
        verbose_name_plural = "入会申请"
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", ended_on__isnull=True)
                | ~Q(status="open") & Q(ended_on__isnull=False),
                name="application_ended_has_date",
                violation_error_message="办结的申请须有办结日期",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("applied_on")),
                name="application_ended_after_applied",
                violation_error_message="办结日期不能早于申请日期",
            ),
        ]
        indexes = [models.Index(fields=["branch", "applied_on", "ended_on"])]

    def __str__(self):
        return f"{self.person} · {self.branch} · {self.applied_on}"


class StepRecord(models.Model):
    """One step done: its date, who recorded it, the opinion, and a meeting's figures."""

    application = models.ForeignKey(
        Application, verbose_name="入会申请", on_delete=models.CASCADE, related_name="records"
    )
    step = models.ForeignKey(Step, verbose_name="步骤", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期")
    opinion = models.TextField("意见或结果", blank=True)
    document_no = models.CharField("文号", max_length=100, blank=True)
    expected = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present = models.PositiveIntegerField("实到人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权", null=True, blank=True)
    notified_person_on = models.DateField("书面通知本人日期", null=True, blank=True)
    notified_unit_on = models.DateField("书面通知所在单位日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "步骤记录"
        verbose_name_plural = "步骤记录"
        ordering = ["application", "on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step"],
                name="step_record_once",
                violation_error_message="这一步骤已经记录",
            )
        ]

    def __str__(self):
        return f"{self.application.person} · {self.step} · {self.on}"


class Introducer(models.Model):
    """A member who sponsors an application (介绍人), as checked when the step was recorded."""

    record = models.ForeignKey(
        StepRecord, verbose_name="步骤记录", on_delete=models.CASCADE, related_name="introducers"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="介绍人", on_delete=models.PROTECT, related_name="+"
    )
    member_since = models.DateField("连续在册起始日期", null=True, blank=True)

    class Meta:
        verbose_name = "介绍人"
        verbose_name_plural = "介绍人"
        ordering = ["record", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "person"],
                name="introducer_once",
                violation_error_message="同一人不能重复作为介绍人",
            )
        ]

    def __str__(self):
        return str(self.person)


class RuleWarning(models.Model):
    """A warning rule the step broke, let through with the recorder's written reason."""

    record = models.ForeignKey(
        StepRecord, verbose_name="步骤记录", on_delete=models.CASCADE, related_name="warnings"
    )
    rule = models.ForeignKey(
        Rule, verbose_name="规则", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rule_name = models.CharField("规则名称", max_length=100)
    message = models.CharField("情况", max_length=500)
    reason = models.TextField("继续办理的理由")

    class Meta:
        verbose_name = "规则提醒"
        verbose_name_plural = "规则提醒"
        ordering = ["record", "pk"]

    def __str__(self):
        return f"{self.rule_name}：{self.message}"


class Refusal(models.Model):
    """A step refused by a rule: who tried, when, which rule and why (an application whose
    latest event is a refusal is blocked)."""

    application = models.ForeignKey(
        Application, verbose_name="入会申请", on_delete=models.CASCADE, related_name="refusals"
    )
    step = models.ForeignKey(Step, verbose_name="步骤", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(
        Rule, verbose_name="规则", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rule_name = models.CharField("规则名称", max_length=100)
    message = models.CharField("情况", max_length=500)
    attempted_on = models.DateField("拟记录日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "拒绝记录"
        verbose_name_plural = "拒绝记录"
        ordering = ["application", "-created_at"]

    def __str__(self):
        return f"{self.step} · {self.rule_name}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the original name is kept in the record, not on disk."""
    suffix = PurePath(filename).suffix.lower()
    return f"recruitment/{instance.record.application_id}/{uuid.uuid4().hex}{suffix}"


# What a step's attachment may be: scanned forms, letters, opinions.
ATTACHMENT_FILES = filecheck.Accept(
    kinds=(filecheck.PDF, filecheck.JPEG, filecheck.PNG, filecheck.DOC, filecheck.DOCX),
    limit_setting="TONGXIN_ATTACHMENT_MAX_MB",
    noun="附件",
    each="每个附件",
)


class Attachment(models.Model):
    record = models.ForeignKey(
        StepRecord, verbose_name="步骤记录", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["record", "pk"]

    def __str__(self):
        return self.name


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度计划"
    FIVE_YEAR = "five_year", "五年规划"


class DevelopmentPlan(models.Model):
    """A committee's recruitment plan for a year or five years, with its targets."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=20, choices=PlanKind.choices, default="annual")
    start_year = models.PositiveSmallIntegerField("起始年份")
    end_year = models.PositiveSmallIntegerField("截止年份")
    title = models.CharField("名称", max_length=100)
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "发展计划"
        verbose_name_plural = "发展计划"
        ordering = ["-start_year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "start_year"],
                name="plan_once_per_org_kind_year",
                violation_error_message="该组织这一年份已有同类计划",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="plan_end_after_start",
                violation_error_message="截止年份不能早于起始年份",
            ),
        ]

    def __str__(self):
        return self.title


class TargetKind(models.TextChoices):
    TOTAL = "total", "发展总数"
    BRANCH = "branch", "支部发展数"
    MID_TITLE_SHARE = "mid_title_share", "中级及以上职称占比（%）"
    SENIOR_TITLE_SHARE = "senior_title_share", "副高级及以上职称占比（%）"
    MAX_AVERAGE_AGE = "max_average_age", "平均年龄不超过（岁）"
    POSTGRADUATE_SHARE = "postgraduate_share", "硕士、博士占比（%）"
    SECTOR_COUNT = "sector_count", "重点界别发展数"
    PROGRAMME_COUNT = "programme_count", "优才工程发展数"


# Targets met from above (a count or a share to reach) or from below (an average to stay under).
SHARE_TARGETS = (
    TargetKind.MID_TITLE_SHARE,
    TargetKind.SENIOR_TITLE_SHARE,
    TargetKind.POSTGRADUATE_SHARE,
)
COUNT_TARGETS = (
    TargetKind.TOTAL,
    TargetKind.BRANCH,
    TargetKind.SECTOR_COUNT,
    TargetKind.PROGRAMME_COUNT,
)


class PlanTarget(models.Model):
    plan = models.ForeignKey(
        DevelopmentPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="targets"
    )
    kind = models.CharField("指标", max_length=30, choices=TargetKind.choices)
    value = models.DecimalField("目标值", max_digits=8, decimal_places=1)
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="支部",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="支部发展数：哪个支部",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="优才工程",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    sectors = models.CharField(
        "重点界别", max_length=200, blank=True, help_text="界别代码，以、分隔"
    )

    class Meta:
        verbose_name = "计划指标"
        verbose_name_plural = "计划指标"
        ordering = ["plan", "pk"]

    def __str__(self):
        return self.label

    def sector_list(self) -> list[str]:
        return [v.strip() for v in self.sectors.replace(",", "、").split("、") if v.strip()]

    @property
    def label(self) -> str:
        if self.kind == TargetKind.BRANCH and self.org_id:
            return f"{self.org.display_name}发展数"
        if self.kind == TargetKind.PROGRAMME_COUNT and self.programme_id:
            return f"{self.programme.name}发展数"
        if self.kind == TargetKind.SECTOR_COUNT and self.sectors:
            names = "、".join(Sector(s).label for s in self.sector_list() if s in Sector.values)
            return f"重点界别（{names}）发展数"
        return self.get_kind_display()

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == TargetKind.BRANCH and not self.org_id:
            errors["org"] = "支部发展数须选择支部"
        if self.kind == TargetKind.PROGRAMME_COUNT and not self.programme_id:
            errors["programme"] = "优才工程发展数须选择优才工程"
        if self.kind == TargetKind.SECTOR_COUNT:
            bad = [s for s in self.sector_list() if s not in Sector.values]
            if not self.sector_list() or bad:
                errors["sectors"] = f"请填写界别代码（{'、'.join(Sector.values)}）"
        if self.kind in SHARE_TARGETS and self.value is not None and not 0 <= self.value <= 100:
            errors["value"] = "占比须在 0 到 100 之间"
        if self.value is not None and self.value < 0:
            errors["value"] = "目标值不能为负数"
        if errors:
            raise ValidationError(errors)


class MembershipNoCounter(models.Model):
    """The last sequence number given under one head (prefix + admission year), e.g. JC2026.

    Admissions lock their head's row while they choose a number, so that two admissions at once
    wait for each other instead of counting the same numbers and taking the same next one.
    """

    head = models.CharField("编号前缀与年份", max_length=30, unique=True)
    last = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = "成员编号计数"
        verbose_name_plural = "成员编号计数"

    def __str__(self):
        return f"{self.head}：{self.last:04d}"
