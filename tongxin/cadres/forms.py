from __future__ import annotations

import re

from django import forms

from tongxin.core import codes
from tongxin.core.dates import AGE_BANDS
from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.people import selectors as people_selectors
from tongxin.people.forms import PersonForm

from .models import (
    TARGET_FIGURES,
    AnnualAssessment,
    Contact,
    EntrySource,
    ExitReason,
    Horizon,
    NonPartyPlan,
    OpinionConclusion,
    PoolKind,
    PoolLevel,
    Position,
    PracticeAssignment,
    RankGroup,
    Recommendation,
    ReviewDecision,
    TalentPool,
)


def _org_label(org) -> str:
    return f"{'　' * (org.depth - 1)}{org.name}"


class PersonPickMixin:
    """A person field for a form reached from a person file (``person`` given) or typed in:
    a name, pinyin or ID number that must find exactly one person of ``people``."""

    def _setup_person(self, *, person, people):
        self.person = person
        self.people = people
        if person is not None:
            del self.fields["person_text"]
        else:
            self.order_fields(["person_text", *self.fields])

    def clean_person_text(self):
        text = self.cleaned_data["person_text"].strip()
        # A form posted by staff who pick a person: an ID number tells two namesakes apart.
        found = people_selectors.matching(self.people, text, by_id_number=True)
        found = list(found.order_by("name_pinyin")[:6])
        exact = [p for p in found if p.name == text]
        if len(exact) == 1:
            found = exact
        if not found:
            raise forms.ValidationError(f"在管理范围内找不到“{text}”")
        if len(found) > 1:
            names = "、".join(p.name for p in found[:5])
            raise forms.ValidationError(
                f"“{text}”对应多人（{names}…），请填写身份证号，或从人员档案进入"
            )
        self.person = found[0]
        return text


PERSON_TEXT = forms.CharField(
    label="人员", max_length=50, help_text="姓名、拼音或身份证号；从人员档案进入时自动填写"
)


class PoolForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TalentPool
        fields = [
            "owner",
            "name",
            "kind",
            "max_age",
            "min_title_level",
            "min_rank",
            "min_education",
            "capacity",
            "excludes",
            "is_active",
            "note",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "excludes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, orgs, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = orgs
        self.fields["owner"].label_from_instance = _org_label
        self.fields["excludes"].queryset = pools.exclude(pk=self.instance.pk)
        self.fields["excludes"].label_from_instance = lambda p: (
            f"{p.name}（{p.owner.display_name}）"
        )


class PoolLevelForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PoolLevel
        fields = ["rank_group", "position", "horizon", "capacity", "order"]


class EntryForm(PersonPickMixin, StyledFormMixin, forms.Form):
    person_text = PERSON_TEXT
    start = forms.DateField(label="入库日期", widget=DateInput())
    level = forms.ModelChoiceField(label="层级", queryset=PoolLevel.objects.none(), required=False)
    source = forms.ChoiceField(label="来源", choices=EntrySource.choices)
    decision_meeting = forms.CharField(label="决定会议", max_length=100)
    decision_date = forms.DateField(label="决定日期", widget=DateInput())
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    recommending_unit = forms.ModelChoiceField(
        label="推荐单位",
        queryset=None,
        required=False,
        help_text="推荐人选的街道党工委、行业党委或部委办局",
    )

    def __init__(self, *args, pool, person, people, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = pool.levels.all()
        if not pool.levels.exists():
            del self.fields["level"]
        self.fields["recommending_unit"].queryset = units
        self.fields["recommending_unit"].label_from_instance = _org_label
        self._setup_person(person=person, people=people)


class RegisterForm(PersonForm):
    """A non-member (党外干部, 人才库人员) registered with the node that keeps their file."""

    org = forms.ModelChoiceField(label="档案所在组织（管理关系）", queryset=None)
    start = forms.DateField(label="入库日期", widget=DateInput())
    level = forms.ModelChoiceField(label="层级", queryset=PoolLevel.objects.none(), required=False)
    source = forms.ChoiceField(label="来源", choices=EntrySource.choices)
    decision_meeting = forms.CharField(label="决定会议", max_length=100)
    decision_date = forms.DateField(label="决定日期", widget=DateInput())
    recommending_unit = forms.ModelChoiceField(label="推荐单位", queryset=None, required=False)

    class Meta(PersonForm.Meta):
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "degree",
            "school_major",
            "title",
            "title_level",
            "work_unit",
            "unit_nature",
            "job_post",
            "is_cross_member",
            "phone",
        ]

    def __init__(self, *args, pool, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("org", "recommending_unit"):
            self.fields[name].queryset = orgs
            self.fields[name].label_from_instance = _org_label
        self.fields["level"].queryset = pool.levels.all()
        if not pool.levels.exists():
            del self.fields["level"]
        self.order_fields(["org", "start", "level", "source", "decision_meeting", "decision_date"])


class ExitForm(StyledFormMixin, forms.Form):
    end = forms.DateField(label="出库日期", widget=DateInput())
    reason = forms.ChoiceField(label="出库原因", choices=ExitReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label="结论", choices=ReviewDecision.choices)
    exit_reason = forms.ChoiceField(
        label="出库原因", choices=[("", "—"), *ExitReason.choices], required=False
    )
    reason = forms.CharField(label="理由", max_length=300)


class CandidateStartForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label="来源", choices=EntrySource.choices, initial="survey")
    on = forms.DateField(label="列入考察日期", widget=DateInput())


class TalkForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="谈话日期", widget=DateInput())
    talkers = forms.CharField(label="谈话人", max_length=200)
    summary = forms.CharField(label="谈话要点", widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    body = forms.CharField(label="征求意见单位", max_length=200, help_text="如 所在单位党委")
    conclusion = forms.ChoiceField(label="意见", choices=OpinionConclusion.choices)
    text = forms.CharField(
        label="具体意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class VoteForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="推荐日期", widget=DateInput())
    meeting = forms.CharField(label="推荐范围或会议", max_length=200)
    participants = forms.IntegerField(label="参加人数", min_value=1)
    votes_for = forms.IntegerField(label="得票数", min_value=0)


class ListForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="列入初步人选日期", widget=DateInput())


class DecideForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="决定日期（入库日期）", widget=DateInput())
    meeting = forms.CharField(label="决定会议", max_length=100)
    level = forms.ModelChoiceField(label="层级", queryset=PoolLevel.objects.none(), required=False)
    document_no = forms.CharField(label="文号", max_length=100, required=False)

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = pool.levels.all()
        if not pool.levels.exists():
            del self.fields["level"]


class DropForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    note = forms.CharField(label="未入选原因", max_length=300)


class AssessmentForm(PersonPickMixin, StyledFormMixin, forms.ModelForm):
    person_text = PERSON_TEXT

    class Meta:
        model = AnnualAssessment
        fields = ["year", "grade_set", "grade", "reason", "unit"]

    def __init__(self, *args, person, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_person(person=person, people=people)

    def validate_unique(self):
        # The person is set after the form validates; the service checks one a year.
        pass


class AssessmentImportForm(forms.Form):
    file = forms.FileField(label="考核结果工作簿（.xlsx）")


class PracticeForm(PersonPickMixin, StyledFormMixin, forms.ModelForm):
    person_text = PERSON_TEXT

    class Meta:
        model = PracticeAssignment
        fields = [
            "kind",
            "place",
            "from_unit",
            "to_post",
            "task",
            "start",
            "end",
            "result",
            "evaluation",
            "evaluated_on",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "evaluated_on": DateInput(),
            "task": forms.Textarea(attrs={"rows": 2}),
            "evaluation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, person, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_person(person=person, people=people)


class RecommendationForm(PersonPickMixin, StyledFormMixin, forms.ModelForm):
    person_text = PERSON_TEXT

    class Meta:
        model = Recommendation
        fields = [
            "owner",
            "recommending_unit",
            "direction",
            "post_kind",
            "title",
            "target_org",
            "unit",
            "rank",
            "body",
            "level",
            "term",
            "started_on",
        ]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args, person, people, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_person(person=person, people=people)
        for name in ("owner", "target_org", "recommending_unit"):
            self.fields[name].queryset = orgs
            self.fields[name].label_from_instance = _org_label
        self.fields["post_kind"].choices = [
            (v, label) for v, label in codes.PostKind.choices if v != codes.PostKind.SOCIAL
        ]


class AdvanceForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    opinion = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    participants = forms.IntegerField(label="参加人数", min_value=1, required=False)
    votes_for = forms.IntegerField(label="得票数", min_value=0, required=False)
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    warning_reason = forms.CharField(
        label="坚持办理的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="培训规则只提示、不禁止时，须写明理由，记入推荐记录",
    )

    def __init__(self, *args, step, warn: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if step.role != "vote":
            del self.fields["participants"]
            del self.fields["votes_for"]
        if not warn:
            del self.fields["warning_reason"]


class StopForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="终止日期", widget=DateInput())
    reason = forms.CharField(label="终止原因", max_length=300)


class ContactForm(StyledFormMixin, forms.ModelForm):
    people_text = forms.CharField(
        label="联系对象",
        max_length=500,
        help_text="多人用顿号分隔，每人填写姓名或身份证号（须在管理范围内）",
    )

    class Meta:
        model = Contact
        fields = ["owner", "kind", "on", "end", "leader", "leader_post", "subject", "summary"]
        widgets = {
            "on": DateInput(),
            "end": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, orgs, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["owner"].queryset = orgs
        self.fields["owner"].label_from_instance = _org_label
        if self.instance.pk:
            self.initial["people_text"] = "、".join(p.name for p in self.instance.people.all())
        self.order_fields(["owner", "kind", "on", "end", "leader", "leader_post", "people_text"])

    def clean_people_text(self):
        found = []
        for text in re.split(r"[、,，;；\s]+", self.cleaned_data["people_text"]):
            if not text:
                continue
            matches = list(people_selectors.matching(self.people, text, by_id_number=True)[:3])
            exact = [p for p in matches if p.name == text] or matches
            if len(exact) != 1:
                problem = "找不到" if not exact else "对应多人，请改填身份证号："
                raise forms.ValidationError(f"“{text}”{problem}")
            found.append(exact[0])
        self.chosen_people = list(dict.fromkeys(found))
        return self.cleaned_data["people_text"]


# --- list filters ----------------------------------------------------------------------------


def _select(choices, blank):
    return forms.ChoiceField(required=False, choices=[("", blank), *choices])


class EntryFilterForm(forms.Form):
    q = forms.CharField(required=False)
    pool = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    kind = _select(PoolKind.choices, "类别")
    on = forms.DateField(required=False)
    started_from = forms.DateField(required=False)
    started_to = forms.DateField(required=False)
    source = _select(EntrySource.choices, "来源")
    ended_from = forms.DateField(required=False)
    ended_to = forms.DateField(required=False)
    exit_reason = _select(ExitReason.choices, "出库原因")
    rank_group = _select([*RankGroup.choices, ("none", "未分层级")], "层级")
    position = _select([*Position.choices, ("none", "未分正副职")], "正副职")
    horizon = _select([*Horizon.choices, ("none", "未分使用期")], "使用期")
    gender = _select([(codes.Gender.MALE, "男"), (codes.Gender.FEMALE, "女")], "性别")
    age_band = _select([(b[0], b[0]) for b in AGE_BANDS], "年龄段")
    education = _select([(g, g) for g in codes.EDUCATION_GROUPS], "学历")
    over_age = forms.BooleanField(required=False)

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [("", "人才库"), *pools.values_list("pk", "name")]


class NonPartyFilterForm(forms.Form):
    """The filters of the non-party cadres' list (tongxin.cadres.nonparty.NonPartyFilter)."""

    q = forms.CharField(required=False)
    show = forms.ChoiceField(required=False, choices=[("", "人员")])
    on = forms.DateField(required=False)
    period_start = forms.DateField(required=False)
    rank_group = forms.ChoiceField(required=False, choices=[("", "实职级别")])
    principal = forms.BooleanField(required=False)
    pool_kind = _select(PoolKind.choices, "人才库类别")
    level = _select(RankGroup.choices, "层级")
    unit_kind = forms.ChoiceField(required=False, choices=[("", "推荐单位类型")])

    def __init__(self, *args, **kwargs):
        from .nonparty import RANK_GROUPS, SHOWS, unit_kinds

        super().__init__(*args, **kwargs)
        self.fields["show"].choices = list(SHOWS.items())
        self.fields["rank_group"].choices = [("", "实职级别"), *((g, g) for g in RANK_GROUPS)]
        self.fields["unit_kind"].choices = [("", "推荐单位类型"), *unit_kinds()]

    def clean(self):
        data = super().clean()
        start, on = data.get("period_start"), data.get("on")
        if start and on and start > on:
            self.add_error("period_start", "统计期间的开始日期不能晚于截止日期")
        return data


class NonPartyPlanForm(StyledFormMixin, forms.ModelForm):
    """A plan and one optional number a figure: a figure left blank has no target."""

    class Meta:
        model = NonPartyPlan
        fields = ["title", "start", "end", "document_no", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {}
        if self.instance.pk:
            current = dict(self.instance.targets.values_list("figure", "value"))
        for figure, label in TARGET_FIGURES:
            self.fields[f"target:{figure}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=1,
                initial=current.get(figure),
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def targets(self) -> dict[str, int]:
        return {
            figure: self.cleaned_data[f"target:{figure}"]
            for figure, _label in TARGET_FIGURES
            if self.cleaned_data.get(f"target:{figure}")
        }
