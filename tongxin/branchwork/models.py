"""Branch building (基层建设) and political participation (参政议政).

Liaison (联系基层): leaders and staff assigned to branches, and their visits. Activities (支部活动)
with who was expected and who came. Contributions (参政议政成果) with the rungs of their adoption
ladder (采用 · 批示), and the reward rules (奖励办法) that turn them into points.

Every record hangs off an organization of the tree, through which the scope reaches it: an
activity, an assignment and a visit through their ``org``; a contribution through its authors'
organizations (a member author is credited to the organization they belonged to on the day).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.dated import DatedQuerySet


class ActivityKind(models.TextChoices):
    """Kinds of branch activity. 支委会 and 支部大会 are recorded here too: the branch rubric
    counts committee meetings (CODES.md)."""

    STUDY = "study", "学习"
    INSPECTION = "inspection", "考察"
    SOCIAL_SERVICE = "social_service", "社会服务"
    FELLOWSHIP = "fellowship", "联谊"
    FORUM = "forum", "座谈"
    THEME = "theme", "主题活动"
    COMMITTEE_MEETING = "committee_meeting", "支委会"
    GENERAL_MEETING = "general_meeting", "支部大会"
    OTHER = "other", "其他"


class ContributionKind(models.TextChoices):
    PROPOSAL = "proposal", "提案"
    SOCIAL_REPORT = "social_report", "社情民意信息"
    PLENARY_SPEECH = "plenary_speech", "大会发言"
    RESEARCH = "research", "调研课题"
    ARTICLE = "article", "理论文章"
    PUBLICITY = "publicity", "宣传信息"


class AdoptionRung(models.TextChoices):
    """The rungs of the adoption ladder, lowest first. A contribution reaches each rung at most
    once; rungs can be skipped (a report may go straight to the party centre)."""

    COLLECTIVE = "collective", "采纳为集体提案"
    KEY = "key", "列为重点提案或大会发言"
    CITY = "city", "市委会采用"
    PROVINCE = "province", "省委会或统战部采用"
    CENTRE = "centre", "党派中央采用"
    NATIONAL_CPPCC = "national_cppcc", "全国政协采用"
    INSTRUCTION_CITY = "instruction_city", "市级领导批示"
    INSTRUCTION_PROVINCE = "instruction_province", "省部级领导批示"
    INSTRUCTION_NATIONAL = "instruction_national", "国家领导人批示"


# The rungs in ladder order, for display and for "the highest rung reached".
RUNG_ORDER = {value: index for index, value in enumerate(AdoptionRung.values)}


class AuthorRole(models.TextChoices):
    AUTHOR = "author", "作者"
    CO_SIGNER = "co_signer", "联名人"


class Recorded(models.Model):
    """Who recorded it, and when."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        abstract = True


# --- liaison ---------------------------------------------------------------------------------


class LiaisonAssignment(models.Model):
    """A leader or staff member assigned to liaise with one organization for a period.

    The liaison is an account (``user``), a person of the roster (``person``, a committee leader)
    or both."""

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="联系的组织",
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联系人（用户）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_assignments",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="联系人（人员）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_assignments",
    )
    title = models.CharField("联系人职务", max_length=100, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "联系基层安排"
        verbose_name_plural = "联系基层安排"
        ordering = ["org", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False),
                name="liaison_has_someone",
                violation_error_message="须选择联系人（用户或人员）",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="liaison_end_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
        ]

    def __str__(self):
        return f"{self.liaison_name} 联系 {self.org}"

    @property
    def liaison_name(self) -> str:
        if self.person_id:
            return self.person.name
        return self.user.name or self.user.get_username()

    def active_on(self, on) -> bool:
        return self.start <= on and (self.end is None or self.end > on)

    def clean(self):
        super().clean()
        if self.user_id is None and self.person_id is None:
            raise ValidationError({"person": "须选择联系人（用户或人员）"})
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期"})


class LiaisonVisit(Recorded):
    """A visit to an organization: what was discussed, what problems were raised, what follows."""

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="走访的组织",
        on_delete=models.PROTECT,
        related_name="liaison_visits",
    )
    assignment = models.ForeignKey(
        LiaisonAssignment,
        verbose_name="联系人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    date = models.DateField("走访日期")
    visitors = models.CharField("参加人员", max_length=200, blank=True)
    topics = models.TextField("交流内容")
    problems = models.TextField("反映的问题", blank=True)
    follow_up = models.TextField("跟进落实", blank=True)
    follow_up_done = models.DateField("落实日期", null=True, blank=True)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} 走访 {self.org}"

    def clean(self):
        super().clean()
        if self.follow_up_done and self.date and self.follow_up_done < self.date:
            raise ValidationError({"follow_up_done": "落实日期不能早于走访日期"})


# --- activities ------------------------------------------------------------------------------


