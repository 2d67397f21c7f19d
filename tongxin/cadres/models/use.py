"""Recommendation and use (steps as data, recommendations and their events) and contacts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.codes import AdminRank, PoliticalBody, PoliticalLevel, PostKind
from tongxin.people.models import Post

from .base import Recorded, end_after_start
from .choices import ContactKind, Direction, RecommendationStatus, StepRole

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
    recommending_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name="推荐单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="推荐人选的街道、行业党委或部委办局；留空为推荐组织本身",
    )
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
    def is_upward(self) -> bool:
        """向上推荐: the target is a higher body, outside the owner's subtree."""
        target = self.target_org
        return target is not None and not target.path.startswith(self.owner.path)

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
        constraints = [end_after_start("contact_end_after_start", start="on")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject}"
