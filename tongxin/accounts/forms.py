from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as BasePasswordChangeForm
from django.utils import timezone

from tongxin.core import extensions


def login_refusal(user) -> str:
    """Why ``user`` may not log in today though the password is right (every app's
    ``login_refusals``), or ""."""
    on = timezone.localdate()
    for refusal in extensions.get("login_refusals"):
        if message := refusal(user=user, on=on):
            return message
    return ""


class LoginForm(AuthenticationForm):
    """The login: after the password, the apps' refusals (a member whose membership ended)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if message := login_refusal(user):
            raise forms.ValidationError(message, code="refused")


class PasswordChangeForm(BasePasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)

    def clean_new_password1(self):
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise forms.ValidationError("新密码不能与当前密码相同。", code="password_unchanged")
        return password


class OTPCodeForm(forms.Form):
    code = forms.RegexField(
        label="验证码",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "验证码是 6 位数字。", "required": "请输入验证码。"},
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "maxlength": "6",
                "autofocus": True,
            }
        ),
        help_text="手机验证器应用当前显示的 6 位数字",
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if self.device is None:
            raise forms.ValidationError("尚未开启双重验证。")
        allowed, info = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                f"验证码连续错误 {info.get('failure_count', '多')} 次，请稍候几秒再试。"
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "验证码不正确或已使用过：请输入验证器应用当前显示的 6 位数字。"
            )
        return code


class OTPLoginForm(forms.Form):
    """Password and code together: the way in for a user whose name or address is locked."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )
    code = OTPCodeForm.base_fields["code"]
