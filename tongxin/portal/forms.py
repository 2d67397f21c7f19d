from __future__ import annotations

from django import forms

from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.people.models import Person

from .materials import MATERIALS
from .models import Draft, Notice
from .rules import CORRECTABLE, IDENTITY_FIELDS


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name


class ActivateForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label="激活码", max_length=40, help_text="支部主委或组织部交给您的激活码"
    )
    username = forms.CharField(label="用户名", max_length=150, help_text="登录时使用，字母或数字")
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        if not all(c.isascii() and (c.isalnum() or c in "._-") for c in name):
            raise forms.ValidationError("用户名只能使用字母、数字和 . _ -")
        return name

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class ResetForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label="重置码", max_length=40, help_text="支部主委或组织部交给您的重置密码用的码"
    )
    password1 = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class NoticeForm(StyledFormMixin, forms.ModelForm):
    org = OrgChoiceField(label="发布范围", queryset=None, help_text="该组织及其下级组织的全体成员")
    upload = forms.FileField(
        label="附件",
        required=False,
        help_text=f"学习资料须上传：{MATERIALS.listed} 文件",
        widget=forms.ClearableFileInput(attrs={"accept": MATERIALS.attribute}),
    )

    class Meta:
        model = Notice
        fields = ["org", "kind", "title", "body", "event_date", "place"]
        widgets = {"event_date": DateInput(), "body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, orgs, to_list=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        if to_list:
            # Published to a roster list: its node is the list's.
            del self.fields["org"]


def _person_field(name: str) -> forms.Field:
    field = Person._meta.get_field(name).formfield()
    field.required = False
    if isinstance(field.widget, forms.DateInput):
        field.widget = DateInput()
    return field


def _shown(person: Person, name: str) -> str:
    display = getattr(person, f"get_{name}_display", None)
    return (display() if display else getattr(person, name)) or "（空）"


class CorrectionForm(StyledFormMixin, forms.Form):
    """The member's proposal: only the fields to change are filled."""

    locals().update({name: _person_field(name) for name in CORRECTABLE})
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CORRECTABLE:
            if name in ("phone", "email"):
                self.fields[name].help_text = "已登记的信息不显示；如需更正，请填写完整的新值"
            else:
                self.fields[name].help_text = f"现登记：{_shown(person, name)}"

    def changes(self) -> dict[str, str]:
        return {n: v for n, v in self.cleaned_data.items() if n in CORRECTABLE and v}


class IdentityForm(StyledFormMixin, forms.Form):
    """Staff's correction of a locked identity field, with its reason."""

    locals().update({name: _person_field(name) for name in IDENTITY_FIELDS})
    reason = forms.CharField(
        label="更正理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def changes(self) -> dict[str, str]:
        return {
            n: (v.isoformat() if hasattr(v, "isoformat") else v)
            for n, v in self.cleaned_data.items()
            if n in IDENTITY_FIELDS and v
        }


class DecisionForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label="意见或理由", max_length=300, required=False)


class DraftForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Draft
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
