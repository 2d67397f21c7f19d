from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("name", "email")}),
        ("管理范围", {"fields": ("scope_nodes",)}),
        (
            "权限",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("登录安全", {"fields": ("must_change_password", "password_changed_at")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "name", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["scope_nodes"]
