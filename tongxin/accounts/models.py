from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from . import roles


class User(AbstractUser):
    """A Tongxin user. Chinese names are not first + last: one ``name`` field."""

    name = models.CharField("姓名", max_length=50, blank=True)
    first_name = None
    last_name = None
    scope_nodes = models.ManyToManyField(
        "orgs.Organization",
        verbose_name="管理范围",
        blank=True,
        related_name="+",
        help_text="用户可以查看和管理这些组织及其全部下级",
    )
    must_change_password = models.BooleanField(
        "须修改密码", default=True, help_text="新建的账户在首次登录时须修改密码"
    )
    # The manager's create_user sets the hash without set_password: a new account's password
    # dates from the account.
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username

    def scope_paths(self) -> list[str]:
        return list(self.scope_nodes.values_list("path", flat=True))

    def capabilities(self) -> frozenset[str]:
        return roles.capabilities_of(self)

    def works_on_records(self) -> bool:
        return roles.works_on_records(self)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password):
        # A hash upgraded to the current hasher at login is not a change of the password.
        changed_at = self.password_changed_at
        try:
            return super().check_password(raw_password)
        finally:
            self.password_changed_at = changed_at

    def password_expired_days(self, now=None) -> int:
        """Whole days (a started day counts) since the password expired; 0 if it has not."""
        max_age = settings.TONGXIN_PASSWORD_MAX_AGE_DAYS
        if max_age <= 0:
            return 0
        overdue = (now or timezone.now()) - (self.password_changed_at + timedelta(days=max_age))
        if overdue <= timedelta(0):
            return 0
        return overdue.days + (1 if overdue % timedelta(days=1) else 0)


class PasswordReset(models.Model):
    """A password reset of an administrator account, asked by one administrator and applied
    only when another approves it (tongxin.accounts.services: reset_password,
    approve_password_reset). The new password waits here as a hash."""

    class State(models.TextChoices):
        PENDING = "pending", "待批准"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "已拒绝"
        SUPERSEDED = "superseded", "已被新申请取代"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账户",
        on_delete=models.CASCADE,
        related_name="password_resets",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    reason = models.CharField("原因", max_length=200)
    password = models.CharField("新密码（哈希）", max_length=128)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准或拒绝人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "密码重置申请"
        verbose_name_plural = "密码重置申请"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.user} 的密码重置申请（{self.get_state_display()}）"
