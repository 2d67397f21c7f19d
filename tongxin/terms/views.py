"""Terms and elections: the organization page's 届次与班子 tab, the election form, and the lists
the workbench and the statistics link to."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.dates import age_on
from tongxin.core.decorators import scope_required
from tongxin.core.figures import share, values
from tongxin.core.forms import add_service_errors
from tongxin.core.http import date_param, id_param, no_scope, query_without_page, url_with_query
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param
from tongxin.people.selectors import members_on

from . import campaign, selectors, services
from .forms import CampaignForm, ElectionForm, seats_text
from .stats import drill_down

TERMS_PAGE_SIZE = 50


# The figures of a term shown under its sentence, each a link to its seats.
TAB_FIGURES = (
    ("seats", "席位"),
    ("re_elected", "连任"),
    ("newcomers", "新进"),
    ("women", "女性"),
    ("college_or_above", "大专及以上"),
    ("chairs_re_elected", "主要负责人连任"),
    ("average_age", "平均年龄"),
    ("previous_seats", "上届席位"),
    ("previous_women", "上届女性"),
    ("previous_average_age", "上届平均年龄"),
)


def org_tab_context(request, org) -> dict:
    """The 届次与班子 tab of the organization page."""
    terms = selectors.terms_with_seats(scope=request.scope, org=org)
    on = timezone.localdate()
    rows = []
    for term in terms:
        flags = selectors.seat_flags(term)
        start = term.start
        seats = [
            {
                "seat": seat,
                "age": age_on(seat.person.birth_date, start),
                "re_elected": flags[seat.pk],
            }
            for seat in term.seats.all()
        ]
        election = getattr(term, "election", None)
        candidates = [
            (candidate, share(candidate.votes, election.voted))
            for candidate in (election.candidates.all() if election else ())
        ]
        figures = selectors.composition_figures(
            selectors.terms_in(scope=request.scope).filter(pk=term.pk),
            url=drill_down({"term": term.pk}),
        )
        rows.append(
            {
                "term": term,
                "election": election,
                "candidates": candidates,
                "seats": seats,
                "composition": selectors.Composition(**values(figures)),
                "figures": [
                    (label, figures[key])
                    for key, label in TAB_FIGURES
                    if key in figures and (term.previous_id or not key.startswith("previous"))
                ],
                "current": term.end is None,
                "overdue": term.end is None and term.due_end < on,
                "due_soon": term.end is None and on <= term.due_end <= selectors.due_soon_limit(on),
            }
        )
    return {
        "term_rows": rows,
        "can_change": request.scope.can(Cap.CHANGE),
    }


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def election_new(request, pk):
    org = org_selectors.get_org(scope=request.scope, pk=pk)
    latest = selectors.terms_in(scope=request.scope).filter(org=org).order_by("-start").first()
    today = timezone.localdate()
    initial = {
        "number": latest.number + 1 if latest else 1,
        "held_on": today,
        "entitled": members_on(scope=request.scope, org=org, on=today).count(),
        "seats": seats_text(latest) if latest else "",
    }
    form = ElectionForm(request.POST or None, org=org, scope=request.scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.election_record(
                org=org,
                number=data["number"],
                held_on=data["held_on"],
                due_end=data["due_end"],
                entitled=data["entitled"],
                voted=data["voted"],
                seats=data["seat_list"],
                votes=data["vote_list"],
                document_no=data["document_no"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            sentence = selectors.term_composition(term).sentence()
            messages.success(request, f"已记录「{org}」{term.label}换届选举：{sentence}")
            for warning in term.rule_warnings:
                messages.warning(request, f"{warning}（仅提醒，已记录）")
            return redirect(f"{reverse('orgs:detail', args=[org.pk])}?tab=terms")
    return render(
        request,
        "terms/election_form.html",
        {
            "form": form,
            "org": org,
            "latest": latest,
            "nav_active": "orgs",
            "heading": f"「{org}」换届选举",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def election_undo(request, pk):
    term = selectors.get_term(scope=request.scope, pk=pk)
    org = term.org
    try:
        previous = services.election_undo(term=term)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        again = f"，{previous.label}恢复为现任" if previous else ""
        messages.success(request, f"已撤销「{org}」{term.label}的换届记录{again}")
    return redirect(f"{reverse('orgs:detail', args=[org.pk])}?tab=terms")


TERM_LISTS = {
    "soon": "六个月内届满",
    "overdue": "已届满未换届",
    "renewed": "期间内换届",
}


@scope_required(Cap.VIEW)
def terms_list(request):
    """Terms of a subtree: falling due, overdue, or renewed in a period (the workbench's and
    the statistics' drill-down)."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "orgs")
    on = date_param(request, "on") or timezone.localdate()
    which = request.GET.get("due", "")
    start, end = date_param(request, "from"), date_param(request, "to")
    if which == "soon":
        terms = selectors.due_soon(scope=request.scope, org=org, on=on)
    elif which == "overdue":
        terms = selectors.overdue(scope=request.scope, org=org, on=on)
    elif start and end:
        which = "renewed"
        terms = selectors.renewed(scope=request.scope, org=org, start=start, end=end)
    else:
        which = ""
        terms = selectors.current_terms(scope=request.scope, org=org, on=on)
    terms = terms.select_related("org", "election").order_by("due_end", "org__path")
    sum_of = request.GET.get("sum", "")
    total = None
    if which == "renewed" and sum_of in ("entitled", "voted"):
        total = sum(
            terms.filter(election__isnull=False).values_list(f"election__{sum_of}", flat=True)
        )
    page = Paginator(terms, TERMS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(
        request,
        "terms/terms_list.html",
        {
            "org": org,
            "page": page,
            "which": which,
            "which_label": TERM_LISTS.get(which, "现任届次"),
            "start": start,
            "end": end,
            "on": on,
            "query": query,
            "sum_label": {"entitled": "应参加选举人数", "voted": "实际参加投票人数"}.get(sum_of),
            "can_change": request.scope.can(Cap.CHANGE),
            "sum_total": total,
            "nav_active": "orgs",
        },
    )


@scope_required(Cap.VIEW)
def seats_list(request):
    """Seats behind a composition figure: of one term (``term``), or of the terms of a subtree
    renewed in a period (``org``, ``from``, ``to``); ``set=previous`` for the committees they
    replaced; ``which`` narrows to 连任, 新进, 女性 …"""
    which = request.GET.get("which", "seats")
    if which not in selectors.SEAT_FILTERS:
        which = "seats"
    previous = request.GET.get("set") == "previous"
    term_pk = id_param(request, "term")
    org = None
    if term_pk is not None:
        term = selectors.get_term(scope=request.scope, pk=term_pk)
        terms = selectors.terms_in(scope=request.scope).filter(pk=term.pk)
        title = f"{term.org} {term.label}"
    else:
        org = org_param(request)
        if org is None:
            return no_scope(request, "orgs")
        start, end = date_param(request, "from"), date_param(request, "to")
        if not (start and end):
            end = timezone.localdate()
            start = end.replace(month=1, day=1)
        terms = selectors.renewed(scope=request.scope, org=org, start=start, end=end)
        title = f"{org} {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 换届"
    seats = (selectors.previous_seats_of if previous else selectors.seats_of)(terms, which)
    seats = seats.select_related("person", "term__org").order_by("term__org__path", "order", "pk")
    page = Paginator(seats, TERMS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"seat": seat, "age": age_on(seat.person.birth_date, seat.term.start)}
        for seat in page.object_list
    ]
    query = query_without_page(request)
    return render(
        request,
        "terms/seats_list.html",
        {
            "org": org,
            "title": title,
            "which_label": selectors.SEAT_FILTERS[which],
            "previous": previous,
            "page": page,
            "rows": rows,
            "query": query,
            "nav_active": "orgs",
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@scope_required(Cap.CHANGE)
def campaign_template(request):
    record_event(Kind.EXPORT, request=request, summary="下载集中换届导入模板", rows=0)
    response = HttpResponse(campaign.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote('集中换届导入模板.xlsx')}"
    )
    return response


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def campaign_import(request):
    """A campaign of elections from a workbook, all or nothing (``campaign``)."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "orgs")
    form = CampaignForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = campaign.import_file(
            data=upload.read(),
            filename=upload.name,
            scope=request.scope,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not form.cleaned_data["dry_run"]:
            summary = campaign.summary(result)
            record_event(
                Kind.IMPORT,
                request=request,
                summary=f"导入集中换届：{summary}",
                detail={"文件": upload.name, "选举": len(result.terms), "班子成员": result.seats},
                rows=result.seats,
            )
            messages.success(request, f"已导入集中换届：{summary}")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(url_with_query("terms:terms", org=org.pk))
    return render(
        request,
        "terms/campaign_import.html",
        {"form": form, "org": org, "result": result, "nav_active": "orgs"},
    )
