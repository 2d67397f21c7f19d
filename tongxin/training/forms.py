from django import forms

from tongxin.core import filecheck
from tongxin.core.forms import DateInput, StyledFormMixin

from .models import (
    ClassLevel,
    ClassSession,
    ClassType,
    EnrollmentStatus,
    ExternalTraining,
    TrainingClass,
)
from .selectors import CandidateFilter, ClassFilter


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


def _add_period(form, from_label: str) -> None:
    """Date fields named as in the URL (``from``, ``to``: not possible in a class body)."""
    for name, label in (("from", from_label), ("to", "至")):
        form.fields[name] = forms.DateField(
            label=label,
            required=False,
            widget=DateInput(attrs={"class": "form-control form-control-sm"}),
        )


class PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", "结束日期不能早于开始日期")
        return data


class ClassFilterForm(PeriodMixin, forms.Form):
    """The filters of the classes and participants lists; their names are the URL's."""

    q = forms.CharField(label="名称", required=False)
    type = forms.ChoiceField(
        label="培训类型", required=False, choices=_blank("全部类型", ClassType.choices)
    )
    level = forms.ChoiceField(
        label="办班类别", required=False, choices=_blank("全部类别", ClassLevel.choices)
    )
    status = forms.ChoiceField(
        label="结业情况", required=False, choices=_blank("全部", EnrollmentStatus.choices)
    )
    missing = forms.BooleanField(label="有课次未记考勤", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_period(self, "开班日期自")
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-control form-control-sm"
        self.fields["q"].widget.attrs.update(placeholder="培训班名称或主办单位", size=16)

    def to_filter(self) -> ClassFilter:
        """The valid filters; an invalid one is dropped (and named on the page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ClassFilter(
            q=(data.get("q") or "").strip(),
            class_type=data.get("type") or "",
            level=data.get("level") or "",
            date_from=data.get("from"),
            date_to=data.get("to"),
            missing=bool(data.get("missing")),
            status=data.get("status") or "",
        )


class PeriodForm(PeriodMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_period(self, "自")


class TrainingClassForm(StyledFormMixin, forms.ModelForm):
    daily_sessions = forms.BooleanField(
        label="按天生成课次（每天一次课，平分计划学时）", required=False, initial=True
    )

    class Meta:
        model = TrainingClass
        fields = [
            "name",
            "class_type",
            "level",
            "org",
            "organizer",
            "start",
            "end",
            "hours",
            "place",
            "note",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        if self.instance.pk:
            del self.fields["daily_sessions"]


class SessionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["date", "hours", "topic"]
        widgets = {"date": DateInput()}


class CandidateForm(forms.Form):
    q = forms.CharField(required=False)
    group = forms.ChoiceField(
        required=False, choices=_blank("全部人员", CandidateFilter.GROUPS.items())
    )

    def to_filter(self) -> CandidateFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CandidateFilter(q=(data.get("q") or "").strip(), group=data.get("group") or "")


class ExternalTrainingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ExternalTraining
        fields = [
            "name",
            "organizer",
            "class_type",
            "level",
            "start",
            "end",
            "hours",
            "certificate_no",
            "note",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}


# A filled-in attendance workbook: its content is judged by the workbook reader (sheets).
ATTENDANCE_FILES = filecheck.Accept(
    kinds=(filecheck.XLSX,),
    limit_setting="TONGXIN_MAX_UPLOAD_MB",
    noun="考勤表",
    each="每个考勤表",
    advice="；请上传下载的考勤表",
)


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label="考勤表文件",
        help_text="下载的考勤表（.xlsx）填写后上传",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        filecheck.check(upload, ATTENDANCE_FILES)
        return upload
