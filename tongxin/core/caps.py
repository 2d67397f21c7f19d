"""Capabilities: what a page or service asks of the user's scope (``Scope.can``/``require``).

Which roles hold which is decided in tongxin.accounts.roles; apps below accounts (audit) ask for
a capability from here.
"""

from django.db import models


class Cap(models.TextChoices):
    """Capabilities: what a page or service asks for."""

    VIEW = "view", "查看范围内的记录"
    CHANGE = "change", "录入和修改范围内的记录（含导入）"
    EXPORT = "export", "导出范围内的记录"
    DASHBOARD = "dashboard", "查看统计和仪表盘"
    RECORD_ACTIVITY = "record_activity", "记录本支部活动"
    PROPOSE_CHANGE = "propose_change", "提出成员信息变更"
    MANAGE_USERS = "manage_users", "管理用户和系统设置"
    MANAGE_GRANTS = "manage_grants", "授予角色、管理范围和查看权限"
    VIEW_AUDIT = "view_audit", "查阅和导出审计日志"
