"""不培训不上岗 rules are settings: the system administrator keeps them in the back office
(系统管理 → 不培训不上岗规则), like the other rules an administrator changes without code."""

from django import forms
from django.contrib import admin

from tongxin.accounts.admin_site import SettingsAdminPermissions

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
class TrainingRequirementAdmin(SettingsAdminPermissions, admin.ModelAdmin):
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
