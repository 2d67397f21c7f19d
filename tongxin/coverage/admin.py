"""The registry in the back office, for the superuser who corrects a record by hand. Saves go
through the same services as the pages and the import: the organization's own record through
``new_org_save``; its dated facts are shown here and deleted when entered by mistake, but added
and changed only on the organization's pages (coverage:party_form, mass, members …), whose
services keep each history's dates in order."""

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


class FactInline(SuperuserOnly, admin.TabularInline):
    """A dated fact: read and deleted here; recorded on the organization's pages."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FormInline(FactInline):
    model = PartyOrgForm
    autocomplete_fields = ["party_org"]


class MassInline(FactInline):
    model = MassOrganization


class MemberCountInline(FactInline):
    model = PartyMemberCount


class InstructorInline(FactInline):
    model = InstructorAssignment
    autocomplete_fields = ["person"]


class VisitInline(FactInline):
    model = InstructorVisit
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
