"""Recommendations: the list, a new one, and its page — the steps as a timeline, the rule
不培训不上岗 in amber (warns) or red (refuses), and the form of the current step."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.codes import PostKind
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import date_param, id_param, no_scope, query_without_page
from tongxin.core.paging import paginate
from tongxin.orgs.http import org_param

from .. import selectors, services
from ..forms import AdvanceForm, RecommendationForm, StopForm
from ..models import Direction, RecommendationStatus
from .common import (
    NAV,
    all_orgs,
    base_context,
    done,
    org_choices,
    people_for_forms,
    person_param,
    today,
)


@scope_required(Cap.VIEW)
def recommendation_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    get = request.GET
    filters = selectors.RecommendationFilter(
        status=get.get("status", "") if get.get("status") in RecommendationStatus.values else "",
        direction=get.get("direction", "") if get.get("direction") in Direction.values else "",
        post_kind=get.get("post_kind", "") if get.get("post_kind") in PostKind.values else "",
        step=id_param(request, "step"),
        appointed_from=date_param(request, "appointed_from"),
        appointed_to=date_param(request, "appointed_to"),
        q=get.get("q", "").strip(),
    )
    found = selectors.recommendation_list(scope=request.scope, org=org, filters=filters)
    page = paginate(
        found.select_related("person", "current_step", "target_org", "post", "owner"),
        page_number=get.get("page"),
        per_page=settings.TONGXIN_ROSTER_PAGE_SIZE,
    )
    rows = page.object_list
    context = base_context(request, org, "recommendations")
    context.update(
        page=page,
        rows=sorted(rows, key=lambda r: (r.started_on, r.pk), reverse=True),
        filters=filters,
        statuses=RecommendationStatus.choices,
        directions=Direction.choices,
        steps=selectors.steps_for(org=org),
        query=query_without_page(request),
    )
    return render(request, "cadres/recommendations.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def recommendation_create(request):
    org = org_param(request)
    person = person_param(request)
    form = RecommendationForm(
        request.POST or None,
        person=person,
        people=people_for_forms(request),
        orgs=all_orgs(request),
        initial={"owner": org.pk if org else None, "started_on": today()},
    )
    form.fields["owner"].queryset = org_choices(request)
    if request.method == "POST" and form.is_valid():
        recommendation = form.save(commit=False)
        recommendation.person = form.person
        try:
            recommendation = services.recommendation_create(
                recommendation=recommendation, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request,
                f"已登记推荐：{form.person.name} 拟任 {recommendation.title}",
                "cadres:recommendation",
                recommendation.pk,
            )
    context = base_context(request, org, "recommendations")
    context.update(
        form=form,
        person=person,
        heading="推荐人选（内用、外举）",
        intro="内用：推荐担任委员会或支部委员会职务；外举：推荐实职安排（须填写职务级别）"
        "或政治安排（人大代表、政协委员等，须填写层级和届次）。",
        cancel="",
    )
    return render(request, "cadres/form.html", context)


def _render(request, recommendation, *, form=None, stop_form=None):
    on = today()
    step = recommendation.current_step
    breaches = []
    if recommendation.status == RecommendationStatus.IN_PROGRESS:
        check_on = on
        if form is not None and form.is_bound and form.is_valid():
            check_on = form.cleaned_data["on"]
        breaches = services.rule_breaches(recommendation=recommendation, on=check_on)
        if form is None:
            form = AdvanceForm(
                step=step,
                warn=any(not b.blocking for b in breaches),
                initial={"on": on},
            )
    steps = selectors.steps_for(org=recommendation.owner)
    events = list(recommendation.events.select_related("step", "recorded_by"))
    done_ids = {e.step_id for e in events}
    context = base_context(request, recommendation.owner, "recommendations")
    context.update(
        recommendation=recommendation,
        events=events,
        steps=[
            {
                "step": s,
                "state": "done"
                if s.pk in done_ids
                else "current"
                if step is not None and s.pk == step.pk
                else "waiting",
            }
            for s in steps
        ],
        form=form,
        stop_form=stop_form or StopForm(initial={"on": on}),
        refusals=[b for b in breaches if b.blocking],
        warnings=[b for b in breaches if not b.blocking],
    )
    return render(request, "cadres/recommendation.html", context)


@scope_required(Cap.VIEW)
def recommendation_detail(request, pk):
    recommendation = selectors.get_recommendation(scope=request.scope, pk=pk)
    return _render(request, recommendation)


@scope_required(Cap.CHANGE)
@require_POST
def recommendation_advance(request, pk):
    recommendation = selectors.get_recommendation(scope=request.scope, pk=pk)
    step = recommendation.current_step
    if step is None:
        return done(request, "该推荐已办结", "cadres:recommendation", pk)
    form = AdvanceForm(request.POST, step=step, warn=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_advance(
                recommendation=recommendation,
                on=data["on"],
                opinion=data["opinion"],
                participants=data.get("participants"),
                votes_for=data.get("votes_for"),
                document_no=data["document_no"],
                warning_reason=data.get("warning_reason", ""),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            recommendation.refresh_from_db()
            message = f"已办理「{step.name}」：{recommendation.person.name}"
            if recommendation.post_id:
                message += f"，已建立任职记录「{recommendation.post.title}」"
            return done(request, message, "cadres:recommendation", pk)
    return _render(request, recommendation, form=form)


@scope_required(Cap.CHANGE)
@require_POST
def recommendation_stop(request, pk):
    recommendation = selectors.get_recommendation(scope=request.scope, pk=pk)
    form = StopForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_stop(
                recommendation=recommendation,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request,
                f"已终止对 {recommendation.person.name} 的推荐",
                "cadres:recommendation",
                pk,
            )
    return _render(request, recommendation, stop_form=form)
