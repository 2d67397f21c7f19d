"""Audit events: what model changes do not show (logins, exports, reveals, imports).

Model changes themselves are django-auditlog's LogEntry rows (see registration.py). Neither kind
of row is ever changed or deleted by the application; only ``manage.py purge_audit`` removes
rows older than the retention period.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Event(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        LOCKOUT = "lockout", "账户锁定"
        EXPORT = "export", "导出"
        REVEAL = "reveal", "查看完整信息"
        IMPORT = "import", "导入"
        IMPORT_UNDO = "import_undo", "撤销导入"
        PURGE = "purge", "清理审计日志"
        PASSWORD_RESET = "password_reset", "重置密码"
        BACKUP = "backup", "备份"
        RESTORE = "restore", "恢复备份"

    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name at the time: a deleted user, or a failed login's attempted name, stays readable.
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    path = models.CharField("请求路径", max_length=500, blank=True)
    summary = models.TextField("摘要", blank=True)
    detail = models.JSONField("详情", default=dict, blank=True, encoder=DjangoJSONEncoder)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-time", "-pk"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计事件不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计事件不能删除，只能按保存期限由 purge_audit 命令清理")
