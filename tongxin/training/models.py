"""教育培训: classes, who was enrolled and came to each meeting, hours per person, training
taken elsewhere, and the rule 不培训不上岗 as data.

A person's training hours are never stored: they are the hours of the class meetings they
attended plus the hours of their external records (tongxin.training.selectors).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from tongxin.core.codes import PostKind


class ClassLevel(models.TextChoices):
    """Who runs the class: the party's own committees, the socialist academy, or another body."""

    OWN = "own", "自办"
    ACADEMY = "academy", "社会主义学院"
    OTHER = "other", "其他单位"


class ClassType(models.TextChoices):
    NEW_MEMBER = "new_member", "新成员培训班"
    YOUNG_BACKBONE = "young_backbone", "中青年骨干培训班"
    GRASSROOTS = "grassroots", "基层干部学习班"
    NON_PARTY = "non_party", "党外干部培训班"
    STUDY_TOUR = "study_tour", "考察学习"
    OTHER = "other", "其他培训"


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在学"
    COMPLETED = "completed", "已结业"
    NOT_COMPLETED = "not_completed", "未结业"
    WITHDREW = "withdrew", "中途退出"


class ResultGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class Enforcement(models.TextChoices):
    REFUSE = "refuse", "拒绝（不得推荐或任用）"
    WARN = "warn", "提醒（可以继续）"


HOURS = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0"))]}


class TrainingClass(models.Model):
    """培训班: a class held by an organization of the tree (its scope) on some days."""

    name = models.CharField("培训班名称", max_length=200)
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="举办组织",
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    organizer = models.CharField(
        "主办单位", max_length=200, blank=True, help_text="如社会主义学院；为空即举办组织"
    )
    level = models.CharField("办班类别", max_length=20, choices=ClassLevel.choices)
    class_type = models.CharField("培训类型", max_length=20, choices=ClassType.choices)
    start = models.DateField("开班日期")
    end = models.DateField("结业日期")
    hours = models.DecimalField("计划学时", **HOURS)
    place = models.CharField("培训地点", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="training_class_end_after_start",
                violation_error_message="结业日期不能早于开班日期",
            ),
        ]
        indexes = [models.Index(fields=["org", "start"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "结业日期不能早于开班日期"})

    @property
    def organizer_name(self) -> str:
        return self.organizer or self.org.name


class ClassSession(models.Model):
    """One meeting of a class (一次课): its date and hours. Attendance is taken per meeting."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name="培训班", on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField("上课日期")
    hours = models.DecimalField(
        "学时", max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    topic = models.CharField("课程内容", max_length=200, blank=True)
    # Set when the sheet is saved: a meeting in the past without it is a to-do of the workbench.
    recorded_at = models.DateTimeField("考勤记录时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考勤记录人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "课次"
        verbose_name_plural = "课次"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="class_session_hours_positive",
                violation_error_message="学时须大于 0",
            ),
        ]

    def __str__(self):
        return f"{self.training_class} · {self.date:%Y-%m-%d}"


class Enrollment(models.Model):
    """A person enrolled in a class (学员), with completion and result."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name="培训班", on_delete=models.CASCADE, related_name="enrollments"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="学员",
        on_delete=models.CASCADE,
        related_name="training_enrollments",
    )
    enrolled_on = models.DateField("报名日期")
    status = models.CharField(
        "结业情况",
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
    )
    completed_on = models.DateField("结业日期", null=True, blank=True)
    result = models.CharField("考核结果", max_length=20, choices=ResultGrade.choices, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "学员"
        verbose_name_plural = "学员"
        ordering = ["training_class", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"],
                name="enrollment_once_per_class",
                violation_error_message="此人已在该培训班的学员名单中",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="enrollment_completed_has_date",
                violation_error_message="已结业的学员须有结业日期",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.person} · {self.training_class}"


class Attendance(models.Model):
    """Whether an enrolled person came to one meeting. Only 出席 earns the meeting's hours."""

    session = models.ForeignKey(
        ClassSession, verbose_name="课次", on_delete=models.CASCADE, related_name="attendance"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField("出勤", max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = "考勤"
        verbose_name_plural = "考勤"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"],
                name="attendance_once_per_session",
                violation_error_message="该学员本次课的考勤已记录",
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "status"])]

    def __str__(self):
        return f"{self.enrollment.person} · {self.session} · {self.get_status_display()}"


class ExternalTraining(models.Model):
    """Training a person took outside the classes recorded here (上级或其他单位举办), with hours."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="external_trainings",
    )
    name = models.CharField("培训名称", max_length=200)
    organizer = models.CharField("举办单位", max_length=200)
    class_type = models.CharField(
        "培训类型",
        max_length=20,
        choices=ClassType.choices,
        blank=True,
        help_text="结业并计入「不培训不上岗」要求时填写",
    )
    level = models.CharField("办班类别", max_length=20, choices=ClassLevel.choices, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    hours = models.DecimalField("学时", **HOURS)
    certificate_no = models.CharField("结业证书编号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "外部培训记录"
        verbose_name_plural = "外部培训记录"
        ordering = ["person", "-end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="external_training_end_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
        ]
        indexes = [models.Index(fields=["person", "end"])]

    def __str__(self):
        return f"{self.person} · {self.name}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期"})


def split_titles(text: str) -> list[str]:
    """The titles of a requirement, written one after another with 、，, ; or spaces."""
    for sep in "、，,；; \n":
        text = text.replace(sep, "\t")
    return [t.strip() for t in text.split("\t") if t.strip()]


class TrainingRequirement(models.Model):
    """不培训不上岗 for one kind of post: the training a person must have completed before being
    recommended or appointed, and whether breaking the rule is refused or only warned.

    Kept by an administrator in the back office; read by
    ``tongxin.training.selectors.training_requirement_check``.
    """

    name = models.CharField("规则名称", max_length=100, unique=True)
    post_kind = models.CharField("职务类别", max_length=20, choices=PostKind.choices)
    titles = models.CharField(
        "适用职务名称",
        max_length=300,
        blank=True,
        help_text="多个职务用顿号分隔，如「支部主委、支部副主委」；为空则适用于该类别的所有职务",
    )
    class_types = models.JSONField(
        "须结业的培训类型",
        default=list,
        blank=True,
        help_text="在统计年限内结业于其中任一类型的培训班（或有同类外部培训记录）；不选则不要求",
    )
    min_hours = models.DecimalField(
        "最低学时", default=Decimal("0"), help_text="统计年限内累计学时；0 为不要求", **HOURS
    )
    within_years = models.PositiveSmallIntegerField(
        "统计年限（年）", null=True, blank=True, help_text="为空则不限年限"
    )
    enforcement = models.CharField(
        "违反时", max_length=10, choices=Enforcement.choices, default=Enforcement.REFUSE
    )
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "不培训不上岗规则"
        verbose_name_plural = "不培训不上岗规则"
        ordering = ["post_kind", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = [t for t in self.class_types or [] if t not in ClassType.values]
        if unknown:
            raise ValidationError({"class_types": f"未知的培训类型：{'、'.join(unknown)}"})
        if not self.class_types and not self.min_hours:
            raise ValidationError("请至少规定一项要求：须结业的培训类型，或最低学时")

    def title_list(self) -> list[str]:
        return split_titles(self.titles)

    def applies_to(self, *, post_kind: str, title: str) -> bool:
        if self.post_kind != post_kind:
            return False
        titles = self.title_list()
        return not titles or title.strip() in titles

    def class_type_labels(self) -> list[str]:
        return [ClassType(t).label for t in self.class_types if t in ClassType.values]
