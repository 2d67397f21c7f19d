from django.contrib import admin

from tongxin.accounts.admin_site import SettingsAdminPermissions

from .models import ReportSentence
from .report import stored


@admin.register(ReportSentence)
class ReportSentenceAdmin(SettingsAdminPermissions, admin.ModelAdmin):
    """The system administrator keeps the yearly work report's sentences: the default set and
    a party's own. Saving checks every key the template names (ReportSentence.clean). A
    default is switched off (启用), never deleted: it would be stored again on the next report."""

    list_display = [
        "slot",
        "part",
        "topic",
        "party",
        "when_missing",
        "active",
        "order",
        "as_shipped",
    ]
    list_filter = ["part", "party", "active"]
    search_fields = ["slot", "text", "topic"]
    ordering = ["part", "order", "party"]

    @admin.display(description="与程序默认一致", boolean=True)
    def as_shipped(self, obj):
        """Unedited defaults follow the code's new versions; edited ones are kept (stored)."""
        return stored.unedited(obj) if not obj.party else None

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.party:
            return False
        return super().has_delete_permission(request, obj)
