"""Awards decided in a round, the award lists, and the round's documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.orgs.models import Organization

from .. import exports, selectors, services
from ..forms import AwardForm
from ..models import Award, AwardKind
from .common import drill_down_page
from .rounds import ranking_rows


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def award_new(request, pk):
    round_ = selectors.get_round(scope=request.scope, pk=pk)
    branches = Organization.objects.filter(pk__in=round_.scores.values("org_id")).order_by("path")
    form = AwardForm(
        request.POST or None,
        branches=branches,
        scope=request.scope,
        round_org=round_.org,
        initial={"decided_on": timezone.localdate(), "kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        award = Award(
            round=round_,
            kind=data["kind"],
            title=data["title"],
            org=data["org"],
            person=data["person_obj"],
            decided_on=data["decided_on"],
            document_no=data["document_no"],
        )
        try:
            services.award_decide(award=award)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已评定「{award.display_title}」：{award.recipient}")
            return redirect(f"{reverse('evaluation:round', args=[round_.pk])}#awards")
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "heading": f"{round_} · 评定表彰",
            "back_url": reverse("evaluation:round", args=[round_.pk]),
            "nav_active": "evaluation",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def award_delete(request, pk):
    award = selectors.get_award(scope=request.scope, pk=pk)
    round_pk = award.round_id
    services.award_withdraw(award=award)
    messages.success(request, f"已撤销「{award.display_title}」：{award.recipient}")
    return redirect(f"{reverse('evaluation:round', args=[round_pk])}#awards")


@scope_required(Cap.VIEW)
def awards_list(request):
    """Awards of a subtree decided in a period (the statistics' drill-down)."""
    kind = request.GET.get("kind", "")
    if kind not in AwardKind.values:
        kind = ""

    def records(org, start, end):
        found = selectors.awards_under(
            scope=request.scope, org=org, start=start, end=end, kind=kind
        )
        return found.select_related("round", "org", "person").order_by("-decided_on", "kind", "pk")

    label = AwardKind(kind).label if kind else "全部表彰"
    return drill_down_page(request, "evaluation/awards.html", records, {"kind_label": label})


EXPORTS = {"ranking": "考评排名", "awards": "表彰名单"}


@scope_required(Cap.EXPORT)
def export(request, pk):
    """The ranking or the award list of a round, as .xlsx or Word; each export is audited."""
    round_ = selectors.get_round(scope=request.scope, pk=pk)
    what, fmt = request.GET.get("what", "ranking"), request.GET.get("format", "xlsx")
    if what not in EXPORTS or fmt not in ("xlsx", "docx"):
        raise Http404("没有这种导出")
    if what == "ranking":
        rows, categories = ranking_rows(round_)
        table = exports.ranking_table(round_, rows, [name for name, _ in categories])
        detail = exports.detail_rows([row["standing"] for row in rows])
    else:
        awards = round_.awards.select_related("org", "person").order_by("kind", "pk")
        table = exports.awards_table(round_, awards)
        detail = None
    if fmt == "xlsx":
        body, content_type = exports.xlsx(table, detail), exports.XLSX
    else:
        body, content_type = exports.docx(table, on=timezone.localdate()), exports.DOCX
    label = EXPORTS[what]
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出「{round_}」{label}（{'Excel' if fmt == 'xlsx' else 'Word'}）",
        detail={"考评": round_.pk, "名称": round_.title, "内容": label, "格式": fmt},
        rows=len(table.rows),
    )
    response = HttpResponse(body, content_type=content_type)
    filename = f"{round_.year}-{what}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
