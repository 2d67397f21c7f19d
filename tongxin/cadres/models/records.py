"""Facts about a person: annual assessments and practice postings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.codes import UNGRADED_OUTCOMES, AssessmentGrade

from .base import Recorded, end_after_start
from .choices import GRADES_OF_SET, GradeSet, PracticeKind, PracticeResult

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
        constraints = [end_after_start("practice_end_after_start")]

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
