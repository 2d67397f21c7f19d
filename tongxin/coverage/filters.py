"""The registry list's filters, read from its address one way (tongxin.core.http's rules: a
value a parameter cannot take is a 400 with a Chinese message naming it)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import BadRequest

from tongxin.core.http import date_param

from .models import MassKind, NewOrgKind, PartyForm
from .selectors import CoverageFilter, Gap

_CHOICES = {
    "kind": dict(NewOrgKind.choices),
    "form": dict(PartyForm.choices),
    "mass": dict(MassKind.choices),
    "founded": {"party": "党组织", **dict(MassKind.choices)},
    "gap": dict(Gap.choices),
}
_FLAGS = ("covered", "all_four", "with_members")


def _choice(request, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if value and value not in _CHOICES[name]:
        shown = value[:30]
        allowed = "、".join(f"{k}（{v}）" for k, v in _CHOICES[name].items())
        raise BadRequest(f"地址中的参数 {name}=「{shown}」无效：应为{allowed}。")
    return value


def _flag(request, name: str) -> bool | None:
    value = request.GET.get(name, "").strip()
    if value in ("", None):
        return None
    if value not in ("0", "1"):
        raise BadRequest(f"地址中的参数 {name}=「{value[:30]}」无效：应为 1 或 0。")
    return value == "1"


def coverage_filter(request, *, today: date) -> CoverageFilter:
    on = date_param(request, "as_of") or today
    period_start = date_param(request, "from")
    if period_start is not None and period_start > on:
        raise BadRequest("地址中的参数 from 无效：期间开始日期不能晚于统计日期。")
    return CoverageFilter(
        on=on,
        period_start=period_start,
        kind=_choice(request, "kind"),
        above_size=_flag(request, "above_size"),
        form=_choice(request, "form"),
        mass=_choice(request, "mass"),
        founded=_choice(request, "founded"),
        gap=_choice(request, "gap"),
        industry=request.GET.get("industry", "").strip()[:100],
        search=request.GET.get("q", "").strip()[:100],
        **{name: bool(_flag(request, name)) for name in _FLAGS},
    )
