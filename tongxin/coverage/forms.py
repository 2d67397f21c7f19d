from django import forms
from django.utils import timezone

from tongxin.core import filecheck
from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.core.http import date_in_range

from .models import MassKind, NewOrgKind, PartyForm, clean_credit_code

# The registry: its content is judged by the workbook reader when the import runs.
REGISTRY_FILES = filecheck.Accept(
    kinds=(filecheck.XLSX,),
    limit_setting="TONGXIN_MAX_UPLOAD_MB",
    noun="两新组织名册",
    each="每次导入",
    advice="；旧版 .xls 请在 Excel 中另存为 .xlsx",
)


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
        filecheck.check(upload, REGISTRY_FILES)
        return upload


# --- an organization's facts, one form each; every save goes through the services ----------


class AreaChoiceField(forms.ModelChoiceField):
    """A node of the user's scope, indented by its depth."""

    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name


class PersonChoiceField(forms.ModelChoiceField):
    """A person of the user's scope; the work unit tells two of the same name apart."""

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.work_unit}" if obj.work_unit else obj.name


def _date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 2024-01-31"},
        **kwargs,
    )


def _choice(label: str) -> dict:
    return {
        "required": f"请选择{label}",
        "invalid_choice": f"{label}“%(value)s”不是可选项",
    }


KNOWN = [("", "不详"), ("yes", "是"), ("no", "否")]


def _known(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def known_initial(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class NewOrgForm(StyledFormMixin, forms.Form):
    """Registering an organization by hand, or its base data."""

    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        help_text="18位，末位为校验码",
        error_messages={"required": "请填写统一社会信用代码"},
    )
    name = forms.CharField(label="名称", max_length=200, error_messages={"required": "请填写名称"})
    kind = forms.ChoiceField(
        label="类型", choices=NewOrgKind.choices, error_messages=_choice("类型")
    )
    area = AreaChoiceField(
        label="所在组织（社区或街道）",
        queryset=None,
        error_messages={
            "required": "请选择所在组织",
            "invalid_choice": "所选的所在组织不存在，或不在您的管理范围内",
        },
    )
    industry = forms.CharField(label="行业", max_length=100, required=False)
    employees = forms.IntegerField(
        label="从业人员数",
        min_value=0,
        required=False,
        error_messages={"min_value": "从业人员数不能为负数", "invalid": "从业人员数应为整数"},
    )
    above_size = forms.BooleanField(label="规模以上", required=False)
    founded = _date("成立日期", required=False)
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, areas, registered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if registered:
            # The registry's key: the import finds the organization by it.
            del self.fields["credit_code"]

    def clean_credit_code(self):
        # Shown beside the other fields' errors; the service checks it again when saving.
        return clean_credit_code(self.cleaned_data["credit_code"])


class PartyFormForm(StyledFormMixin, forms.Form):
    form = forms.ChoiceField(
        label="党组织形式", choices=PartyForm.choices, error_messages=_choice("党组织形式")
    )
    start = _date("起始日期", help_text="原有的形式在这一天结束，保留在历史中")
    party_org = AreaChoiceField(
        label="本单位党组织",
        queryset=None,
        required=False,
        help_text="单独组建时选择组织机构中本单位的党支部；其他形式不填",
        error_messages={"invalid_choice": "所选的党组织不存在，或不在您的管理范围内"},
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = orgs


class MassForm(StyledFormMixin, forms.Form):
    ESTABLISH, DISSOLVE = "establish", "dissolve"

    kind = forms.ChoiceField(
        label="群团组织", choices=MassKind.choices, error_messages=_choice("群团组织")
    )
    action = forms.ChoiceField(
        label="变动",
        choices=[(ESTABLISH, "建立"), (DISSOLVE, "撤销")],
        initial=ESTABLISH,
        error_messages=_choice("变动（建立或撤销）"),
    )
    on = _date("日期", help_text="建立日期或撤销日期；已建立的再填建立，即更正其建立日期")


class UnionChairForm(StyledFormMixin, forms.Form):
    party_member = forms.ChoiceField(
        label="工会主席是否党员",
        choices=KNOWN,
        required=False,
        error_messages=_choice("工会主席是否党员"),
    )
    cross_post = forms.ChoiceField(
        label="工会主席交叉任职",
        choices=KNOWN,
        required=False,
        error_messages=_choice("工会主席交叉任职"),
        help_text="工会主席同时担任本单位党组织的职务",
    )

    def clean(self):
        data = super().clean()
        data["party_member"] = _known(data.get("party_member", ""))
        data["cross_post"] = _known(data.get("cross_post", ""))
        return data


class MembersForm(StyledFormMixin, forms.Form):
    on = _date("日期")
    count = forms.IntegerField(
        label="党员人数",
        min_value=0,
        error_messages={
            "required": "请填写党员人数",
            "min_value": "党员人数不能为负数",
            "invalid": "党员人数应为整数",
        },
    )


class InstructorForm(StyledFormMixin, forms.Form):
    person = PersonChoiceField(
        label="党建工作指导员",
        queryset=None,
        error_messages={
            "required": "请选择指导员",
            "invalid_choice": "所选的人员不存在，或不在您的管理范围内",
        },
    )
    start = _date("选派日期", help_text="现任指导员在这一天卸任")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class VisitForm(StyledFormMixin, forms.Form):
    on = _date("走访日期")
    person = PersonChoiceField(
        label="指导员",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "所选的人员不存在，或不在您的管理范围内"},
    )
    note = forms.CharField(
        label="走访情况", max_length=500, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DeregisterForm(StyledFormMixin, forms.Form):
    on = _date("注销日期", help_text="从这一天起不再计入统计")
