"""Pools: the list, a pool's page, entering and exiting people, the entries list (the drill-down
target of the statistics), the survey and the year-end review."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.dated import in_force_q
from tongxin.core.dates import age_on
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import no_scope, parse_year, query_without_page
from tongxin.core.paging import paginate
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param

from .. import selectors, services
from ..forms import (
    CandidateStartForm,
    EntryFilterForm,
    EntryForm,
    ExitForm,
    PoolForm,
    PoolLevelForm,
    RegisterForm,
    ReviewForm,
)
from ..models import CandidateStatus, PoolLevel, ReviewDecision, TalentPool
from .common import (
    NAV,
    base_context,
    done,
    org_choices,
    person_param,
    today,
)


@scope_required(Cap.VIEW)
def index(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    on = today()
    pools = (
        selectors.pools(scope=request.scope, org=org)
        .annotate(
            active=Count(
                "entries",
                filter=in_force_q("entries__", on),
                distinct=True,
            ),
            open_candidates=Count(
                "candidates",
                filter=Q(
                    candidates__status__in=[CandidateStatus.SURVEYING, CandidateStatus.LISTED]
                ),
                distinct=True,
            ),
        )
        .prefetch_related("excludes", "levels")
        .order_by("owner__path", "kind", "name")
    )
    context = base_context(request, org, "pools")
    context.update(pools=pools, on=on, year=selectors.assessment_year(on))
    return render(request, "cadres/index.html", context)


def _pool_form(request, pool):
    return PoolForm(
        request.POST or None,
        instance=pool,
        orgs=org_choices(request),
        pools=selectors.pools(scope=request.scope),
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def pool_create(request):
    org = org_param(request)
    pool = TalentPool(owner=org)
    form = _pool_form(request, pool)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_save(
                pool=form.save(commit=False), excludes=form.cleaned_data["excludes"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, f"已新建「{pool.name}」", "cadres:pool", pool.pk)
    context = base_context(request, org, "pools")
    context.update(form=form, heading="新建人才库", cancel=reverse("cadres:index"))
    return render(request, "cadres/form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def pool_edit(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    form = _pool_form(request, pool)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_save(pool=form.save(commit=False), excludes=form.cleaned_data["excludes"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, f"已保存「{pool.name}」的设置", "cadres:pool", pool.pk)
    context = base_context(request, pool.owner, "pools")
    context.update(
        form=form,
        pool=pool,
        heading=f"{pool.name} · 设置",
        level_form=PoolLevelForm(),
        levels=pool.levels.all(),
    )
    return render(request, "cadres/pool_edit.html", context)


@scope_required(Cap.CHANGE)
@require_POST
def pool_level_add(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    form = PoolLevelForm(request.POST, instance=PoolLevel(pool=pool))
    if form.is_valid():
        try:
            level = services.pool_level_save(level=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request, f"已为「{pool.name}」增加层级“{level.label}”", "cadres:pool_edit", pk
            )
    context = base_context(request, pool.owner, "pools")
    context.update(
        form=_pool_form(request, pool),
        pool=pool,
        heading=f"{pool.name} · 设置",
        level_form=form,
        levels=pool.levels.all(),
    )
    return render(request, "cadres/pool_edit.html", context)


@scope_required(Cap.VIEW)
def pool_detail(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    on = today()
    pool_entries = selectors.entries(scope=request.scope).filter(pool=pool)
    active = list(pool_entries.active_on(on).select_related("person", "level").order_by("start"))
    ended = list(
        pool_entries.exclude(pk__in=[e.pk for e in active])
        .select_related("person")
        .order_by("-end", "-start")[:100]
    )
    open_candidates = (
        selectors.candidates(scope=request.scope)
        .filter(pool=pool, status__in=[CandidateStatus.SURVEYING, CandidateStatus.LISTED])
        .select_related("person")
        .order_by("found_on")
    )
    context = base_context(request, pool.owner, "pools")
    context.update(
        pool=pool,
        on=on,
        active=[(e, age_on(e.person.birth_date, on)) for e in active],
        ended=ended,
        open_candidates=open_candidates,
        year=selectors.assessment_year(on),
    )
    return render(request, "cadres/pool_detail.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def entry_create(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    on = today()
    form = EntryForm(
        request.POST or None,
        pool=pool,
        person=person_param(request),
        people=selectors.population(scope=request.scope, org=pool.owner, on=on),
        units=org_selectors.subtree(scope=request.scope, org=pool.owner, on=on),
        initial={"start": on, "decision_date": on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.pool_entry_start(
                pool=pool,
                person=form.person,
                on=data["start"],
                source=data["source"],
                decision_meeting=data["decision_meeting"],
                decision_date=data["decision_date"],
                level=data.get("level"),
                document_no=data["document_no"],
                recommending_unit=data.get("recommending_unit"),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, f"已将 {entry.person.name} 列入「{pool.name}」", "cadres:pool", pk)
    context = base_context(request, pool.owner, "pools")
    context.update(
        form=form,
        pool=pool,
        person=form.person,
        heading=f"{pool.name} · 入库",
        cancel=reverse("cadres:pool", args=[pool.pk]),
    )
    return render(request, "cadres/form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def register(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    on = today()
    orgs = org_selectors.subtree(scope=request.scope, org=pool.owner, on=on)
    form = RegisterForm(
        request.POST or None,
        pool=pool,
        orgs=orgs,
        initial={"org": pool.owner.pk, "start": on, "decision_date": on, "source": "unit"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.pool_person_register(
                person=form.save(commit=False),
                org=data["org"],
                pool=pool,
                on=data["start"],
                source=data["source"],
                decision_meeting=data["decision_meeting"],
                decision_date=data["decision_date"],
                level=data.get("level"),
                recommending_unit=data.get("recommending_unit"),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request,
                f"已登记 {entry.person.name}（档案所在：{data['org'].name}）并列入「{pool.name}」",
                "cadres:pool",
                pk,
            )
    context = base_context(request, pool.owner, "pools")
    context.update(
        form=form,
        pool=pool,
        heading=f"{pool.name} · 登记党外人士或人才并入库",
        intro="用于不是本组织成员的人员（党外干部、人才库人员）：登记其基本信息和档案所在组织"
        "（管理关系），并列入本库。本组织成员请用“入库”。",
        cancel=reverse("cadres:pool", args=[pool.pk]),
    )
    return render(request, "cadres/form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def entry_exit(request, pk):
    entry = selectors.get_entry(scope=request.scope, pk=pk)
    form = ExitForm(request.POST or None, initial={"end": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pool_entry_end(
                entry=entry,
                on=data["end"],
                reason=data["reason"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request,
                f"{entry.person.name} 已于 {data['end']:%Y-%m-%d} 出库",
                "cadres:pool",
                entry.pool_id,
            )
    context = base_context(request, entry.pool.owner, "pools")
    context.update(
        form=form,
        heading=f"{entry.person.name} · 出库（{entry.pool.name}）",
        cancel=reverse("cadres:pool", args=[entry.pool_id]),
    )
    return render(request, "cadres/form.html", context)


@scope_required(Cap.VIEW)
def entries(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    form = EntryFilterForm(request.GET, pools=selectors.pools(scope=request.scope, org=org))
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    filters = selectors.EntryFilter(**data)
    found = selectors.entry_list(scope=request.scope, org=org, filters=filters)
    page = paginate(
        found.select_related("pool", "person", "level"),
        page_number=request.GET.get("page"),
        per_page=settings.TONGXIN_ROSTER_PAGE_SIZE,
    )
    rows = page.object_list
    query = query_without_page(request)
    age_day = filters.on or filters.ended_to or filters.started_to or today()
    context = base_context(request, org, "pools")
    context.update(
        form=form,
        page=page,
        rows=[(e, age_on(e.person.birth_date, age_day)) for e in rows],
        query=query,
        filters=filters,
    )
    return render(request, "cadres/entries.html", context)


@scope_required(Cap.VIEW)
def survey(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    on = today()
    people = selectors.eligible(scope=request.scope, pool=pool, on=on)
    page = paginate(
        people, page_number=request.GET.get("page"), per_page=settings.TONGXIN_ROSTER_PAGE_SIZE
    )
    context = base_context(request, pool.owner, "pools")
    context.update(
        pool=pool,
        on=on,
        page=page,
        rows=[(p, age_on(p.birth_date, on)) for p in page.object_list],
        start_form=CandidateStartForm(initial={"on": on}),
    )
    return render(request, "cadres/survey.html", context)


@scope_required(Cap.CHANGE)
@require_POST
def candidate_create(request, pk):
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    person = person_param(request)
    form = CandidateStartForm(request.POST)
    if person is None or not form.is_valid():
        return done(request, "请选择人员并填写日期", "cadres:survey", pk)
    try:
        candidate = services.candidate_start(
            pool=pool,
            person=person,
            on=form.cleaned_data["on"],
            source=form.cleaned_data["source"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "未列入考察：" + "；".join(exc.messages))
        return redirect("cadres:survey", pk)
    return done(
        request,
        f"已将 {person.name} 列为「{pool.name}」的考察人选",
        "cadres:candidate",
        candidate.pk,
    )


@scope_required(Cap.VIEW)
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """动态管理: who is over age, assessed below standard or untrained; keep or exit each."""
    pool = selectors.get_pool(scope=request.scope, pk=pk)
    on = today()
    year = parse_year(request.GET.get("year") or request.POST.get("year"), "year")
    year = year or selectors.assessment_year(on)
    show_all = request.GET.get("all") == "1"
    errors = {}
    if request.method == "POST":
        request.scope.require(Cap.CHANGE)
        entry = selectors.get_entry(scope=request.scope, pk=request.POST.get("entry") or 0)
        if entry.pool_id != pool.pk:
            entry = selectors.get_entry(scope=request.scope, pk=0)
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.pool_review_decide(
                    entry=entry,
                    year=year,
                    on=on,
                    decision=data["decision"],
                    reason=data["reason"],
                    flags=request.POST.get("flags", ""),
                    exit_reason=data["exit_reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                errors[entry.pk] = exc.messages
            else:
                verb = "保留" if data["decision"] == ReviewDecision.KEEP else "出库"
                return done(
                    request,
                    f"已记录：{entry.person.name} {verb}（{year}年度动态管理）",
                    "cadres:review",
                    pk,
                    query=f"year={year}",
                )
        else:
            errors[entry.pk] = [e for es in form.errors.values() for e in es]
    rows = selectors.review_rows(scope=request.scope, pool=pool, year=year, on=on)
    shown = rows if show_all else [r for r in rows if r.flagged]
    context = base_context(request, pool.owner, "pools")
    context.update(
        pool=pool,
        on=on,
        year=year,
        rows=shown,
        total=len(rows),
        flagged=sum(1 for r in rows if r.flagged),
        show_all=show_all,
        errors=errors,
        form=ReviewForm(),
    )
    return render(request, "cadres/review.html", context)
