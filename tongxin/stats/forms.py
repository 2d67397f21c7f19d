from django import forms

from tongxin.core.forms import DateInput
from tongxin.core.http import date_in_range


class StatsForm(forms.Form):
    """The node and the dates of the report, the dashboard and the exports (in the URL)."""

    org = forms.IntegerField(label="组织", required=False)
    as_of = forms.DateField(
        label="统计截止日期",
        required=False,
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={"invalid": "请填写有效的日期，例如 2024-12-31"},
    )
    period_start = forms.DateField(
        label="变动期间自",
        required=False,
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={"invalid": "请填写有效的日期，例如 2024-01-01"},
        help_text="默认截止日期所在年的1月1日",
    )

    def clean(self):
        data = super().clean()
        start, on = data.get("period_start"), data.get("as_of")
        if start and on and start > on:
            self.add_error(
                "period_start",
                f"变动期间的开始日期（{start:%Y-%m-%d}）不能晚于统计截止日期（{on:%Y-%m-%d}）",
            )
        return data

    def error_text(self) -> str:
        return "；".join(
            f"{self.fields[name].label}：{' '.join(errors)}" for name, errors in self.errors.items()
        )
