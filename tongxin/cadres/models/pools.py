"""Pools, their levels and entries, the year-end review, and the selection that fills them
(candidates, talks, opinions, votes)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.codes import AdminRank, TitleLevel
from tongxin.core.dated import DatedQuerySet

from .base import Recorded, end_after_start
from .choices import (
    AFFILIATION_FOR_POOL,
    DEFAULT_AFFILIATION,
    CandidateStatus,
    EducationFloor,
    EntrySource,
    ExitReason,
    Horizon,
    OpinionConclusion,
    PoolKind,
    Position,
    RankGroup,
    ReviewDecision,
)

# ---------------------------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------------------------


class TalentPool(models.Model):
    """A pool run by a committee or department: its conditions, levels and capacity."""

    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="所属组织", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=PoolKind.choices)
    max_age = models.PositiveSmallIntegerField(
        "年龄上限（周岁，含）", null=True, blank=True, help_text="留空为不限"
    )
    min_title_level = models.CharField(
        "职称要求（及以上）", max_length=1, choices=TitleLevel.choices, blank=True
    )
    min_rank = models.CharField(
        "职务级别要求（及以上）",
        max_length=3,
        choices=AdminRank.choices,
        blank=True,
        help_text="与职称要求同时设定时，满足其一即可",
    )
    min_education = models.CharField(
        "学历要求（及以上）", max_length=1, choices=EducationFloor.choices, blank=True
    )
    capacity = models.PositiveIntegerField("名额", null=True, blank=True, help_text="留空为不限")
    excludes = models.ManyToManyField(
        "self",
        verbose_name="互斥的库",
        blank=True,
        symmetrical=True,
        help_text="同一人不能同时在互斥的两个库中",
    )
    is_active = models.BooleanField("启用", default=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "人才库"
        verbose_name_plural = "人才库"
        ordering = ["owner__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="pool_unique_name_per_owner",
                violation_error_message="本组织已有同名的库",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def affiliation_kind(self) -> str:
        return AFFILIATION_FOR_POOL.get(self.kind, DEFAULT_AFFILIATION)

    def conditions(self) -> list[str]:
        """The conditions in words, for the pages."""
        parts = []
        if self.max_age is not None:
            parts.append(f"{self.max_age}周岁及以下")
        title = f"{self.get_min_title_level_display()}及以上职称" if self.min_title_level else ""
        rank = f"{self.get_min_rank_display()}及以上职务" if self.min_rank else ""
        if title and rank:
            parts.append(f"{title}或{rank}")
        elif title or rank:
            parts.append(title or rank)
        if self.min_education:
            parts.append(f"{self.get_min_education_display()}及以上学历")
        return parts


class PoolLevel(models.Model):
    """A level of a pool (县处级正职·近期 …); an entry sits at one level of its pool."""

    pool = models.ForeignKey(
        TalentPool, verbose_name="人才库", on_delete=models.CASCADE, related_name="levels"
    )
    rank_group = models.CharField("层级", max_length=20, choices=RankGroup.choices, blank=True)
    position = models.CharField("正副职", max_length=20, choices=Position.choices, blank=True)
    horizon = models.CharField("使用期", max_length=20, choices=Horizon.choices, blank=True)
    capacity = models.PositiveIntegerField("名额", null=True, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "库内层级"
        verbose_name_plural = "库内层级"
        ordering = ["pool", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "rank_group", "position", "horizon"],
                name="pool_level_unique",
                violation_error_message="该库已有相同的层级",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        head = f"{self.get_rank_group_display()}{self.get_position_display()}"
        return "·".join(part for part in (head, self.get_horizon_display()) if part) or "不分层级"


class PoolEntry(models.Model):
    """入库 · 出库: a person's dated stay in a pool."""

    pool = models.ForeignKey(
        TalentPool, verbose_name="人才库", on_delete=models.PROTECT, related_name="entries"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="pool_entries",
    )
    level = models.ForeignKey(
        PoolLevel,
        verbose_name="层级",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    start = models.DateField("入库日期")
    source = models.CharField("来源", max_length=20, choices=EntrySource.choices)
    # 推荐单位: the tree node (a street, an industry party committee, a department) that
    # recommended the person; its kind gives the split the reports make.
    recommending_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name="推荐单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_meeting = models.CharField("决定会议", max_length=100)
    decision_date = models.DateField("决定日期")
    document_no = models.CharField("文号", max_length=100, blank=True)
    end = models.DateField("出库日期", null=True, blank=True)
    exit_reason = models.CharField(
        "出库原因", max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_note = models.CharField("出库说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="出库办理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "入库记录"
        verbose_name_plural = "入库记录"
        ordering = ["pool", "-start", "pk"]
        constraints = [
            end_after_start("pool_entry_end_after_start"),
            models.CheckConstraint(
                condition=Q(end__isnull=True, exit_reason="")
                | Q(end__isnull=False) & ~Q(exit_reason=""),
                name="pool_entry_end_has_reason",
                violation_error_message="出库日期和出库原因须同时填写",
            ),
        ]
        indexes = [
            models.Index(fields=["pool", "start", "end"]),
            models.Index(fields=["person", "start"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.pool}"

    def clean(self):
        super().clean()
        if self.level_id and self.pool_id and self.level.pool_id != self.pool_id:
            raise ValidationError({"level": "层级不属于该库"})
        if self.decision_date and self.start and self.decision_date > self.start:
            raise ValidationError({"decision_date": "决定日期不能晚于入库日期"})


class PoolReview(Recorded):
    """A year-end review (动态管理) of one entry: kept, with the reason, or exited."""

    entry = models.ForeignKey(
        PoolEntry, verbose_name="入库记录", on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("年度")
    on = models.DateField("研究日期")
    decision = models.CharField("结论", max_length=10, choices=ReviewDecision.choices)
    reason = models.CharField("理由", max_length=300)
    # What the review list flagged when the decision was taken: 超龄, 考核基本称职 …
    flags = models.CharField("提示", max_length=200, blank=True)

    class Meta:
        verbose_name = "动态管理记录"
        verbose_name_plural = "动态管理记录"
        ordering = ["entry", "-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "year"],
                name="pool_review_once_a_year",
                violation_error_message="该人员本年度已作出动态管理结论",
            )
        ]

    def __str__(self):
        return f"{self.entry} · {self.year} · {self.get_decision_display()}"


# ---------------------------------------------------------------------------------------------
# Selection: survey, talks, opinions, votes, initial list, decision
# ---------------------------------------------------------------------------------------------


class PoolCandidate(Recorded):
    """人选: a person considered for a pool, from the survey to the decision that enters them."""

    pool = models.ForeignKey(
        TalentPool, verbose_name="人才库", on_delete=models.PROTECT, related_name="candidates"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="pool_candidacies",
    )
    source = models.CharField("来源", max_length=20, choices=EntrySource.choices)
    found_on = models.DateField("列入考察日期")
    status = models.CharField(
        "状态", max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.SURVEYING
    )
    listed_on = models.DateField("列入初步人选日期", null=True, blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="列入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField("结束日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_note = models.CharField("说明", max_length=300, blank=True)
    entry = models.OneToOneField(
        PoolEntry,
        verbose_name="入库记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate",
    )

    class Meta:
        verbose_name = "人选"
        verbose_name_plural = "人选"
        ordering = ["pool", "-found_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "person"],
                condition=Q(status__in=["surveying", "listed"]),
                name="candidate_open_once_per_pool",
                violation_error_message="该人员已是这个库的考察人选",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.pool}"


class Talk(Recorded):
    """谈心谈话 with a candidate."""

    candidate = models.ForeignKey(
        PoolCandidate, verbose_name="人选", on_delete=models.CASCADE, related_name="talks"
    )
    on = models.DateField("谈话日期")
    talkers = models.CharField("谈话人", max_length=200)
    summary = models.TextField("谈话要点")

    class Meta:
        verbose_name = "谈心谈话"
        verbose_name_plural = "谈心谈话"
        ordering = ["candidate", "on", "pk"]

    def __str__(self):
        return f"{self.candidate.person} · {self.on}"


class Opinion(Recorded):
    """征求意见: the opinion of the candidate's work-unit party organization or another body."""

    candidate = models.ForeignKey(
        PoolCandidate, verbose_name="人选", on_delete=models.CASCADE, related_name="opinions"
    )
    on = models.DateField("日期")
    body = models.CharField("征求意见单位", max_length=200, help_text="如 所在单位党委")
    conclusion = models.CharField("意见", max_length=20, choices=OpinionConclusion.choices)
    text = models.TextField("具体意见", blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["candidate", "on", "pk"]

    def __str__(self):
        return f"{self.candidate.person} · {self.body}"


class Vote(Recorded):
    """民主推荐: the result of a democratic recommendation for a candidate."""

    candidate = models.ForeignKey(
        PoolCandidate, verbose_name="人选", on_delete=models.CASCADE, related_name="votes"
    )
    on = models.DateField("推荐日期")
    meeting = models.CharField("推荐范围或会议", max_length=200)
    participants = models.PositiveIntegerField("参加人数")
    votes_for = models.PositiveIntegerField("得票数")

    class Meta:
        verbose_name = "民主推荐结果"
        verbose_name_plural = "民主推荐结果"
        ordering = ["candidate", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__lte=models.F("participants")),
                name="vote_not_more_than_participants",
                violation_error_message="得票数不能多于参加人数",
            )
        ]

    def __str__(self):
        return f"{self.candidate.person} · {self.votes_for}/{self.participants}"
