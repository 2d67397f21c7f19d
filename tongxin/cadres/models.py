"""Cadres and talent (干部人才): pools and their entries, the selection that fills them, annual
assessments, practice postings, recommendations for posts, and contacts with non-party cadres.

Pools, candidates, recommendations and contacts belong to the organization that runs them
(``owner``) and are in a user's scope through it. Assessments and practice postings are facts
about a person and are in scope wherever the person is (people.selectors.people_in_scope).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.codes import (
    CIVIL_SERVICE_GRADES,
    PUBLIC_INSTITUTION_GRADES,
    UNGRADED_OUTCOMES,
    AdminRank,
    AffiliationKind,
    AssessmentGrade,
    PoliticalBody,
    PoliticalLevel,
    PostKind,
    TitleLevel,
)
from tongxin.people.models import Post

# ---------------------------------------------------------------------------------------------
# Closed lists
# ---------------------------------------------------------------------------------------------


class PoolKind(models.TextChoices):
    RESERVE = "reserve", "后备干部"
    NON_PARTY = "non_party", "党外干部"
    NON_PARTY_RESERVE = "non_party_reserve", "党外后备干部"
    YOUNG = "young", "优秀青年干部"
    TALENT = "talent", "专业人才库"
    OTHER = "other", "其他"


# The link that puts a non-member of the pool's subtree in its scope (people.Affiliation).
AFFILIATION_FOR_POOL = {
    PoolKind.TALENT: AffiliationKind.TALENT,
}
DEFAULT_AFFILIATION = AffiliationKind.NON_PARTY_CADRE


class EducationFloor(models.TextChoices):
    """The lowest education group a pool accepts: the first digit of GB/T 4658 codes."""

    POSTGRADUATE = "1", "研究生"
    BACHELOR = "2", "大学本科"
    JUNIOR_COLLEGE = "3", "大学专科"


class RankGroup(models.TextChoices):
    """The rank a pool level prepares for (GB/T 12407 groups, as reports count them)."""

    BUREAU = "bureau", "厅局级"
    DIVISION = "division", "县处级"
    SECTION = "section", "乡科级"


class Position(models.TextChoices):
    PRINCIPAL = "principal", "正职"
    DEPUTY = "deputy", "副职"


class Horizon(models.TextChoices):
    NEAR = "near", "近期"
    LONG = "long", "中长期"


class EntrySource(models.TextChoices):
    UNIT = "unit", "单位推荐"
    ORGANIZATION = "organization", "组织推荐"
    SURVEY = "survey", "调查发现"
    DOUBLE_HUNDRED = "double_hundred", "双百调查"
    SELF = "self", "个人自荐"
    OTHER = "other", "其他"


class ExitReason(models.TextChoices):
    PROMOTED = "promoted", "提拔使用"
    OVER_AGE = "over_age", "超龄"
    FAILED_ASSESSMENT = "failed_assessment", "考核不合格"
    TRANSFERRED = "transferred", "调离"
    PERSONAL = "personal", "本人原因"
    OTHER = "other", "其他"


class GradeSet(models.TextChoices):
    """Which grade set an assessment uses (CODES.md: 年度考核)."""

    CIVIL_SERVICE = "civil_service", "公务员（参公）"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"


GRADES_OF_SET = {
    GradeSet.CIVIL_SERVICE: CIVIL_SERVICE_GRADES,
    GradeSet.PUBLIC_INSTITUTION: PUBLIC_INSTITUTION_GRADES,
}
# Grades below standard: the year-end review lists who received one.
BELOW_STANDARD = (
    AssessmentGrade.BASICALLY_COMPETENT.value,
    AssessmentGrade.INCOMPETENT.value,
    AssessmentGrade.BASICALLY_QUALIFIED.value,
    AssessmentGrade.UNQUALIFIED.value,
)


class PracticeKind(models.TextChoices):
    SECONDMENT = "secondment", "挂职"
    EXCHANGE = "exchange", "交流"
    ROTATION = "rotation", "轮岗"
    DISPATCH = "dispatch", "下派"
    RESEARCH = "research", "主持调研"
    SEMINAR = "seminar", "专题研讨"


class PracticeResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Direction(models.TextChoices):
    INTERNAL = "internal", "内用"
    EXTERNAL = "external", "外举"


class RecommendationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "进行中"
    APPOINTED = "appointed", "已任用"
    STOPPED = "stopped", "已终止"


class StepRole(models.TextChoices):
    """What completing a step does besides moving on."""

    PLAIN = "plain", "一般步骤"
    VOTE = "vote", "民主推荐（记录票数）"
    APPOINT = "appoint", "任用（建立任职记录）"


class OpinionConclusion(models.TextChoices):
    AGREE = "agree", "同意"
    AGREE_BASICALLY = "agree_basically", "基本同意"
    DISAGREE = "disagree", "不同意"
    OTHER = "other", "其他"


class CandidateStatus(models.TextChoices):
    SURVEYING = "surveying", "考察中"
    LISTED = "listed", "初步人选"
    ENTERED = "entered", "已入库"
    DROPPED = "dropped", "未入选"


class ContactKind(models.TextChoices):
    PAIRING = "pairing", "结对子"
    SYMPOSIUM = "symposium", "座谈会"
    VISIT = "visit", "走访谈心"


class ReviewDecision(models.TextChoices):
    KEEP = "keep", "保留"
    EXIT = "exit", "出库"


def _end_after_start(name: str, start: str = "start", end: str = "end") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message="结束日期不能早于开始日期",
    )


class Recorded(models.Model):
    """Who recorded a step and when: every step of the pipeline is dated and attributed."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        abstract = True


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


