"""Recommendation steps are settings: the system administrator keeps them in the back office
(系统管理 → 推荐步骤), the defaults and any committee's own, like the other rules changed without
code. They hold no personal data."""

from django.contrib import admin

from tongxin.accounts.roles import Cap

from .models import RecommendationStep


def _keeps_settings(request) -> bool:
    return request.user.is_superuser or Cap.MANAGE_USERS in request.user.capabilities()


@admin.register(RecommendationStep)
class RecommendationStepAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "order", "role", "checks_training"]
    list_filter = ["role", "checks_training"]
    list_editable = ["order", "checks_training"]
    ordering = ["org__path", "order"]
    autocomplete_fields = ["org"]

    def has_module_permission(self, request):
        return _keeps_settings(request)

    def has_view_permission(self, request, obj=None):
        return _keeps_settings(request)

    def has_change_permission(self, request, obj=None):
        return _keeps_settings(request)

    def has_add_permission(self, request):
        return _keeps_settings(request)

    def has_delete_permission(self, request, obj=None):
        return _keeps_settings(request)
