"""The non-party cadre work plan (党外干部队伍建设规划): targets for the figures of the
``non_party_cadres`` section, whose progress at any date is read from the same figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tongxin.core.codes import RANK_GROUPS

from .choices import RankGroup

# The figures a target can name: the section's leaves (tongxin.cadres.nonparty_stats), as
# "key" or "key.group", with the name the plan's page shows.
_GROUPS = list(RANK_GROUPS)
TARGET_FIGURES: list[tuple[str, str]] = [
    ("files", "党外干部和人才档案（人）"),
    *((f"leaders.{g}", f"{g}党外实职领导干部（人）") for g in _GROUPS),
    *((f"principal.{g}", f"{g}党外实职正职（人）") for g in _GROUPS),
    *((f"reserves.{label}", f"{label}党外后备干部（人）") for _v, label in RankGroup.choices),
    ("young", "党外优秀青年干部（人）"),
    ("talent", "专业人才库（人）"),
    ("entered", "规划期内推荐入库（人次）"),
    ("recommending_units", "推荐单位（个）"),
    *((f"appointed.{g}", f"规划期内新任{g}实职（人次）") for g in _GROUPS),
]


class NonPartyPlan(models.Model):
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="所属组织", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=100)
    start = models.DateField("规划起始日期")
    end = models.DateField("规划截止日期")
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "党外干部工作规划"
        verbose_name_plural = "党外干部工作规划"
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="nonparty_plan_end_after_start",
                violation_error_message="规划截止日期不能早于起始日期",
            )
        ]

    def __str__(self):
        return self.title


class NonPartyTarget(models.Model):
    plan = models.ForeignKey(
        NonPartyPlan, verbose_name="规划", on_delete=models.CASCADE, related_name="targets"
    )
    figure = models.CharField("指标", max_length=40, choices=TARGET_FIGURES)
    value = models.PositiveIntegerField("目标值")

    class Meta:
        verbose_name = "规划指标"
        verbose_name_plural = "规划指标"
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "figure"],
                name="nonparty_target_once",
                violation_error_message="同一规划中指标不能重复",
            )
        ]

    def __str__(self):
        return f"{self.plan} · {self.get_figure_display()} {self.value}"
