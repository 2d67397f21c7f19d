from django import forms

from tongxin.core.forms import DateInput, StyledFormMixin

from .kinds import kind_choices
from .models import Organization, OrganizationCategory


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    # Read from the table each time a form is built: the administrator adds kinds.
    kind = forms.ChoiceField(label="组织类型", choices=kind_choices)
    categories = forms.ModelMultipleChoiceField(
        label="组织类别",
        queryset=OrganizationCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "categories",
            "party",
            "established",
            "note",
        ]
        widgets = {"established": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        qs = Organization.objects.filter(code=code)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(f"组织编码“{code}”已被使用")
        return code


class MoveForm(StyledFormMixin, forms.Form):
    new_parent = forms.ModelChoiceField(
        label="新的上级组织",
        queryset=Organization.objects.none(),
        error_messages={"invalid_choice": "请选择管理范围内的上级组织"},
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].label_from_instance = lambda o: f"{'　' * (o.depth - 1)}{o.name}"


class DissolveForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="撤销日期", widget=DateInput())


class OrgListForm(forms.Form):
    """The organization list's filters, in the URL: the list that organization figures open."""

    as_of = forms.DateField(label="统计日期", required=False, widget=DateInput())
    kind = forms.MultipleChoiceField(label="组织类型", required=False, choices=kind_choices)
    category = forms.ChoiceField(label="组织类别", required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "组织类别"), *((c, c) for c in categories)]