class PoolEntryQuerySet(models.QuerySet):
    def active_on(self, on):
        return self.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)


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

    objects = PoolEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "入库记录"
        verbose_name_plural = "入库记录"
        ordering = ["pool", "-start", "pk"]
        constraints = [
            _end_after_start("pool_entry_end_after_start"),
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


# ---------------------------------------------------------------------------------------------
# Annual assessment, practice
# ---------------------------------------------------------------------------------------------


class AnnualAssessment(Recorded):
    """年度考核: one grade per person per year."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField("年度")
    grade_set = models.CharField(
        "等次类别",
        max_length=20,
        choices=GradeSet.choices,
        blank=True,
        help_text="优秀、不定等次、不进行考核两类通用，可不填",
    )
    grade = models.CharField("考核等次", max_length=20, choices=AssessmentGrade.choices)
    reason = models.CharField(
        "原因", max_length=300, blank=True, help_text="不定等次或不进行考核时必填"
    )
    unit = models.CharField("考核单位", max_length=200, blank=True)

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="assessment_once_a_year",
                violation_error_message="该人员这一年度已有考核结果",
            ),
            models.CheckConstraint(
                condition=~Q(grade__in=UNGRADED_OUTCOMES) | ~Q(reason=""),
                name="assessment_ungraded_has_reason",
                violation_error_message="不定等次或不进行考核须填写原因",
            ),
        ]
        indexes = [models.Index(fields=["year", "grade"])]

    def __str__(self):
        return f"{self.person} · {self.year} · {self.get_grade_display()}"

    def clean(self):
        super().clean()
        errors = {}
        if self.grade in UNGRADED_OUTCOMES and not self.reason.strip():
            errors["reason"] = f"{self.get_grade_display()}须填写原因"
        if self.grade and self.grade_set:
            allowed = GRADES_OF_SET[self.grade_set]
            if self.grade not in allowed and self.grade not in UNGRADED_OUTCOMES:
                labels = "、".join(AssessmentGrade(g).label for g in allowed)
                errors["grade"] = (
                    f"{self.get_grade_set_display()}的考核等次为 {labels}，"
                    f"不能是“{self.get_grade_display()}”"
                )
        if self.year and not 1950 <= self.year <= 2100:
            errors["year"] = "年度应为四位数的年份"
        if errors:
            raise ValidationError(errors)


def grade_set_of(grade: str) -> str:
    """The only set ``grade`` belongs to, or "" for 优秀 and the ungraded outcomes."""
    sets = [s for s, grades in GRADES_OF_SET.items() if grade in grades]
    return sets[0] if len(sets) == 1 else ""


class PracticeAssignment(Recorded):
    """实践锻炼: a practice posting or task, with its evaluation at the end."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="practice_assignments",
    )
    kind = models.CharField("类别", max_length=20, choices=PracticeKind.choices)
    place = models.CharField("锻炼单位或地点", max_length=200)
    from_unit = models.CharField("原单位及职务", max_length=200, blank=True)
    to_post = models.CharField("挂任或交流职务", max_length=200, blank=True)
    task = models.TextField("任务", blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    result = models.CharField("鉴定等次", max_length=20, choices=PracticeResult.choices, blank=True)
    evaluation = models.TextField("期满鉴定", blank=True)
    evaluated_on = models.DateField("鉴定日期", null=True, blank=True)

    class Meta:
        verbose_name = "实践锻炼"
        verbose_name_plural = "实践锻炼"
        ordering = ["person", "-start"]
        constraints = [_end_after_start("practice_end_after_start")]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.place}"

    def clean(self):
        super().clean()
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = "结束日期不能早于开始日期"
        if self.result and not self.evaluated_on:
            errors["evaluated_on"] = "填写鉴定等次时须填写鉴定日期"
        if self.evaluated_on and self.start and self.evaluated_on < self.start:
            errors["evaluated_on"] = "鉴定日期不能早于开始日期"
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# Recommendation and use
# ---------------------------------------------------------------------------------------------


