from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone

from tongxin.core import codes, filecheck
from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.core.scope import Scope
from tongxin.people.forms import PersonForm
from tongxin.people.selectors import people_in_scope

from .models import (
    ATTACHMENT_FILES,
    END_STATUSES,
    ApplicationStatus,
    DevelopmentPlan,
    PlanTarget,
    Programme,
    Step,
    StepKind,
    TargetKind,
)
from .selectors import FLAGS, LIST_STATUSES

# The candidate's own fields on the application form (the rest of a person is added later).
CANDIDATE_FIELDS = (
    "name", "id_number", "gender", "birth_date", "ethnicity", "native_place", "political_status",
    "education", "degree", "school_major", "title", "title_level", "work_unit", "unit_nature",
    "job_post", "sector", "phone", "email",
)  # fmt: skip


def _small(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = f"{css} {css}-sm"
        field.widget.attrs["aria-label"] = field.label


class ApplicationFilterForm(forms.Form):
    """The list's filters: they live in the URL, so that every figure links to its list."""

    as_of = forms.DateField(label="截至日期", required=False, widget=DateInput())
    status = forms.ChoiceField(label="状态", required=False, choices=list(LIST_STATUSES.items()))
    stage = forms.CharField(label="进行到", required=False)
    flag = forms.ChoiceField(label="提醒", required=False, choices=[("", "全部"), *FLAGS.items()])
    programme = forms.TypedChoiceField(
        label="优才工程", required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label="搜索", required=False, widget=forms.SearchInput)

    def __init__(self, *args, stages: list[str], programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].widget = forms.Select(
            choices=[("", "全部步骤"), *((s, s) for s in stages)]
        )
        self.fields["programme"].choices = [
            ("", "优才工程（不限）"),
            *programmes.values_list("pk", "name"),
        ]
        _small(self)
        self.fields["q"].widget.attrs["placeholder"] = "姓名、拼音或工作单位"

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()


class CandidateForm(PersonForm):
    """A new person applying (the roster's own checks: ID number, gender, birth date)."""

    class Meta(PersonForm.Meta):
        fields = CANDIDATE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["upper_middle"]
        self.fields["political_status"].help_text = "申请时的政治面貌"


class ApplicationForm(StyledFormMixin, forms.Form):
    branch = forms.ModelChoiceField(
        label="申请加入的组织",
        queryset=None,
        error_messages={"invalid_choice": "请选择管理范围内的组织"},
    )
    applied_on = forms.DateField(label="申请日期", widget=DateInput())
    programme = forms.ModelChoiceField(
        label="优才工程", queryset=Programme.objects.none(), required=False
    )
    opinion = forms.CharField(
        label="申请情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：提交书面申请和个人简历",
    )

    def __init__(self, *args, orgs, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = orgs
        self.fields["programme"].queryset = programmes
        self.fields["branch"].label_from_instance = lambda o: f"{'　' * (o.depth - 1)}{o.name}"
        self.fields["applied_on"].initial = timezone.localdate()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each checked for its kind and size."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not uploads and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        cleaned = [super(FilesField, self).clean(upload, initial) for upload in uploads]
        for upload in cleaned:
            filecheck.check(upload, ATTACHMENT_FILES)
        return cleaned


_NAME = re.compile(r"^(?P<name>[^()（）\d]+?)\s*(?:[(（](?P<born>\d{4}-\d{2}-\d{2})[)）])?$")
_SEPARATORS = re.compile(r"[、，,；;\s]+")


def find_people(text: str, *, scope: Scope) -> list:
    """People in the scope named in ``text`` (``张敏、李华``; ``张敏(1980-05-01)`` where two
    share a name). Raises a ValidationError naming each name not found or not clear."""
    people, errors = [], []
    for item in (s for s in _SEPARATORS.split(text.strip()) if s):
        match = _NAME.match(item)
        if not match:
            errors.append(f"“{item}”不是姓名")
            continue
        found = people_in_scope(scope=scope).filter(name=match["name"])
        if match["born"]:
            found = found.filter(birth_date=date.fromisoformat(match["born"]))
        found = list(found.order_by("birth_date", "pk")[:2])
        if not found:
            errors.append(f"管理范围内没有“{item}”")
        elif len(found) > 1:
            errors.append(f"“{item}”有同名者，请在姓名后注明出生日期，如“{item}(1970-01-01)”")
        else:
            people.append(found[0])
    if errors:
        raise forms.ValidationError(errors)
    return people


class StepForm(StyledFormMixin, forms.Form):
    """One step: the date and opinion, and what the step's kind asks for."""

    on = forms.DateField(label="日期", widget=DateInput())
    opinion = forms.CharField(
        label="意见或结果", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    files = FilesField(
        label="附件",
        required=False,
        help_text=f"可选多个文件：{ATTACHMENT_FILES.listed}",
    )

    def __init__(self, *args, step: Step, scope: Scope, warnings=(), **kwargs):
        super().__init__(*args, prefix=f"step{step.pk}", **kwargs)
        self.step = step
        self.scope = scope
        self.fields["on"].initial = timezone.localdate()
        if step.kind == StepKind.INTRODUCERS:
            self.fields["introducers"] = forms.CharField(
                label="介绍人",
                help_text="填写姓名，以、分隔；同名者注明出生日期，如“张敏(1980-05-01)”",
            )
        if step.with_vote:
            for name, label in (
                ("expected", "应到人数"),
                ("present", "实到人数"),
                ("votes_for", "赞成"),
                ("votes_against", "反对"),
                ("votes_abstain", "弃权"),
            ):
                self.fields[name] = forms.IntegerField(label=label, min_value=0)
        if step.kind == StepKind.ADMISSION:
            self.fields["notified_person_on"] = forms.DateField(
                label="书面通知本人日期", widget=DateInput()
            )
            self.fields["notified_unit_on"] = forms.DateField(
                label="书面通知所在单位日期", widget=DateInput()
            )
        # A warning asks for the reason to go on, kept with the step.
        self.warnings = list(warnings)
        for warning in self.warnings:
            self.fields[f"reason_{warning.rule.pk}"] = forms.CharField(
                label=f"继续办理的理由（{warning.rule_name}）",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=warning.message,
            )
        self.order_fields(
            [
                "on",
                "introducers",
                "expected",
                "present",
                "votes_for",
                "votes_against",
                "votes_abstain",
                "notified_person_on",
                "notified_unit_on",
            ]
        )
        # StyledFormMixin styled the fields declared on the class; these were added here.
        for field in self.fields.values():
            if "class" not in field.widget.attrs and not isinstance(
                field.widget, forms.CheckboxInput
            ):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = css

    def clean_introducers(self):
        return find_people(self.cleaned_data["introducers"], scope=self.scope)

    def reasons(self) -> dict[int, str]:
        return {
            int(name.removeprefix("reason_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("reason_")
        }


class EndForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="办结方式",
        choices=[(s.value, ApplicationStatus(s).label) for s in END_STATUSES],
    )
    on = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="end", **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AttachmentForm(StyledFormMixin, forms.Form):
    files = FilesField(label="附件", help_text=f"可选多个文件：{ATTACHMENT_FILES.listed}")


class PlanForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DevelopmentPlan
        fields = ["org", "kind", "start_year", "title", "document_no", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["org"].label_from_instance = lambda o: f"{'　' * (o.depth - 1)}{o.name}"
        self.fields["start_year"].help_text = "五年规划填第一年"

    def validate_unique(self):
        # end_year is set by the service; the database's constraint names the clash.
        pass


class TargetForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PlanTarget
        fields = ["kind", "value", "org", "programme", "sectors"]

    def __init__(self, *args, orgs, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["programme"].queryset = programmes
        self.fields["org"].required = False
        self.fields["sectors"].help_text = "重点界别发展数：" + "、".join(
            f"{v} {label}" for v, label in codes.Sector.choices
        )
        self.fields["kind"].choices = TargetKind.choices


TargetFormSet = forms.formset_factory(TargetForm, extra=3, can_delete=True)