class Activity(Recorded):
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="组织",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    date = models.DateField("活动日期")
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200)
    place = models.CharField("地点", max_length=200, blank=True)
    partners = models.CharField(
        "合作单位", max_length=300, blank=True, help_text="多个单位用顿号（、）分隔"
    )
    summary = models.TextField("活动纪要", blank=True)
    attendees = models.ManyToManyField(
        "people.Person", through="Attendance", related_name="activities", verbose_name="参加人员"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "支部活动"
        verbose_name_plural = "支部活动"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["org", "date"]),
            models.Index(fields=["kind", "date"]),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class Attendance(models.Model):
    """One member on an activity's list: expected (应到), present (实到), or both."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="attendance"
    )
    expected = models.BooleanField("应到", default=True)
    present = models.BooleanField("实到", default=False)

    class Meta:
        verbose_name = "活动出勤"
        verbose_name_plural = "活动出勤"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="attendance_once_per_activity",
                violation_error_message="同一人在一次活动中只能登记一次",
            ),
            models.CheckConstraint(
                condition=Q(expected=True) | Q(present=True),
                name="attendance_expected_or_present",
                violation_error_message="出勤记录须为应到或实到",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.activity}"


class ActivityPhoto(models.Model):
    """A photo of an activity, stored under MEDIA_ROOT and served only through the scope
    (views.photo), never by a public URL."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.CharField("文件", max_length=200, editable=False)
    thumbnail = models.CharField("缩略图", max_length=200, editable=False)
    content_type = models.CharField("类型", max_length=50, editable=False)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["activity", "pk"]

    def __str__(self):
        return self.original_name


# --- political participation -----------------------------------------------------------------


class Contribution(Recorded):
    """A political-participation output (参政议政成果) and, through ``adoptions``, how far up the
    ladder it climbed."""

    kind = models.CharField("类别", max_length=20, choices=ContributionKind.choices)
    title = models.CharField("标题", max_length=300)
    submitted_on = models.DateField("报送日期")
    channel = models.CharField(
        "报送渠道", max_length=100, blank=True, help_text="如：市政协提案、盟市委信息专报"
    )
    reference = models.CharField("编号", max_length=100, blank=True, help_text="提案号、期号等")
    is_collective = models.BooleanField(
        "集体提案", default=False, help_text="以组织名义提出的提案；个人提案可有联名人"
    )
    other_co_signers = models.CharField(
        "其他联名人", max_length=300, blank=True, help_text="名册以外的联名人，用顿号（、）分隔"
    )
    summary = models.TextField("内容摘要", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "参政议政成果"
        verbose_name_plural = "参政议政成果"
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["kind", "submitted_on"])]

    def __str__(self):
        return self.title


class ContributionAuthor(models.Model):
    """An author or co-signer: a member (credited to ``org``, the organization they belonged to
    on the day it was submitted) or an organization itself (``person`` empty)."""

    contribution = models.ForeignKey(
        Contribution, verbose_name="成果", on_delete=models.CASCADE, related_name="authors"
    )
    role = models.CharField(
        "身份", max_length=20, choices=AuthorRole.choices, default=AuthorRole.AUTHOR
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contribution_authorships",
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="组织",
        on_delete=models.PROTECT,
        related_name="contribution_authorships",
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "成果作者"
        verbose_name_plural = "成果作者"
        ordering = ["contribution", "role", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "person"],
                condition=Q(person__isnull=False),
                name="contribution_person_once",
                violation_error_message="同一人在一项成果中只能出现一次",
            ),
            models.UniqueConstraint(
                fields=["contribution", "org"],
                condition=Q(person__isnull=True),
                name="contribution_org_once",
                violation_error_message="同一组织在一项成果中只能出现一次",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self):
        return self.person.name if self.person_id else self.org.name

    @property
    def name(self) -> str:
        return self.person.name if self.person_id else self.org.display_name


class Adoption(models.Model):
    """One rung of a contribution's ladder: adopted by a body, or instructed on by a leader."""

    contribution = models.ForeignKey(
        Contribution, verbose_name="成果", on_delete=models.CASCADE, related_name="adoptions"
    )
    rung = models.CharField("采用或批示", max_length=30, choices=AdoptionRung.choices)
    on = models.DateField("日期")
    document = models.CharField(
        "文件", max_length=200, help_text="采用文件、刊物期号或批示文号，如《社情民意》第12期"
    )
    body = models.CharField(
        "采用单位或批示领导", max_length=200, blank=True, help_text="如：全国政协办公厅"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "采用与批示"
        verbose_name_plural = "采用与批示"
        ordering = ["contribution", "on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "rung"],
                name="adoption_rung_once",
                violation_error_message="这项成果已记录过这一级采用或批示",
            )
        ]
        indexes = [models.Index(fields=["rung", "on"])]

    def __str__(self):
        return f"{self.contribution} · {self.get_rung_display()}"

    @property
    def order(self) -> int:
        return RUNG_ORDER[self.rung]


class RewardRule(models.Model):
    """Points for one kind of contribution at one rung (blank rung: for submitting it), in force
    from ``year`` until a later rule for the same kind and rung. A contribution earns the points
    of every rung it reaches, each in the year it reached it (added up the ladder)."""

    year = models.PositiveSmallIntegerField("起始年度")
    kind = models.CharField("成果类别", max_length=20, choices=ContributionKind.choices)
    rung = models.CharField(
        "采用或批示",
        max_length=30,
        choices=AdoptionRung.choices,
        blank=True,
        help_text="留空表示报送即得的分数",
    )
    points = models.PositiveSmallIntegerField("分值")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "奖励办法"
        verbose_name_plural = "奖励办法"
        ordering = ["kind", "rung", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "rung"],
                name="reward_rule_once_a_year",
                violation_error_message="这一年度已有同类别、同一级的奖励规则",
            )
        ]

    def __str__(self):
        rung = self.get_rung_display() if self.rung else "报送"
        return f"{self.year}年起 {self.get_kind_display()} · {rung} {self.points} 分"
