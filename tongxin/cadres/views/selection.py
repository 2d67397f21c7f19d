"""A candidate's page: the selection as a timeline (found, talks, opinions, votes, initial list,
decision), each step dated and attributed, and the form of the next steps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors

from .. import selectors, services
from ..forms import DecideForm, DropForm, ListForm, OpinionForm, TalkForm, VoteForm
from ..models import CandidateStatus
from .common import base_context, done, today

STEPS = {
    "talk": ("谈心谈话", TalkForm),
    "opinion": ("征求意见", OpinionForm),
    "vote": ("民主推荐", VoteForm),
    "list": ("列入初步人选", ListForm),
    "decide": ("研究决定入库", DecideForm),
    "drop": ("不再考察", DropForm),
}


def _forms(candidate, *, bound=None, step=None):
    on = today()
    forms = {}
    for key, (_label, form_class) in STEPS.items():
        kwargs = {"pool": candidate.pool} if form_class is DecideForm else {}
        if key == step:
            forms[key] = form_class(bound, **kwargs)
        else:
            forms[key] = form_class(initial={"on": on}, **kwargs)
    return forms


def _timeline(candidate) -> list[dict]:
    """Every step taken, in date order: what, when, who, and the details."""
    items = [
        {
            "on": candidate.found_on,
            "what": "列入考察",
            "by": candidate.recorded_by,
            "text": f"来源：{candidate.get_source_display()}",
        }
    ]
    for talk in candidate.talks.select_related("recorded_by"):
        items.append(
            {
                "on": talk.on,
                "what": "谈心谈话",
                "by": talk.recorded_by,
                "text": f"谈话人：{talk.talkers}。{talk.summary}",
            }
        )
    for opinion in candidate.opinions.select_related("recorded_by"):
        items.append(
            {
                "on": opinion.on,
                "what": "征求意见",
                "by": opinion.recorded_by,
                "text": "。".join(
                    part
                    for part in (
                        f"{opinion.body}：{opinion.get_conclusion_display()}",
                        opinion.text,
                    )
                    if part
                ),
            }
        )
    for vote in candidate.votes.select_related("recorded_by"):
        share = round(vote.votes_for * 100 / vote.participants, 1) if vote.participants else 0
        items.append(
            {
                "on": vote.on,
                "what": "民主推荐",
                "by": vote.recorded_by,
                "text": f"{vote.meeting}：参加 {vote.participants} 人，得票 {vote.votes_for}"
                f"（{share}%）",
            }
        )
    if candidate.listed_on:
        items.append(
            {
                "on": candidate.listed_on,
                "what": "列入初步人选",
                "by": candidate.listed_by,
                "text": "",
            }
        )
    if candidate.closed_on:
        what = "研究决定入库" if candidate.status == CandidateStatus.ENTERED else "不再考察"
        items.append(
            {
                "on": candidate.closed_on,
                "what": what,
                "by": candidate.closed_by,
                "text": candidate.close_note,
            }
        )
    return sorted(items, key=lambda item: item["on"])


def _render(request, candidate, forms):
    context = base_context(request, candidate.pool.owner, "pools")
    context.update(
        candidate=candidate,
        pool=candidate.pool,
        timeline=_timeline(candidate),
        forms=forms,
        steps=STEPS,
        is_open=candidate.status in (CandidateStatus.SURVEYING, CandidateStatus.LISTED),
    )
    return render(request, "cadres/candidate.html", context)


@scope_required(Cap.VIEW)
def candidate(request, pk):
    found = selectors.get_candidate(scope=request.scope, pk=pk)
    return _render(request, found, _forms(found))


@scope_required(Cap.CHANGE)
@require_POST
def candidate_step(request, pk, step):
    found = selectors.get_candidate(scope=request.scope, pk=pk)
    if step not in STEPS:
        raise Http404("没有这个步骤")
    forms = _forms(found, bound=request.POST, step=step)
    form = forms[step]
    if form.is_valid():
        data = form.cleaned_data
        by = request.user
        try:
            if step == "talk":
                services.talk_record(candidate=found, by=by, **data)
            elif step == "opinion":
                services.opinion_record(candidate=found, by=by, **data)
            elif step == "vote":
                services.vote_record(candidate=found, by=by, **data)
            elif step == "list":
                services.candidate_list(candidate=found, on=data["on"], by=by)
            elif step == "decide":
                services.candidate_decide(
                    candidate=found,
                    on=data["on"],
                    meeting=data["meeting"],
                    level=data.get("level"),
                    document_no=data["document_no"],
                    by=by,
                )
            else:
                services.candidate_drop(candidate=found, on=data["on"], note=data["note"], by=by)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = STEPS[step][0]
            return done(
                request, f"已记录{label}：{found.person.name}", "cadres:candidate", found.pk
            )
    return _render(request, found, forms)
