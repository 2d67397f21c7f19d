"""Rounds: the 考评表彰 home, starting a round, the ranking, a branch's score sheet, scoring,
closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.codes import OrgKind
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import int_param
from tongxin.orgs import selectors as org_selectors

from .. import selectors, services
from ..calculators import points_text
from ..forms import RoundForm, ScoreForm
from ..models import EvaluationRound
from .common import drill_down_page


@scope_required(Cap.VIEW)
def index(request):
    rounds = (
        selectors.rounds_in(scope=request.scope)
        .select_related("org", "rubric")
        .annotate(branches=Count("scores__org", distinct=True))
    )
    # A branch chair sees the rounds in which the own branch is scored, sheet by sheet.
    own = []
    if not rounds.exists():
        for round_ in selectors.rounds_with_sheets(scope=request.scope).select_related("org"):
            orgs = (
                round_.scores.filter(request.scope.q("org__path"))
                .values_list("org_id", "org__name")
                .distinct()
                .order_by("org__path")
            )
            own += [(round_, org_id, name) for org_id, name in orgs]
    return render(
        request,
        "evaluation/index.html",
        {
            "rounds": rounds,
            "own_sheets": own,
            "rubrics": selectors.rubrics_in(scope=request.scope).select_related("org"),
            "can_change": request.scope.can(Cap.CHANGE),
            "nav_active": "evaluation",
        },
    )


def _round_orgs(request):
    """The organizations a round may be held for: the scope's nodes that have branches."""
    return (
        org_selectors.organizations(scope=request.scope, on=timezone.localdate())
        .exclude(kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
        .order_by("path")
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def round_new(request):
    today = timezone.localdate()
    org = org_selectors.default_org(scope=request.scope)
    rubrics = selectors.rubrics_in(scope=request.scope)
    form = RoundForm(
        request.POST or None,
        orgs=_round_orgs(request),
        rubrics=rubrics,
        initial={"org": org, "year": today.year - 1, "rubric": rubrics.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                org=data["org"], year=data["year"], rubric=data["rubric"], title=data["title"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = round_.scores.values("org").distinct().count()
            messages.success(request, f"已建立「{round_}」，共 {count} 个支部参加考评")
            return redirect("evaluation:round", pk=round_.pk)
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "heading": "新建考评",
            "nav_active": "evaluation",
            "back": "evaluation:index",
        },
    )


def _categories(round_: EvaluationRound) -> list[tuple[str, list[int]]]:
    """The rubric's categories in order, each with its items' ids (the ranking's columns)."""
    columns: dict[str, list[int]] = {}
    for item in round_.rubric.items.all():
        columns.setdefault(item.category or "其他", []).append(item.pk)
    return list(columns.items())


def ranking_rows(round_: EvaluationRound) -> tuple[list, list]:
    """The ranking's rows (a standing with its subtotal per category) and the categories."""
    categories = _categories(round_)
    rows = []
    for standing in selectors.standings(round_=round_):
        subtotals = [
            sum((standing.items[i].points or 0 for i in ids if i in standing.items), 0)
            for _, ids in categories
        ]
        rows.append({"standing": standing, "subtotals": subtotals})
    return rows, categories


@scope_required(Cap.VIEW)
def round_detail(request, pk):
    round_ = selectors.get_round(scope=request.scope, pk=pk)
    rows, categories = ranking_rows(round_)
    awards = round_.awards.select_related("org", "person").order_by("kind", "pk")
    return render(
        request,
        "evaluation/round.html",
        {
            "round": round_,
            "rows": rows,
            "categories": [name for name, _ in categories],
            "awards": awards,
            "can_change": request.scope.can(Cap.CHANGE),
            "can_export": request.scope.can(Cap.EXPORT),
            "nav_active": "evaluation",
        },
    )


def _may_self_score(request, round_) -> bool:
    return round_.is_open and (
        request.scope.can(Cap.RECORD_ACTIVITY) or request.scope.can(Cap.CHANGE)
    )


def _may_review(request, round_) -> bool:
    return (
        round_.is_open
        and request.scope.can(Cap.CHANGE)
        and selectors.may_review(request.scope, round_)
    )


def _sheet_context(request, round_, org) -> dict:
    ranking = selectors.standings(round_=round_)
    standing = next(s for s in ranking if s.org.pk == org.pk)
    return {
        "round": round_,
        "org": org,
        "standing": standing,
        "items": list(standing.items.values()),
        "sentence": selectors.ranking_sentence(
            round_=round_, standing=standing, count=len(ranking)
        ),
        "whole_round": selectors.may_review(request.scope, round_),
        "may_self": _may_self_score(request, round_),
        "may_review": _may_review(request, round_),
        "nav_active": "evaluation",
    }


@scope_required(Cap.VIEW)
def sheet(request, pk, org_pk):
    round_, org = selectors.get_sheet(scope=request.scope, round_pk=pk, org_pk=org_pk)
    return render(request, "evaluation/sheet.html", _sheet_context(request, round_, org))


@scope_required(Cap.VIEW)
@require_POST
def score(request, pk):
    """Save one score of a sheet (htmx: answers with the row and the new totals)."""
    score_ = selectors.get_score(scope=request.scope, pk=pk)
    round_ = score_.round
    form = ScoreForm(request.POST)
    if not form.is_valid():
        raise Http404("请求无效")
    which, points, text = (form.cleaned_data[k] for k in ("which", "points", "text"))
    if which == "review" and not _may_review(request, round_):
        raise PermissionDenied("只有考评组织的工作人员才能评审打分")
    if which == "self" and not _may_self_score(request, round_):
        raise PermissionDenied("您不能填写自评分")
    error = ""
    try:
        if which == "review":
            services.score_review(score=score_, points=points, note=text, by=request.user)
        else:
            services.score_self(score=score_, points=points, evidence=text)
    except ValidationError as exc:
        error = "；".join(exc.messages)
    done = "" if error else f"已保存{'评审分' if which == 'review' else '自评分'}"
    if points is not None and not error:
        done += f" {points_text(points)} 分"
    if request.htmx:
        context = _sheet_context(request, round_, score_.org)
        context.update(row_error=error, row_done=f"「{score_.item.title}」{done}" if done else "")
        return render(request, "evaluation/_sheet.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"「{score_.item.title}」{done}")
    return redirect("evaluation:sheet", pk=round_.pk, org_pk=score_.org_id)


@scope_required(Cap.CHANGE)
@require_POST
def close(request, pk):
    round_ = selectors.get_round(scope=request.scope, pk=pk)
    try:
        services.round_close(round_=round_, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"「{round_}」已定稿，各项得分及其依据已固定")
    return redirect("evaluation:round", pk=round_.pk)


STANDING_FILTERS = {"": "全部参评", "1": "第一名", "3": "前三名"}


@scope_required(Cap.VIEW)
def standings_list(request):
    """The scored branches of a subtree in the rounds of a period (the statistics'
    drill-down): round, branch, total and place."""
    top = request.GET.get("rank", "")
    rank = int_param(request, "rank", maximum=10_000) or 0

    def records(org, start, end):
        return selectors.scored_entries(
            scope=request.scope,
            org=org,
            start=start,
            end=end,
            top=rank,
        )

    label = STANDING_FILTERS.get(top, "全部参评")
    return drill_down_page(request, "evaluation/standings.html", records, {"label": label})
