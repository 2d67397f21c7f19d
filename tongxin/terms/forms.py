"""The election form: seats and votes typed as staff write them in Word.

Seats, one title a line: ``主委：张敏`` · ``副主委：李华、王芳`` · ``委员 周明 赵强``.
Votes, one candidate a line: ``张敏 28`` or ``张敏：28``. Two members of the same name are told
apart by birth date: ``张敏(1980-05-01)``.
"""

from __future__ import annotations

import re

from django import forms

from tongxin.core.forms import DateInput, StyledFormMixin
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization

from .models import SeatTitle
from .names import MemberNames
from .services import Seat, Vote

_SEPARATORS = re.compile(r"[、，,；;\s]+")
_TITLE = re.compile(r"^\s*([^\s:：]+)\s*[:：]?\s*(.*)$")
_VOTE = re.compile(r"^\s*(?P<who>.+?)\s*[:：]?\s*(?P<votes>\d+)\s*票?\s*$")


class ElectionForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(label="届次（第几届）", min_value=1)
    held_on = forms.DateField(label="选举日期", widget=DateInput())
    due_end = forms.DateField(
        label="应届满日期", widget=DateInput(), required=False, help_text="不填则为选举日期后五年"
    )
    entitled = forms.IntegerField(label="应参加选举人数", min_value=0)
    voted = forms.IntegerField(label="实际参加投票人数", min_value=0)
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    seats = forms.CharField(
        label="新一届班子",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一个职务，如“主委：张敏”“委员：李华、王芳”；同名者在姓名后注明出生日期，"
        "如“张敏(1980-05-01)”。可选职务：" + "、".join(SeatTitle.values),
    )
    candidates = forms.CharField(
        label="候选人得票",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="每行一名候选人及其得票，如“张敏 28”；得票者进入班子即为当选。",
    )
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, org: Organization, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.scope = scope

    @staticmethod
    def _seat_lines(text: str):
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = _TITLE.match(line)
            title, rest = match[1], match[2]
            yield line_no, title, [t for t in _SEPARATORS.split(rest) if t]

    @staticmethod
    def _vote_lines(text: str):
        for line_no, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield line_no, line, _VOTE.match(line)

    def clean(self):
        data = super().clean()
        on = data.get("held_on")
        if on is None:
            return data
        seat_lines = list(self._seat_lines(data.get("seats", "")))
        vote_lines = list(self._vote_lines(data.get("candidates", "")))
        tokens = [t for _, _, ts in seat_lines for t in ts]
        tokens += [m["who"] for _, _, m in vote_lines if m]
        found = MemberNames(scope=self.scope, org=self.org, on=on, tokens=tokens)
        seat_errors: list[str] = []
        seats: list[Seat] = []
        for line_no, title, tokens in seat_lines:
            if title not in SeatTitle.values:
                seat_errors.append(
                    f"第{line_no}行：职务“{title}”不在可选职务之列（可选：{'、'.join(SeatTitle.values)}）"
                )
                continue
            if not tokens:
                seat_errors.append(f"第{line_no}行：“{title}”后面没有姓名")
            for token in tokens:
                person, error = found.find(token)
                if error:
                    seat_errors.append(f"第{line_no}行：{error}")
                else:
                    seats.append(Seat(person=person, title=title))
        vote_errors: list[str] = []
        votes: list[Vote] = []
        for line_no, line, match in vote_lines:
            if match is None:
                vote_errors.append(f"第{line_no}行：“{line.strip()}”应写成“姓名 得票数”")
                continue
            person, error = found.find(match["who"])
            if error:
                vote_errors.append(f"第{line_no}行：{error}")
            else:
                votes.append(Vote(person=person, votes=int(match["votes"])))
        for field, errors in (("seats", seat_errors), ("candidates", vote_errors)):
            for error in errors:
                self.add_error(field, error)
        data["seat_list"], data["vote_list"] = seats, votes
        return data


def seats_text(term) -> str:
    """A term's seats in the form's own notation, to start the next election from."""
    lines: dict[str, list[str]] = {}
    for seat in term.seats.select_related("person").order_by("order", "pk"):
        lines.setdefault(seat.title, []).append(seat.person.name)
    return "\n".join(f"{title}：{'、'.join(names)}" for title, names in lines.items())


class CampaignForm(forms.Form):
    file = forms.FileField(label="集中换届工作簿（.xlsx）")
    dry_run = forms.BooleanField(label="只检查，不写入", required=False)
