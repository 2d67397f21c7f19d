"""Branch evaluation (考评): rubrics, yearly rounds, scores and the awards decided in them.

A rubric (考评细则) is a list of items, each scored either by a named calculator over recorded
data (tongxin.evaluation.calculators: a closed set chosen per item, with parameters as data) or
by reviewers, with evidence. A round scores every grassroots node (基层委员会, 总支, 支部, as
its rubric says) of a subtree for a year; while it is
open the calculated items follow the data, and closing it (定稿) freezes every score with the
records behind it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.codes import OrgKind
from tongxin.people.models import HonorLevel

POINTS = {"max_digits": 7, "decimal_places": 1}

# The grassroots nodes a round may score: the seeds count a 总支 among the "18个支部" scored.
GRASSROOTS_KINDS = (
    OrgKind.GRASSROOTS_COMMITTEE.value,
    OrgKind.GENERAL_BRANCH.value,
    OrgKind.BRANCH.value,
)


def default_scored_kinds() -> list[str]:
    return list(GRASSROOTS_KINDS)


class Rubric(models.Model):
    """考评细则: the items a round scores, owned by a committee."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="制定组织", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("细则名称", max_length=200)
    note = models.TextField("说明", blank=True)
    scored_kinds = models.JSONField(
        "参评组织类型",
        default=default_scored_kinds,
        blank=True,  # clean() says what an empty choice lacks
        help_text="考评时打分的基层组织类型：基层委员会、总支、支部中的一种或几种",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "考评细则"
        verbose_name_plural = "考评细则"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        kinds = self.scored_kinds if isinstance(self.scored_kinds, list) else None
        if not kinds or any(k not in GRASSROOTS_KINDS for k in kinds):
            names = "、".join(OrgKind(k).label for k in GRASSROOTS_KINDS)
            raise ValidationError({"scored_kinds": f"参评组织类型须从{names}中选择，至少一种"})

    @property
    def scored_kind_labels(self) -> list[str]:
        return [OrgKind(k).label for k in GRASSROOTS_KINDS if k in self.scored_kinds]

    @property
    def total_points(self) -> Decimal | None:
        """The highest total the rubric allows; None when an item has no cap."""
        caps = [item.max_points for item in self.items.all()]
        return None if any(c is None for c in caps) else sum(caps, Decimal(0))


class RubricItem(models.Model):
    """One line of a rubric: points, a cap, and either a calculator or manual scoring."""

    rubric = models.ForeignKey(
        Rubric, verbose_name="考评细则", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    category = models.CharField("类别", max_length=50, blank=True)
    title = models.CharField("考评项目", max_length=200)
    guidance = models.TextField("评分标准", blank=True)
    # A key of tongxin.evaluation.calculators.CALCULATORS; blank: reviewers score by hand.
    calculator = models.CharField("计分方式", max_length=40, blank=True)
    params = models.JSONField("计分参数", default=dict, blank=True)
    max_points = models.DecimalField("最高分", null=True, blank=True, **POINTS)

    class Meta:
        verbose_name = "考评项目"
        verbose_name_plural = "考评项目"
        ordering = ["rubric", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_manual(self) -> bool:
        return not self.calculator

    def clean(self):
        super().clean()
        from .calculators import check_item

        errors = check_item(self)
        if errors:
            raise ValidationError(errors)


class EvaluationRound(models.Model):
    """A yearly scoring of every branch under ``org`` against ``rubric``."""

    class Status(models.TextChoices):
        OPEN = "open", "评分中"
        CLOSED = "closed", "已定稿"

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="组织",
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
    )
    year = models.PositiveSmallIntegerField("考评年度")
    rubric = models.ForeignKey(
        Rubric, verbose_name="考评细则", on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_at = models.DateTimeField("定稿时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "考评"
        verbose_name_plural = "考评"
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="round_once_a_year",
                violation_error_message="该组织这一年度的考评已经建立",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Score(models.Model):
    """One branch's score on one item of a round: the branch's own (自评) beside the
    reviewers' (for manual items) or the calculated points (frozen with their records when the
    round closes)."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name="考评", on_delete=models.CASCADE, related_name="scores"
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="支部", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        RubricItem, verbose_name="考评项目", on_delete=models.PROTECT, related_name="scores"
    )
    self_points = models.DecimalField("自评分", null=True, blank=True, **POINTS)
    evidence = models.TextField("自评说明及佐证", blank=True)
    review_points = models.DecimalField("评审分", null=True, blank=True, **POINTS)
    review_note = models.TextField("评审意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("评审时间", null=True, blank=True)
    # Written when the round closes: the calculated points and the records they came from
    # ([{"label", "points", "url"}]), so that a closed round reads as it was decided.
    computed_points = models.DecimalField("计算得分", null=True, blank=True, **POINTS)
    computed_lines = models.JSONField("计分明细", default=list, blank=True)
    computed_note = models.CharField("计分说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "考评得分"
        verbose_name_plural = "考评得分"
        ordering = ["round", "org", "item__order", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "org", "item"],
                name="score_once_per_item",
                violation_error_message="每个支部的每个考评项目只有一个得分",
            ),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                name="score_self_not_negative",
                violation_error_message="自评分不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(review_points__isnull=True) | Q(review_points__gte=0),
                name="score_review_not_negative",
                violation_error_message="评审分不能为负数",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.org} · {self.item}"


class AwardKind(models.TextChoices):
    """Honours the committee itself gives (GLOSSARY: Award kinds)."""

    ADVANCED_BRANCH = "advanced_branch", "先进支部"
    ADVANCED_COLLECTIVE = "advanced_collective", "先进集体"
    EXCELLENT_MEMBER = "excellent_member", "优秀会员"
    EXCELLENT_WORKER = "excellent_worker", "优秀会务工作者"
    OTHER_PERSONAL = "other_personal", "其他个人表彰"


COLLECTIVE_AWARDS = frozenset({AwardKind.ADVANCED_BRANCH, AwardKind.ADVANCED_COLLECTIVE})


class Award(models.Model):
    """An award decided in a round: to a branch (先进支部/先进集体) or to a person."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name="考评", on_delete=models.PROTECT, related_name="awards"
    )
    kind = models.CharField("表彰类别", max_length=30, choices=AwardKind.choices)
    title = models.CharField("表彰名称", max_length=200, blank=True)
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="受表彰组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="受表彰人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    decided_on = models.DateField("决定日期")
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "表彰"
        verbose_name_plural = "表彰"
        ordering = ["round", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(org__isnull=False, person__isnull=True)
                | Q(org__isnull=True, person__isnull=False),
                name="award_to_an_org_or_a_person",
                violation_error_message="表彰须授予一个组织或一名人员",
            ),
            models.UniqueConstraint(
                fields=["round", "kind", "org"],
                name="award_once_per_org",
                condition=Q(org__isnull=False),
                violation_error_message="该组织已获这一表彰",
            ),
            models.UniqueConstraint(
                fields=["round", "kind", "person"],
                name="award_once_per_person",
                condition=Q(person__isnull=False),
                violation_error_message="该人员已获这一表彰",
            ),
        ]

    def __str__(self):
        return f"{self.display_title} · {self.recipient}"

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == AwardKind.EXCELLENT_MEMBER:
            return f"优秀{settings.TONGXIN_MEMBER_WORD}"  # 优秀盟员, 优秀社员 …
        return self.get_kind_display()

    @property
    def recipient(self):
        return self.org or self.person

    @property
    def is_collective(self) -> bool:
        return self.kind in COLLECTIVE_AWARDS


class OrgHonor(models.Model):
    """An honour an organization of the tree itself received from an outside body (全国基层组织
    建设先进单位, 先进界别活动组 …), counted by level on its page."""

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="组织",
        on_delete=models.CASCADE,
        related_name="honors",
    )
    title = models.CharField("荣誉名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=HonorLevel.choices)
    conferred_by = models.CharField("授予机关", max_length=200)
    conferred_on = models.DateField("授予日期")
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "组织荣誉"
        verbose_name_plural = "组织荣誉"
        ordering = ["org", "-conferred_on", "pk"]
        indexes = [models.Index(fields=["org", "conferred_on"])]

    def __str__(self):
        return f"{self.org} · {self.title}"
