from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Organization, OrganizationCategory


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
