"""The back office (后台) is for the two administrators who manage accounts: the system
administrator (users) and the security administrator (roles, scope nodes, the reveal
permission). Business users and the audit administrator have their own pages."""

from django.contrib import admin

from .roles import Cap

ADMIN_CAPS = frozenset({Cap.MANAGE_USERS, Cap.MANAGE_GRANTS})


class TongxinAdminSite(admin.AdminSite):
    site_header = "同心 · 后台管理"
    site_title = "同心后台"
    index_title = "系统管理"

    def has_permission(self, request):
        user = request.user
        return bool(
            user.is_authenticated
            and user.is_active
            and (user.is_superuser or user.capabilities() & ADMIN_CAPS)
        )
