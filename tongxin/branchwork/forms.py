from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from tongxin.core.forms import DateInput, StyledFormMixin

from .models import (
    Activity,
    ActivityKind,
    Adoption,
    AdoptionRung,
    Contribution,
    ContributionKind,
    LiaisonAssignment,
    LiaisonVisit,
)
from .photos import PHOTOS
from .selectors import Period


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name


class OrgMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Members to pick by name; the work unit tells two of the same name apart."""

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.work_unit}" if obj.work_unit else obj.name


class FilterableSelectMultiple(forms.SelectMultiple):
    """static/js/branchwork.js puts a search box above it; a person's option carries the
    pinyin and initials of the name, so that ``zm`` finds 张敏."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None and hasattr(instance, "name_pinyin"):
            option["attrs"]["data-search"] = f"{instance.name_pinyin} {instance.name_initials}"
        return option


def _filterable(size: int = 8) -> forms.SelectMultiple:
    return FilterableSelectMultiple(attrs={"size": size, "data-tx-filter": ""})


def year_choices(today: date | None = None, span: int = 10) -> list[tuple[str, str]]:
    year = (today or timezone.localdate()).year
    return [("", "全部年度")] + [(str(y), f"{y}年") for y in range(year, year - span, -1)]


# --- list filters ----------------------------------------------------------------------------


class PeriodFilterForm(StyledFormMixin, forms.Form):
    """A year, or a period from one date to another (the drill-down links use the dates)."""

    # Any year is accepted (a drill-down may name an old one); the select offers the recent ones.
    year = forms.IntegerField(label="年度", required=False, min_value=1900, max_value=2100)
    start = forms.DateField(label="起始日期", required=False, widget=DateInput())
    end = forms.DateField(label="截止日期", required=False, widget=DateInput())
    q = forms.CharField(label="搜索", required=False, max_length=100)

    def __init__(self, data=None, **kwargs):
        # Links say from= and to=; "from" is a Python keyword and cannot name a field.
        if data is not None:
            data = data.copy()
            for outer, inner in (("from", "start"), ("to", "end")):
                if outer in data and inner not in data:
                    data[inner] = data[outer]
        super().__init__(data, **kwargs)
        self.fields["year"].widget = forms.Select(choices=year_choices())
        self.fields["q"].widget.attrs.update(placeholder="标题或地点", type="search")
        # Filters sit in one row above the list: the small controls.
        for field in self.fields.values():
            small = (
                "form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            )
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {small}"
            field.widget.attrs.setdefault("aria-label", field.label)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "截止日期不能早于起始日期")
        return data

    def period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        start, end = data.get("start"), data.get("end")
        if start or end:
            return Period(start, end)
        if data.get("year"):
            return Period.of_year(data["year"])
        return Period()


class ActivityFilterForm(PeriodFilterForm):
    kind = forms.ChoiceField(
        label="活动类型", required=False, choices=[("", "全部类型"), *ActivityKind.choices]
    )


class ContributionFilterForm(PeriodFilterForm):
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *ContributionKind.choices]
    )
    rung = forms.ChoiceField(
        label="采用层级",
        required=False,
        choices=[("", "全部（按报送日期）"), *AdoptionRung.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(placeholder="标题或编号")


# --- liaison ---------------------------------------------------------------------------------


class LiaisonAssignForm(StyledFormMixin, forms.Form):
    orgs = OrgMultipleChoiceField(
        label="联系的组织", queryset=None, widget=_filterable(10), help_text="可多选"
    )
    person = forms.ModelChoiceField(label="联系人（名册中的人员）", queryset=None, required=False)
    user = forms.ModelChoiceField(label="联系人（系统用户）", queryset=None, required=False)
    title = forms.CharField(label="联系人职务", max_length=100, required=False)
    start = forms.DateField(label="开始日期", widget=DateInput())
    end = forms.DateField(label="结束日期", required=False, widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, orgs, people, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = orgs
        self.fields["person"].queryset = people
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.name or u.get_username()

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("user"):
            self.add_error("person", "请选择联系人：名册中的人员或系统用户")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data


class AssignmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = LiaisonAssignment
        fields = ["title", "start", "end", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}


class VisitForm(StyledFormMixin, forms.ModelForm):
    org = OrgChoiceField(label="走访的组织", queryset=None)

    class Meta:
        model = LiaisonVisit
        fields = [
            "org",
            "date",
            "assignment",
            "visitors",
            "topics",
            "problems",
            "follow_up",
            "follow_up_done",
        ]
        widgets = {
            "date": DateInput(),
            "follow_up_done": DateInput(),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, orgs, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["assignment"].queryset = assignments
        self.fields["assignment"].label_from_instance = lambda a: (
            f"{a.liaison_name}{'（' + a.title + '）' if a.title else ''} · {a.org.display_name}"
        )
        self.fields["assignment"].help_text = "联系该组织的领导或工作人员；可留空"


# --- activities ------------------------------------------------------------------------------


class ActivityForm(StyledFormMixin, forms.ModelForm):
    org = OrgChoiceField(label="组织", queryset=None)

    class Meta:
        model = Activity
        fields = ["org", "date", "kind", "title", "place", "partners", "summary"]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one field; their content is checked by the service (photos.prepare)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTOS.attribute}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files:
            raise forms.ValidationError("请选择要上传的照片")
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class PhotoUploadForm(StyledFormMixin, forms.Form):
    photos = MultipleImageField(label="照片", help_text=f"{PHOTOS.listed}，可多选")
    caption = forms.CharField(label="说明", max_length=200, required=False)


# --- contributions ---------------------------------------------------------------------------


class ContributionForm(StyledFormMixin, forms.ModelForm):
    authors = PersonMultipleChoiceField(
        label="作者（成员）", queryset=None, required=False, widget=_filterable()
    )
    author_orgs = OrgMultipleChoiceField(
        label="作者（组织）",
        queryset=None,
        required=False,
        widget=_filterable(5),
        help_text="集体提案或以组织名义报送的成果",
    )
    co_signers = PersonMultipleChoiceField(
        label="联名人（成员）", queryset=None, required=False, widget=_filterable(5)
    )

    class Meta:
        model = Contribution
        fields = [
            "kind",
            "title",
            "submitted_on",
            "channel",
            "reference",
            "is_collective",
            "summary",
            "other_co_signers",
        ]
        widgets = {"submitted_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, people, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("authors", "co_signers"):
            self.fields[name].queryset = people
        self.fields["author_orgs"].queryset = orgs
        if self.instance.pk:
            rows = list(self.instance.authors.all())
            self.initial.setdefault(
                "authors", [a.person_id for a in rows if a.person_id and a.role == "author"]
            )
            self.initial.setdefault("author_orgs", [a.org_id for a in rows if not a.person_id])
            self.initial.setdefault(
                "co_signers", [a.person_id for a in rows if a.role == "co_signer"]
            )


class AdoptionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Adoption
        fields = ["rung", "on", "document", "body", "note"]
        widgets = {"on": DateInput()}
