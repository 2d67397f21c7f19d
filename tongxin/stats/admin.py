from django.contrib import admin

from tongxin.accounts.admin_site import SettingsAdminPermissions

from .models import ReportSentence


@admin.register(ReportSentence)
class ReportSentenceAdmin(SettingsAdminPermissions, admin.ModelAdmin):
    """The system administrator keeps the yearly work report's sentences: the default set and
    a party's own. Saving checks every key the template names (ReportSentence.clean). A
    default is switched off (启用), never deleted: it would be stored again on the next report."""

    list_display = ["slot", "part", "topic", "party", "when_missing", "active", "order"]
    list_filter = ["part", "party", "active"]
    search_fields = ["slot", "text", "topic"]
    ordering = ["part", "order", "party"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.party:
            return False
        return super().has_delete_permission(request, obj)