class RecommendationStep(models.Model):
    """A step of recommendation (民主推荐 → 组织考察 → 讨论决定 → 公示 → 任用): rows, not code.

    Steps without an organization are the defaults; a committee that sets its own steps uses
    those for its subtree (the nearest committee above with steps wins).
    """

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="适用组织",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="留空为默认流程",
    )
    name = models.CharField("步骤名称", max_length=50)
    order = models.PositiveSmallIntegerField("顺序")
    role = models.CharField("作用", max_length=20, choices=StepRole.choices, default="plain")
    checks_training = models.BooleanField(
        "检查培训要求（不培训不上岗）",
        default=False,
        help_text="任用步骤总是检查；其他步骤勾选后也检查",
    )

    class Meta:
        verbose_name = "推荐步骤"
        verbose_name_plural = "推荐步骤"
        ordering = ["org__path", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "order"],
                name="step_unique_order",
                violation_error_message="同一流程中步骤顺序不能重复",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def checks(self) -> bool:
        return self.checks_training or self.role == StepRole.APPOINT


class Recommendation(Recorded):
    """推荐: proposing a person for a post, inside (内用) or outside (外举) the party."""

    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="推荐组织", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    direction = models.CharField("推荐类别", max_length=20, choices=Direction.choices)
    post_kind = models.CharField("职务类别", max_length=20, choices=PostKind.choices)
    title = models.CharField("拟任职务", max_length=100)
    target_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="任职组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="内用：委员会或支部委员会所在的组织",
    )
    unit = models.CharField("任职单位或机关", max_length=200, blank=True)
    rank = models.CharField("职务级别", max_length=3, choices=AdminRank.choices, blank=True)
    body = models.CharField(
        "政治安排类别", max_length=20, choices=PoliticalBody.choices, blank=True
    )
    level = models.CharField("层级", max_length=20, choices=PoliticalLevel.choices, blank=True)
    term = models.CharField("届次", max_length=50, blank=True)
    started_on = models.DateField("推荐日期")
    status = models.CharField(
        "状态",
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.IN_PROGRESS,
    )
    current_step = models.ForeignKey(
        RecommendationStep,
        verbose_name="当前步骤",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stopped_on = models.DateField("终止日期", null=True, blank=True)
    stop_reason = models.CharField("终止原因", max_length=300, blank=True)
    post = models.OneToOneField(
        "people.Post",
        verbose_name="任职记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation",
    )

    class Meta:
        verbose_name = "推荐"
        verbose_name_plural = "推荐"
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return f"{self.person} · {self.title}"

    @property
    def target(self) -> str:
        """Where the post is, in words."""
        if self.post_kind == PostKind.PARTY:
            return self.target_org.name if self.target_org else ""
        if self.post_kind == PostKind.POLITICAL:
            return f"{self.get_level_display()}{self.get_body_display()} {self.term}".strip()
        return self.unit

    def clean(self):
        super().clean()
        errors = {}
        if self.direction == Direction.INTERNAL and self.post_kind != PostKind.PARTY:
            errors["post_kind"] = "内用推荐的是会内职务（委员会或支部委员会成员）"
        if self.direction == Direction.EXTERNAL and self.post_kind not in (
            PostKind.GOVERNMENT,
            PostKind.POLITICAL,
        ):
            errors["post_kind"] = "外举推荐的是实职安排或政治安排"
        if self.post_kind == PostKind.GOVERNMENT and not self.unit.strip():
            errors["unit"] = "实职安排须填写任职单位或机关"
        # What the post itself requires (rank, body and level, the committee) is the Post's
        # own rule: the post 任用 creates must pass it.
        try:
            self.as_post().clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault("target_org" if name == "org" else name, messages)
        if errors:
            raise ValidationError(errors)

    def as_post(self, **fields):
        """The post this recommendation proposes (unsaved)."""
        return Post(
            person_id=self.person_id,
            kind=self.post_kind,
            title=self.title,
            org=self.target_org,
            unit=self.unit,
            rank=self.rank,
            body=self.body,
            level=self.level,
            term=self.term,
            **fields,
        )


class RecommendationEvent(Recorded):
    """A completed step of a recommendation: date, who, opinion, votes, document, and the
    reason given where the training rule only warned."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name="推荐", on_delete=models.CASCADE, related_name="events"
    )
    step = models.ForeignKey(
        RecommendationStep, verbose_name="步骤", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("日期")
    opinion = models.TextField("意见", blank=True)
    participants = models.PositiveIntegerField("参加人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("得票数", null=True, blank=True)
    document_no = models.CharField("文号", max_length=100, blank=True)
    rule_warning = models.CharField("规则提示", max_length=300, blank=True)
    warning_reason = models.TextField("坚持办理的理由", blank=True)

    class Meta:
        verbose_name = "推荐进程"
        verbose_name_plural = "推荐进程"
        ordering = ["recommendation", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rule_warning="") | ~Q(warning_reason=""),
                name="event_warning_has_reason",
                violation_error_message="规则提示须有书面理由",
            ),
            models.CheckConstraint(
                condition=Q(participants__isnull=True)
                | Q(votes_for__isnull=True)
                | Q(votes_for__lte=models.F("participants")),
                name="event_votes_not_more_than_participants",
                violation_error_message="得票数不能多于参加人数",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation} · {self.step}"


# ---------------------------------------------------------------------------------------------
# Contacts
# ---------------------------------------------------------------------------------------------


class Contact(Recorded):
    """联系交友: a pairing of a party leader with non-party cadres (结对子), a symposium
    (座谈会) or a visit."""

    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="所属组织", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("形式", max_length=20, choices=ContactKind.choices)
    on = models.DateField("日期", help_text="结对子为结对开始日期")
    end = models.DateField("结对结束日期", null=True, blank=True)
    leader = models.CharField("联系领导", max_length=100)
    leader_post = models.CharField("领导职务", max_length=100, blank=True)
    people = models.ManyToManyField(
        "people.Person", verbose_name="联系对象", related_name="contacts"
    )
    subject = models.CharField("主题", max_length=200)
    summary = models.TextField("情况记录", blank=True)

    class Meta:
        verbose_name = "联系交友"
        verbose_name_plural = "联系交友"
        ordering = ["-on", "-pk"]
        constraints = [_end_after_start("contact_end_after_start", start="on")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject}"
