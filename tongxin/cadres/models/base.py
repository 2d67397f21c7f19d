"""What several cadres models share."""

from django.conf import settings
from django.db import models
from django.db.models import Q


def end_after_start(name: str, start: str = "start", end: str = "end") -> models.CheckConstraint:
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
