from django.conf import settings
from django.core.checks import Error, register

MIN_RETENTION_DAYS = 180


def retention_days() -> int:
    return int(getattr(settings, "TONGXIN_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))


@register()
def check_retention(app_configs, **kwargs):
    value = getattr(settings, "TONGXIN_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)
    if not isinstance(value, int) or value < MIN_RETENTION_DAYS:
        return [
            Error(
                f"审计日志保存期限 TONGXIN_AUDIT_RETENTION_DAYS={value!r} 不符合要求："
                f"须为不少于 {MIN_RETENTION_DAYS} 的整数（天）",
                hint="等保三级要求审计记录至少保存六个月；请调大该值或删去它以使用默认值 180。",
                id="tongxin.audit.E001",
            )
        ]
    return []
