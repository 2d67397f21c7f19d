"""两新组织 and the dated facts of their party and mass organizations (COVERAGE.md).

A new organization is kept by the tree node of its area (a community or a street): a user sees
the organizations whose area lies in their subtree. Its party organization's form, its union,
youth league and women's organization, its instructor and its party members are dated records,
so that coverage "at D" is a query and a form that changes (联合 → 单独) keeps the old one.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as CodeError

from tongxin.core.dated import DatedQuerySet
from tongxin.orgs.models import Organization
from tongxin.people.models import Person


class NewOrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    SOCIAL = "social", "社会组织"


class PartyForm(models.TextChoices):
    """党组织形式 (COVERAGE.md); the labels are the statistics' keys."""

    SINGLE = "single", "单独组建"
    JOINT = "joint", "联合组建"
    INSTRUCTOR = "instructor", "党建工作指导员"
    NONE = "none", "无"


# Party-covered: an organization of its own or a joint one.
COVERED_FORMS = (PartyForm.SINGLE, PartyForm.JOINT)


class MassKind(models.TextChoices):
    UNION = "union", "工会"
    YOUTH_LEAGUE = "youth_league", "团组织"
    WOMEN = "women", "妇女组织"


@lru_cache(maxsize=65536)
def clean_credit_code(value: str) -> str:
    """The 统一社会信用代码 ``value`` in its compact form, or a Chinese ValidationError naming
    what is wrong (GB 32100: 18 characters, the last a check character). Remembered: an import
    checks each code in the reading, the import's check and the model's ``clean``."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("统一社会信用代码不能为空")
    try:
        return uscc.validate(text)
    except InvalidLength as exc:
        raise ValidationError(
            f"统一社会信用代码“{text}”应为18位，现为{len(uscc.compact(text))}位"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(f"统一社会信用代码“{text}”的校验码不对，请核对") from exc
    except (InvalidFormat, CodeError) as exc:
        raise ValidationError(
            f"统一社会信用代码“{text}”格式不对："
            "前8位应为数字，其余为数字或大写字母（不含 I、O、S、V、Z）"
        ) from exc


def make_credit_code(serial: int, *, division: str = "310101", kind: str = "91") -> str:
    """A well-formed 统一社会信用代码 for demo and bench data: registration kind ``kind``
    (91: an enterprise), the division ``division`` and ``serial``, with its check character."""
    body = f"{kind}{division}{serial:09d}"
    return body + uscc.calc_check_digit(body)


class NewOrganization(models.Model):
    """A 两新组织 of the registry, keyed by its 统一社会信用代码."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=NewOrgKind.choices)
    area = models.ForeignKey(
        Organization,
        verbose_name="所在组织",
        on_delete=models.PROTECT,
        related_name="new_organizations",
    )
    industry = models.CharField("行业", max_length=100, blank=True)
    employees = models.PositiveIntegerField("从业人员数", null=True, blank=True)
    above_size = models.BooleanField("规模以上", default=False)
    founded = models.DateField("成立日期", null=True, blank=True)
    deregistered = models.DateField("注销日期", null=True, blank=True)
    union_chair_party_member = models.BooleanField("工会主席是否党员", null=True, blank=True)
    # 交叉任职: the union chair holds a post of the party organization too.
    union_chair_cross_post = models.BooleanField("工会主席交叉任职", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "两新组织"
        verbose_name_plural = "两新组织名册"
        constraints = [
            models.CheckConstraint(
                condition=Q(deregistered__isnull=True)
                | Q(founded__isnull=True)
                | Q(deregistered__gte=F("founded")),
                name="neworg_deregistered_after_founded",
                violation_error_message="注销日期不能早于成立日期",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.credit_code = clean_credit_code(self.credit_code)
        if not (self.name or "").strip():
            raise ValidationError({"name": "名称不能为空"})
        if self.deregistered and self.founded and self.deregistered < self.founded:
            raise ValidationError({"deregistered": "注销日期不能早于成立日期"})
        if self.union_chair_cross_post and self.union_chair_party_member is False:
            raise ValidationError(
                {"union_chair_cross_post": "工会主席不是党员，不能在党组织交叉任职"}
            )


class PartyOrgForm(models.Model):
    """The party organization's form from ``start``; a later form ends it (``end``)."""

    new_org = models.ForeignKey(
        NewOrganization, verbose_name="两新组织", on_delete=models.CASCADE, related_name="forms"
    )
    form = models.CharField("党组织形式", max_length=12, choices=PartyForm.choices)
    start = models.DateField("建立日期")
    end = models.DateField("结束日期", null=True, blank=True)
    # 单独组建: the tree node of its own party organization (a 支部 of the tree).
    party_org = models.ForeignKey(
        Organization,
        verbose_name="党组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织形式"
        verbose_name_plural = "党组织形式"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="partyorgform_end_after_start",
                violation_error_message="结束日期应晚于建立日期",
            ),
            models.UniqueConstraint(
                fields=["new_org", "start"],
                name="partyorgform_one_per_day",
                violation_error_message="同一天只能有一种党组织形式",
            ),
        ]

    def __str__(self):
        return f"{self.get_form_display()}（{self.start}起）"


class MassOrganization(models.Model):
    """A union, youth league or women's organization, from ``start`` until dissolved."""

    new_org = models.ForeignKey(
        NewOrganization, verbose_name="两新组织", on_delete=models.CASCADE, related_name="mass"
    )
    kind = models.CharField("群团组织", max_length=12, choices=MassKind.choices)
    start = models.DateField("建立日期")
    end = models.DateField("撤销日期", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "群团组织"
        verbose_name_plural = "群团组织"
        ordering = ["kind", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="massorg_end_after_start",
                violation_error_message="撤销日期应晚于建立日期",
            ),
            models.UniqueConstraint(
                fields=["new_org", "kind", "start"],
                name="massorg_one_per_day",
                violation_error_message="同一天已建立过这个群团组织",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.start}起）"


class PartyMemberCount(models.Model):
    """党员人数 as recorded on ``on``; the latest on or before D is the count at D."""

    new_org = models.ForeignKey(
        NewOrganization,
        verbose_name="两新组织",
        on_delete=models.CASCADE,
        related_name="member_counts",
    )
    on = models.DateField("日期")
    count = models.PositiveIntegerField("党员人数")

    class Meta:
        verbose_name = "党员人数"
        verbose_name_plural = "党员人数"
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(
                fields=["new_org", "on"],
                name="partymembercount_one_per_day",
                violation_error_message="这一天已记录过党员人数",
            )
        ]

    def __str__(self):
        return f"{self.on} 党员 {self.count} 人"


class InstructorAssignment(models.Model):
    """A 党建工作指导员 (a person of the tree) sent to the organization from ``start``."""

    new_org = models.ForeignKey(
        NewOrganization,
        verbose_name="两新组织",
        on_delete=models.CASCADE,
        related_name="instructors",
    )
    person = models.ForeignKey(
        Person, verbose_name="指导员", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("选派日期")
    end = models.DateField("结束日期", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "党建工作指导员"
        verbose_name_plural = "党建工作指导员"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="instructor_end_after_start",
                violation_error_message="结束日期应晚于选派日期",
            )
        ]

    def __str__(self):
        return f"{self.person}（{self.start}起）"


class InstructorVisit(models.Model):
    """A visit of the instructor to the organization."""

    new_org = models.ForeignKey(
        NewOrganization, verbose_name="两新组织", on_delete=models.CASCADE, related_name="visits"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="指导员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on = models.DateField("走访日期")
    note = models.CharField("走访情况", max_length=500, blank=True)

    class Meta:
        verbose_name = "指导员走访"
        verbose_name_plural = "指导员走访"
        ordering = ["-on"]

    def __str__(self):
        return f"{self.on} 走访"


class RegistryImport(models.Model):
    """One registry workbook brought in: checked first (``CHECKED``: the report of what it
    would add, deregister and change), then written (``DONE``) or refused (``REJECTED``), and
    undoable while nothing later has changed what it wrote."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "等待检查"
        CHECKING = "checking", "正在检查"
        REJECTED = "rejected", "有错误，未导入"
        CHECKED = "checked", "检查通过，等待确认"
        CONFIRMED = "confirmed", "等待写入"
        WRITING = "writing", "正在写入"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"
        UNDONE = "undone", "已撤销"

    created_by = models.ForeignKey(
        "accounts.User", verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file_name = models.CharField("文件名", max_length=255)
    content = models.BinaryField("文件内容")
    effective_date = models.DateField("变动生效日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    changed = models.PositiveIntegerField("变更", default=0)
    deregistered = models.PositiveIntegerField("注销", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    errors = models.JSONField("错误", default=list)
    # What the check found, for the report: [{"row", "code", "name", "action", "changes"}].
    preview = models.JSONField("变动预览", default=list)
    # For undo: [{"id", "before": snapshot or None, "after": snapshot}] (selectors.snapshot).
    changes = models.JSONField("变更记录", default=list)
    # The import worker (tongxin.io.jobs) checks and writes a batch uploaded from the page, as
    # it does the roster's: when it took the batch up, and what staff are told of a failure.
    claimed_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    message = models.TextField("说明", blank=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        "accounts.User",
        verbose_name="撤销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "两新组织名册导入"
        verbose_name_plural = "两新组织名册导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）"
