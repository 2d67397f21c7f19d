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


class SettingsAdminPermissions:
    """A ModelAdmin mixin for rules that hold no personal data (reward rules, procedures …):
    the system administrator (管理用户和系统设置) and superusers keep them."""

    def _may_keep_settings(self, request) -> bool:
        return request.user.is_superuser or Cap.MANAGE_USERS in request.user.capabilities()

    def has_module_permission(self, request):
        return self._may_keep_settings(request)

    def has_view_permission(self, request, obj=None):
        return self._may_keep_settings(request)

    def has_change_permission(self, request, obj=None):
        return self._may_keep_settings(request)

    def has_add_permission(self, request, obj=None):
        return self._may_keep_settings(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_keep_settings(request)
