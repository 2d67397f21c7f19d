from django import forms
from django.conf import settings
from django.utils import timezone

from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.core.http import date_in_range


class RegistryUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="两新组织名册",
        help_text="Excel 工作簿（.xlsx），按模板的“两新组织”工作表填写",
        error_messages={"required": "请选择要导入的文件", "empty": "文件是空的"},
    )
    effective_date = forms.DateField(
        label="变动生效日期",
        widget=DateInput(),
        validators=[date_in_range],
        help_text="党员人数和没有日期列的变动按此日期记录",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                f"只能导入 .xlsx 文件，“{upload.name}”不是；旧版 .xls 请在 Excel 中另存为 .xlsx"
            )
        limit_mb = settings.TONGXIN_MAX_UPLOAD_MB
        if upload.size > limit_mb * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {limit_mb} MB，请分批导入")
        return upload
