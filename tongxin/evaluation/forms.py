from __future__ import annotations

from django import forms

from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.people.models import Honor
from tongxin.terms.names import MemberNames

from . import calculators
from .models import COLLECTIVE_AWARDS, AwardKind, RubricItem


class RoundForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label="考评组织", queryset=None)
    year = forms.IntegerField(label="考评年度", min_value=1949)
    rubric = forms.ModelChoiceField(label="考评细则", queryset=None)
    title = forms.CharField(
        label="名称", max_length=200, required=False, help_text="不填则为“某组织某年度支部考评”"
    )

    def __init__(self, *args, orgs, rubrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["org"].label_from_instance = lambda o: f"{'　' * (o.depth - 1)}{o.name}"
        self.fields["rubric"].queryset = rubrics


class ScoreForm(forms.Form):
    """One score of a sheet: the branch's own (``self``) or the reviewers' (``review``)."""

    which = forms.ChoiceField(choices=[("self", "自评"), ("review", "评审")])
    points = forms.DecimalField(
        label="分数", required=False, min_value=0, max_digits=7, decimal_places=1
    )
    text = forms.CharField(label="说明", required=False, widget=forms.Textarea)


class ItemForm(StyledFormMixin, forms.ModelForm):
    calculator = forms.ChoiceField(label="计分方式", required=False)
    params_text = forms.CharField(
        label="计分参数",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行“名称=值”；未写的参数取默认值。",
    )

    class Meta:
        model = RubricItem
        fields = ["order", "category", "title", "guidance", "calculator", "max_points"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        usable = calculators.CALCULATORS
        self.fields["calculator"].choices = [("", "人工评分（须填最高分）")] + [
            (key, f"{c.label}：{c.description}") for key, c in usable.items()
        ]
        item = self.instance
        if item.calculator in usable and not self.is_bound:
            self.initial["params_text"] = calculators.params_text(
                usable[item.calculator], item.params
            )
        examples = "；".join(
            f"{c.label}：{calculators.params_text(c, c.defaults()).replace(chr(10), '，')}"
            for c in usable.values()
            if c.params
        )
        self.fields["params_text"].help_text += f"默认值——{examples}"

    def clean(self):
        data = super().clean()
        key = data.get("calculator") or ""
        if key:
            params, errors = calculators.parse_params(
                calculators.CALCULATORS[key], data.get("params_text", "")
            )
            for error in errors:
                self.add_error("params_text", error)
            # The model checks the parameters again; on a mistake it gets valid defaults so
            # that the form alone reports the mistake, on the field the user typed in.
            calculator = calculators.CALCULATORS[key]
            self.instance.params = calculator.defaults() if errors else params
        self.instance.calculator = key
        return data


class AwardForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="表彰类别", choices=AwardKind.choices)
    org = forms.ModelChoiceField(
        label="受表彰支部", queryset=None, required=False, help_text="先进支部、先进集体填写"
    )
    person = forms.CharField(
        label="受表彰人员",
        max_length=60,
        required=False,
        help_text="个人表彰填写姓名；同名者注明出生日期，如“张敏(1980-05-01)”",
    )
    title = forms.CharField(
        label="表彰名称", max_length=200, required=False, help_text="不填则为表彰类别"
    )
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
    document_no = forms.CharField(label="文号", max_length=100, required=False)

    def __init__(self, *args, branches, scope, round_org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = branches
        self.scope, self.round_org = scope, round_org

    def clean(self):
        data = super().clean()
        if data.get("kind") in COLLECTIVE_AWARDS or not data.get("decided_on"):
            data["person_obj"] = None
            return data
        token = (data.get("person") or "").strip()
        if not token:
            self.add_error("person", "个人表彰须填写受表彰人员")
            return data
        names = MemberNames(
            scope=self.scope, org=self.round_org, on=data["decided_on"], tokens=[token]
        )
        person, error = names.find(token)
        if error:
            self.add_error("person", error)
        data["person_obj"] = person
        return data


class HonorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Honor
        fields = ["title", "level", "conferred_by", "conferred_on", "document_no", "note"]
        widgets = {"conferred_on": DateInput()}
