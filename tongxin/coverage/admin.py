"""The registry in the back office, for the superuser who corrects a record by hand. Saves go
through the same services as the pages and the import."""

from django.contrib import admin

from . import services
from .models import (
    InstructorAssignment,
    InstructorVisit,
    MassOrganization,
    NewOrganization,
    PartyMemberCount,
    PartyOrgForm,
)


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class FormInline(SuperuserOnly, admin.TabularInline):
    model = PartyOrgForm
    extra = 0
    autocomplete_fields = ["party_org"]


class MassInline(SuperuserOnly, admin.TabularInline):
    model = MassOrganization
    extra = 0


class MemberCountInline(SuperuserOnly, admin.TabularInline):
    model = PartyMemberCount
    extra = 0


class InstructorInline(SuperuserOnly, admin.TabularInline):
    model = InstructorAssignment
    extra = 0
    autocomplete_fields = ["person"]


class VisitInline(SuperuserOnly, admin.TabularInline):
    model = InstructorVisit
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(NewOrganization)
class NewOrganizationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "area", "industry", "above_size", "deregistered"]
    list_filter = ["kind", "above_size"]
    search_fields = ["name", "credit_code", "industry"]
    autocomplete_fields = ["area"]
    inlines = [FormInline, MassInline, MemberCountInline, InstructorInline, VisitInline]

    def save_model(self, request, obj, form, change):
        services.new_org_save(new_org=obj)
