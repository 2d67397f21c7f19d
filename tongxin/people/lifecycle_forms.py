"""Forms of the member lifecycle: 转出, 转入, 退出/除名/开除/去世, 停止/恢复组织生活, 回执."""

from __future__ import annotations

from django import forms

from tongxin.core import codes
from tongxin.core.forms import DateInput, StyledFormMixin

from .services import EXIT_REASONS


def _org_field(label: str, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        required=required,
        error_messages={"invalid_choice": "请选择管理范围内的组织"},
    )


class _Decision(StyledFormMixin, forms.Form):
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    approved_by = forms.CharField(label="审批机关", max_length=100, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = orgs
                field.label_from_instance = lambda o: f"{'　' * (o.depth - 1)}{o.name}"


class TransferOutForm(_Decision):
    on = forms.DateField(label="转出日期", widget=DateInput())
    to_org = _org_field("转往本系统内的组织", required=False)
    to_name = forms.CharField(
        label="或转往系统外的组织",
        max_length=200,
        required=False,
        help_text="如“民盟北京市委员会”；转往系统内组织时不填",
    )
    letter_no = forms.CharField(label="转出介绍信编号", max_length=100)

    field_order = ["on", "to_org", "to_name", "letter_no", "document_no", "approved_by"]

    def clean(self):
        data = super().clean()
        inside, outside = data.get("to_org"), (data.get("to_name") or "").strip()
        if bool(inside) == bool(outside):
            raise forms.ValidationError("请选择转往的系统内组织，或填写系统外组织的名称（二选一）")
        return data


class TransferInForm(_Decision):
    on = forms.DateField(label="转入日期", widget=DateInput(), help_text="收到介绍信并接收的日期")
    org = _org_field("转入组织")
    from_name = forms.CharField(label="转出组织", max_length=200, help_text="系统外的原所在组织")
    letter_no = forms.CharField(label="转入介绍信编号", max_length=100)

    field_order = ["on", "org", "from_name", "letter_no", "document_no", "approved_by"]


class ExitForm(_Decision):
    reason = forms.ChoiceField(
        label="原因",
        choices=[(r.value, codes.SpellReason(r).label) for r in EXIT_REASONS],
    )
    on = forms.DateField(label="日期", widget=DateInput())

    field_order = ["reason", "on", "document_no", "approved_by"]


class SuspendForm(_Decision):
    on = forms.DateField(label="停止日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200)

    field_order = ["on", "reason", "document_no", "approved_by"]


class RestoreForm(_Decision):
    on = forms.DateField(label="恢复日期", widget=DateInput())

    field_order = ["on", "document_no", "approved_by"]


class ReceiptForm(StyledFormMixin, forms.Form):
    spell = forms.ModelChoiceField(label="转出记录", queryset=None)
    on = forms.DateField(label="回执日期", widget=DateInput())

    def __init__(self, *args, spells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spell"].queryset = spells
        self.fields["spell"].label_from_instance = lambda s: (
            f"{s.end:%Y-%m-%d} 转往 {s.went_to}（介绍信 {s.end_letter_no}）"
        )
