"""不培训不上岗 rules are settings: the system administrator keeps them in the back office
(系统管理 → 不培训不上岗规则), like the other rules an administrator changes without code."""

from django import forms
from django.contrib import admin

from tongxin.accounts.roles import Cap

from .models import ClassType, TrainingRequirement


class TrainingRequirementForm(forms.ModelForm):
    class_types = forms.MultipleChoiceField(
        label="须结业的培训类型",
        choices=ClassType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=TrainingRequirement._meta.get_field("class_types").help_text,
    )

    class Meta:
        model = TrainingRequirement
        fields = [
            "name",
            "post_kind",
            "titles",
            "class_types",
            "min_hours",
            "within_years",
            "enforcement",
            "is_active",
            "note",
        ]


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(admin.ModelAdmin):
    form = TrainingRequirementForm
    list_display = [
        "name",
        "post_kind",
        "titles",
        "types_display",
        "min_hours",
        "within_years",
        "enforcement",
        "is_active",
    ]
    list_filter = ["post_kind", "enforcement", "is_active"]
    search_fields = ["name", "titles"]

    @admin.display(description="须结业的培训类型")
    def types_display(self, rule):
        return "、".join(rule.class_type_labels()) or "—"

    # A rule holds no personal data: the system administrator (管理用户和系统设置) keeps it.
    def _allowed(self, request) -> bool:
        return request.user.is_superuser or Cap.MANAGE_USERS in request.user.capabilities()

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)
