"""The back office's part of 组织发展: the procedures and their rules, edited by the system
administrator (管理用户和系统设置) — rows, not code. No personal data is shown here."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from tongxin.accounts.admin_site import SettingsAdminPermissions

from . import services
from .models import Procedure, Programme, Rule, Step


class StepInline(SettingsAdminPermissions, admin.TabularInline):
    model = Step
    extra = 0
    fields = ["order", "name", "kind", "required", "with_vote", "help_text"]


class RuleInline(SettingsAdminPermissions, admin.StackedInline):
    model = Rule
    extra = 0
    fields = [
        ("name", "kind", "active"),
        ("step", "since_step"),
        ("number", "strictly_more", "blocking"),
        "values",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the steps of the procedure being edited.
        if db_field.name in ("step", "since_step"):
            procedure_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Step.objects.filter(procedure_id=procedure_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Procedure)
class ProcedureAdmin(SettingsAdminPermissions, admin.ModelAdmin):
    list_display = ["name", "party", "org", "valid_from", "seniority_from"]
    list_filter = ["party", "seniority_from"]
    search_fields = ["name"]
    autocomplete_fields = ["org"]
    inlines = [StepInline, RuleInline]
    actions = ["copy"]

    @admin.action(description="复制所选程序（含步骤和规则），以便按党派或组织修改")
    def copy(self, request, queryset):
        for procedure in queryset:
            try:
                services.procedure_copy(procedure=procedure)
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
                return
        self.message_user(request, f"已复制 {queryset.count()} 个程序", messages.SUCCESS)


@admin.register(Programme)
class ProgrammeAdmin(SettingsAdminPermissions, admin.ModelAdmin):
    list_display = ["name", "org", "start_year", "end_year"]
    search_fields = ["name"]
    autocomplete_fields = ["org"]
