from django import forms

from tongxin.core.forms import DateInput, StyledFormMixin

from .models import Event
from .selectors import ACTIONS, Filters

KIND_CHOICES = [
    ("", "全部类型"),
    ("事件", list(Event.Kind.choices)),
    ("数据变更", [(key, label) for key, (_, label) in ACTIONS.items()]),
]


class AuditFilterForm(StyledFormMixin, forms.Form):
    user = forms.CharField(label="用户名", required=False, max_length=150)
    kind = forms.ChoiceField(label="类型", required=False, choices=KIND_CHOICES)
    start = forms.DateField(label="起始日期", required=False, widget=DateInput())
    end = forms.DateField(label="截止日期", required=False, widget=DateInput())
    q = forms.CharField(label="关键词", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].widget.attrs.update(placeholder="用户名", size=10)
        self.fields["q"].widget.attrs.update(placeholder="姓名、对象、摘要、路径")
        self.fields["kind"].error_messages["invalid_choice"] = "没有“%(value)s”这种类型"
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = "日期格式应为 YYYY-MM-DD"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "截止日期早于起始日期")
        return data

    def filters(self) -> Filters:
        """The valid filters; a field with an error is left out (its error is shown)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            user=(data.get("user") or "").strip(),
            kind=data.get("kind") or "",
            start=data.get("start"),
            end=data.get("end"),
            q=(data.get("q") or "").strip(),
        )
