from html import escape

from django import forms
from django.utils.safestring import mark_safe

from tongxin.core import codes
from tongxin.core.dates import AGE_BANDS
from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.core.idnumber import parse_id_number
from tongxin.core.masking import mask_email, mask_id_number, mask_phone
from tongxin.orgs.selectors import top_levels

from .models import PERSON_FIELDS, Person, Post
from .population import FLOW_REASONS as REASONS
from .rules import id_number_facts

MASKED_ON_EDIT = {"id_number": mask_id_number, "phone": mask_phone, "email": mask_email}


class PersonForm(StyledFormMixin, forms.ModelForm):
    upper_middle = forms.NullBooleanField(
        label="中上层人士",
        required=False,
        widget=forms.NullBooleanSelect(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upper_middle"].widget.choices = [
            ("unknown", "按规则推定"),
            ("true", "是"),
            ("false", "否"),
        ]
        # The stored ID number, phone and e-mail are never sent back to the browser (a reveal is
        # asked for and audited on the person page): the field shows the masked value and a
        # blank field keeps what is stored.
        for name, mask in MASKED_ON_EDIT.items():
            if stored := getattr(self.instance, name, ""):
                self.initial[name] = ""
                field = self.fields[name]
                field.widget.attrs["placeholder"] = f"{mask(stored)}（已隐藏，留空则不变）"
                field.help_text = "已登记的信息不显示；如需更正，请填写完整的新值"

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "admitted_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"id_number": "18位；填写后性别和出生日期可留空，由号码推出"}

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        if not value:
            return self._kept("id_number")
        return parse_id_number(value).number

    def clean_phone(self):
        return self.cleaned_data.get("phone", "") or self._kept("phone")

    def clean_email(self):
        return self.cleaned_data.get("email", "") or self._kept("email")

    def _kept(self, name: str) -> str:
        """What is stored, for a masked field left blank on the edit form."""
        return getattr(self.instance, name, "") if self.instance.pk else ""

    def clean_title_level(self):
        level = self.cleaned_data.get("title_level", "")
        if not level and self.cleaned_data.get("title"):
            level = codes.title_level_for(self.cleaned_data["title"])
        return level

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        if number:
            facts = id_number_facts(
                number, gender=data.get("gender", ""), birth_date=data.get("birth_date")
            )
            for field, reason in facts.errors.items():
                self.add_error(field, reason)
        duplicate = Person.objects.with_id_number(number) if number else Person.objects.none()
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            self.add_error("id_number", "该身份证号已登记，请在名册中查找此人")
        return data

    def validate_unique(self):
        # The ID number is checked in clean() with a message that helps; the rest has no
        # unique fields.
        pass


class PersonCreateForm(PersonForm):
    org = forms.ModelChoiceField(
        label="所在组织",
        queryset=None,
        error_messages={"invalid_choice": "请选择管理范围内的组织"},
    )
    start = forms.DateField(
        label="在册开始日期", widget=DateInput(), help_text="入会或转入本组织的日期"
    )
    start_reason = forms.ChoiceField(
        label="在册开始原因",
        choices=[(v, codes.SpellReason(v).label) for v in codes.START_REASONS],
    )
    # A member transferred in from outside Tongxin comes with a letter (转入介绍信).
    came_from = forms.CharField(
        label="转入前所在组织", max_length=200, required=False, help_text="从系统外转入时填写"
    )
    letter_no = forms.CharField(
        label="转入介绍信编号", max_length=100, required=False, help_text="从系统外转入时填写"
    )

    class Meta(PersonForm.Meta):
        fields = ["org", "start", "start_reason", *PERSON_FIELDS]

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["org"].label_from_instance = lambda o: f"{'　' * (o.depth - 1)}{o.name}"
        self.order_fields(["name", "org", "start", "start_reason", "came_from", "letter_no"])

    def clean(self):
        data = super().clean()
        if data.get("start_reason") == codes.SpellReason.ADMITTED and not data.get("admitted_on"):
            data["admitted_on"] = data.get("start")
        if data.get("start_reason") == codes.SpellReason.ADMITTED:
            data["came_from"] = data["letter_no"] = ""
        elif data.get("came_from") and not data.get("letter_no"):
            self.add_error("letter_no", "从系统外转入须填写转入介绍信编号")
        return data


class PostForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "kind",
            "title",
            "org",
            "unit",
            "rank",
            "body",
            "level",
            "term",
            "start",
            "end",
            "document_no",
            "note",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


def _choices(values, blank="全部"):
    return [("", blank), *[(v, v) for v in values]]


class RosterFilterForm(forms.Form):
    """The roster filters; they live in the URL so that a list is a link."""

    q = forms.CharField(label="搜索", required=False, widget=forms.SearchInput)
    gender = forms.ChoiceField(
        label="性别",
        required=False,
        choices=[("", "性别"), (codes.Gender.MALE, "男"), (codes.Gender.FEMALE, "女")],
    )
    age_band = forms.ChoiceField(
        label="年龄段", required=False, choices=_choices([b[0] for b in AGE_BANDS], "年龄段")
    )
    education = forms.ChoiceField(
        label="学历", required=False, choices=_choices(codes.EDUCATION_GROUPS, "学历")
    )
    degree = forms.ChoiceField(
        label="学位", required=False, choices=_choices(codes.DEGREE_GROUPS, "学位")
    )
    title_level = forms.ChoiceField(
        label="职称级别", required=False, choices=_choices(codes.TITLE_LEVEL_GROUPS, "职称级别")
    )
    rank_group = forms.ChoiceField(
        label="职级", required=False, choices=_choices(list(codes.RANK_GROUPS), "实职级别")
    )
    rank = forms.ChoiceField(
        label="正副职",
        required=False,
        choices=_choices(
            [codes.AdminRank(r).label for g in codes.RANK_GROUPS.values() for r in g], "实职正副职"
        ),
    )
    sector = forms.ChoiceField(
        label="界别", required=False, choices=[("", "界别"), *codes.Sector.choices]
    )
    retired = forms.ChoiceField(
        label="在职状态", required=False, choices=[("", "在职状态"), ("0", "在职"), ("1", "离退休")]
    )
    branch = forms.TypedChoiceField(label="所在组织", required=False, coerce=int, empty_value=None)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    # 更多筛选: the date, the flows of a period and the rarer conditions; every figure of the
    # statistics opens the roster with these (tongxin.people.population).
    as_of = forms.DateField(label="在册日期", required=False, widget=DateInput())
    flow = forms.ChoiceField(
        label="人员变动",
        required=False,
        choices=[("", "在册人员"), *((r, f"期间{codes.SpellReason(r).label}") for r in REASONS)],
    )
    period_start = forms.DateField(label="变动期间自", required=False, widget=DateInput())
    minority = forms.ChoiceField(
        label="民族", required=False, choices=[("", "民族"), ("1", "少数民族"), ("0", "非少数民族")]
    )
    cross_member = forms.ChoiceField(
        label="交叉党员",
        required=False,
        choices=[("", "交叉党员"), ("1", "是交叉党员"), ("0", "非交叉党员")],
    )
    upper_middle = forms.ChoiceField(
        label="中上层人士",
        required=False,
        choices=[("", "中上层人士"), ("1", "是中上层人士"), ("0", "非中上层人士")],
    )
    political_body = forms.ChoiceField(
        label="政治安排", required=False, choices=[("", "政治安排"), *codes.PoliticalBody.choices]
    )
    political_level = forms.ChoiceField(
        label="安排层级", required=False, choices=[("", "安排层级"), *codes.PoliticalLevel.choices]
    )

    MORE = ("as_of", "flow", "period_start", "minority", "cross_member", "upper_middle")
    MORE += ("political_body", "political_level", "rank")

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        # The branch the address names stays offered; a value no id could be is not looked up
        # (the field then refuses it, as any value outside its choices).
        keep = str(self.data.get("branch") or "")
        keep = int(keep) if keep.isascii() and keep.isdigit() and len(keep) <= 18 else None
        shown, cut = top_levels(branches, keep=keep)
        # Below a large node only its top levels are offered; the tree picks the deeper ones.
        empty = "所在组织（更下层请在组织树中选）" if cut else "所在组织"
        self.fields["branch"].choices = [("", empty), *shown.values_list("pk", "name")]
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
                field.widget.attrs["aria-label"] = field.label
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control form-control-sm",
                "placeholder": "姓名、全拼、简拼或工作单位",
                "aria-label": "搜索",
                "type": "search",
            }
        )

    def clean(self):
        data = super().clean()
        start, on = data.get("period_start"), data.get("as_of")
        if start and on and start > on:
            self.add_error("period_start", "变动期间的开始日期不能晚于在册日期")
        return data

    def more_active(self) -> bool:
        """Whether a filter of 更多筛选 is set (its panel then opens)."""
        return any(self.data.get(name) for name in self.MORE)

    def select_fields(self, more: bool = False):
        """The select filters with their options marked, for a hand-written template: those of
        the first row, or with ``more`` those of 更多筛选."""
        fields = []
        for field in self:
            if not isinstance(field.field, forms.ChoiceField) or (field.name in self.MORE) != more:
                continue
            current = "" if field.value() is None else str(field.value())
            # Built here in one pass: a subtree's branch list runs to hundreds of options,
            # each of which the template engine (and format_html) would render on its own.
            options = mark_safe(
                "".join(
                    f'<option value="{escape(str(value))}"'
                    f"{' selected' if str(value) == current else ''}>{escape(str(label))}</option>"
                    for value, label in field.field.choices
                )
            )
            fields.append({"name": field.html_name, "label": field.label, "options": options})
        return fields
