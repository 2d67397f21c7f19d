from django import forms
from django.utils import timezone

from tongxin.core import filecheck
from tongxin.core.forms import DateInput, StyledFormMixin

from .export import Profile

# A roster: its content is judged by the workbook reader when the import runs.
ROSTER_FILES = filecheck.Accept(
    kinds=(filecheck.XLSX, filecheck.CSV),
    limit_setting="TONGXIN_MAX_UPLOAD_MB",
    noun="名册文件",
    each="每次导入",
    advice="；旧版 .xls 请在 Excel 中另存为 .xlsx",
)


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="名册文件",
        help_text="Excel 工作簿（.xlsx），或 CSV（UTF-8 或 GB18030 编码）",
        error_messages={"required": "请选择要导入的文件", "empty": "文件是空的"},
    )
    effective_date = forms.DateField(
        label="变动生效日期",
        widget=DateInput(),
        help_text="名册中组织转接和职务变动按此日期记录",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        filecheck.check(upload, ROSTER_FILES)
        return upload


class ExportForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label="在册日期", widget=DateInput(), required=False)
    profile = forms.ChoiceField(
        label="个人信息", choices=Profile.choices, initial=Profile.MASKED, required=False
    )

    def __init__(self, *args, may_reveal=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        if not may_reveal:
            self.fields["profile"].choices = [c for c in Profile.choices if c[0] != Profile.FULL]

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()

    def clean_profile(self):
        return self.cleaned_data.get("profile") or Profile.MASKED
