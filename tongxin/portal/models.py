"""The members' side (成员服务): member accounts, notices and materials with read receipts,
sign-ups, correction requests and drafts of 参政议政 work.

A member account links one ``people.Person`` to one ``accounts.User`` that holds no staff role;
accounts sits below people and cannot hold the link, so it lives here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MemberAccount(models.Model):
    """成员账号: a member's own login. Issued with a one-time code (``code_hash``) that the branch
    chair or staff hands out; the member activates it by choosing a user name and a password."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name="成员",
        on_delete=models.CASCADE,
        related_name="member_account",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账户",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_account",
    )
    # A keyed hash of the one-time code; blank once used.
    code_hash = models.CharField("激活码哈希", max_length=64, blank=True, db_index=True)
    code_expires_at = models.DateTimeField("激活码有效期至", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发放人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("发放时间", default=timezone.now)
    activated_at = models.DateTimeField("激活时间", null=True, blank=True)

    class Meta:
        verbose_name = "成员账号"
        verbose_name_plural = "成员账号"
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return f"{self.person} 的成员账号"

    @property
    def is_active(self) -> bool:
        return self.user_id is not None


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "通知"
    MATERIAL = "material", "学习资料"
    ACTIVITY = "activity", "活动预告"


class Audience(models.TextChoices):
    SUBTREE = "subtree", "组织及下级组织的全体成员"
    LIST = "list", "名册筛选"


class Notice(models.Model):
    """通知 · 学习资料 · 活动预告, published to the members of the subtree at ``org``, or to
    the list of members a roster filter showed at publication (``recipients``; ``org`` is then
    the filter's node)."""

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="发布范围",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="该组织及其全部下级组织的成员可以看到",
    )
    kind = models.CharField("类别", max_length=20, choices=NoticeKind.choices)
    audience = models.CharField(
        "发布对象", max_length=10, choices=Audience.choices, default=Audience.SUBTREE
    )
    # The roster filter of a list, in words, as it was at publication.
    audience_note = models.CharField("名册筛选条件", max_length=500, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    event_date = models.DateField("活动日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    # A material's file, checked by content (tongxin.portal.materials), under MEDIA_ROOT.
    file = models.CharField("文件", max_length=200, blank=True, editable=False)
    file_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    # The activity recorded from an announcement's sign-ups (branchwork keeps attendance).
    activity = models.ForeignKey(
        "branchwork.Activity",
        verbose_name="活动记录",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="activity") | Q(event_date__isnull=False),
                name="portal_activity_notice_has_date",
                violation_error_message="活动预告须填写活动日期",
            ),
        ]

    def __str__(self):
        return self.title


class NoticeRecipient(models.Model):
    """A member of a notice's list, fixed at publication: a later change of the roster does
    not change who received it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "通知接收人"
        verbose_name_plural = "通知接收人"
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="portal_recipient_once"),
        ]

    def __str__(self):
        return f"{self.notice} → {self.person}"


class NoticeRead(models.Model):
    """A read receipt: shown to the publisher only, never ranked."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", default=timezone.now)

    class Meta:
        verbose_name = "阅读回执"
        verbose_name_plural = "阅读回执"
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="portal_read_once"),
        ]

    def __str__(self):
        return f"{self.person} 已读 {self.notice}"


class SignUp(models.Model):
    """报名: a member signing up for an announced activity or for a training class. A class's
    sign-up is its enrolment (training); an activity's feeds its expected attendance."""

    person = models.ForeignKey(
        "people.Person", verbose_name="成员", on_delete=models.CASCADE, related_name="+"
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name="活动预告",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signups",
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name="培训班",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("报名时间", default=timezone.now)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice__isnull=False, training_class__isnull=True)
                | Q(notice__isnull=True, training_class__isnull=False),
                name="portal_signup_one_target",
                violation_error_message="报名须对应一个活动或一个培训班",
            ),
            models.UniqueConstraint(
                fields=["person", "notice"],
                condition=Q(notice__isnull=False),
                name="portal_signup_once_per_notice",
                violation_error_message="您已报名该活动",
            ),
            models.UniqueConstraint(
                fields=["person", "training_class"],
                condition=Q(training_class__isnull=False),
                name="portal_signup_once_per_class",
                violation_error_message="您已报名该培训班",
            ),
        ]

    def __str__(self):
        return f"{self.person} 报名 {self.notice or self.training_class}"


class CorrectionState(models.TextChoices):
    CHAIR = "chair", "待支部审核"
    STAFF = "staff", "待组织部审核"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class CorrectionRequest(models.Model):
    """信息更正申请: a member's proposed change to their own non-identity fields, reviewed by
    the branch chair and then staff. ``changes`` maps each field to ``[before, after]``."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="成员",
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    changes = models.JSONField("更正内容")
    note = models.CharField("说明", max_length=300, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=CorrectionState.choices, default=CorrectionState.CHAIR
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    chair_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="支部审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair_at = models.DateTimeField("支部审核时间", null=True, blank=True)
    chair_opinion = models.CharField("支部意见", max_length=300, blank=True)
    staff_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组织部审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    staff_at = models.DateTimeField("组织部审核时间", null=True, blank=True)
    reason = models.CharField("未采纳理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "信息更正申请"
        verbose_name_plural = "信息更正申请"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reason=""),
                name="portal_rejected_has_reason",
                violation_error_message="未采纳须写明理由",
            ),
        ]

    def __str__(self):
        return f"{self.person} 的信息更正申请（{self.get_state_display()}）"


class IdentityCorrection(models.Model):
    """A staff correction of a locked identity field, with its written reason; the audit log
    keeps the record's change beside it."""

    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="+"
    )
    fields = models.CharField("更正项目", max_length=100)
    reason = models.CharField("更正理由", max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("更正时间", default=timezone.now)

    class Meta:
        verbose_name = "身份信息更正"
        verbose_name_plural = "身份信息更正"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.person} 的{self.fields}更正"


class DraftState(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待组织部处理"
    TAKEN = "taken", "已转为参政议政成果"
    RETURNED = "returned", "已退回"


class Draft(models.Model):
    """A member's 社情民意 or proposal draft; staff take it forward as a branchwork
    ``Contribution`` and the member follows its adoption ladder."""

    person = models.ForeignKey(
        "people.Person", verbose_name="成员", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        "类别",
        max_length=20,
        choices=[("social_report", "社情民意信息"), ("proposal", "提案")],
    )
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容")
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    state = models.CharField(
        "状态", max_length=10, choices=DraftState.choices, default=DraftState.SUBMITTED
    )
    contribution = models.OneToOneField(
        "branchwork.Contribution",
        verbose_name="参政议政成果",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.CharField("退回理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "参政议政稿件"
        verbose_name_plural = "参政议政稿件"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(reason=""),
                name="portal_returned_has_reason",
                violation_error_message="退回须写明理由",
            ),
        ]

    def __str__(self):
        return self.title
