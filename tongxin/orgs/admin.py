from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from tongxin.accounts.admin_site import SettingsAdminPermissions

from .models import Organization, OrganizationCategory, OrganizationKind


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "code", "kind", "established", "dissolved"]
    list_filter = ["kind", "categories", "dissolved"]
    search_fields = ["name", "short_name", "code"]
    filter_horizontal = ["categories"]


@admin.register(OrganizationCategory)
class OrganizationCategoryAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(OrganizationKind)
class OrganizationKindAdmin(SettingsAdminPermissions, admin.ModelAdmin):
    """The system administrator adds kinds (街道党工委, 部委办局 …). A kind's code and name are
    stored on organizations and are statistics keys and import values: they are never changed
    once saved, and a kind is never deleted."""

    list_display = ["name", "code", "order"]
    ordering = ["order", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "name"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False
