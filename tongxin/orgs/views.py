from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.core.codes import PoliticalStatus
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import ids_param, no_scope, query_without_page
from tongxin.core.paging import paginate

from . import selectors, services, tree
from .forms import DissolveForm, MoveForm, OrganizationForm, OrgListForm
from .http import org_param
from .kinds import kind_choices
from .models import Organization


def _party_label(code: str) -> str:
    return PoliticalStatus(code).label if code else ""


def _show_dissolved(request) -> bool:
    return request.GET.get("dissolved") == "1"


def _tree_context(request, selected, target):
    on = timezone.localdate()
    return {
        "tree": tree.build(
            scope=request.scope, selected=selected, on=on, show_dissolved=_show_dissolved(request)
        ),
        "tree_target": target,
        "show_dissolved": _show_dissolved(request),
        "selected": selected,
    }


@scope_required(Cap.VIEW)
def tree_page(request):
    org = selectors.default_org(scope=request.scope)
    if org is None:
        return no_scope(request, "orgs")
    return redirect("orgs:detail", pk=org.pk)


@scope_required(Cap.VIEW)
def detail(request, pk):
    org = selectors.get_org(scope=request.scope, pk=pk)
    on = timezone.localdate()
    kids = list(
        selectors.children(
            scope=request.scope, org=org, on=None if _show_dissolved(request) else on
        )
    )
    counts = selectors.member_counts(scope=request.scope, nodes=[org, *kids], on=on)
    context = _tree_context(request, org, "orgs")
    context.update(
        org=org,
        nav_active="orgs",
        children=[(kid, counts[kid.pk]) for kid in kids],
        member_count=counts[org.pk],
        breadcrumb=selectors.ancestors_in_scope(scope=request.scope, org=org),
        effective_party=_party_label(org.effective_party()),
    )
    # Tabs of the apps built on the tree (届次与班子, 联系人, 活动 …) follow 基本信息.
    extra_tabs = extensions.get("org_tabs")
    open_tab = next((t for t in extra_tabs if t.key == request.GET.get("tab")), None)
    context.update(extra_tabs=extra_tabs, open_tab=open_tab)
    if open_tab is not None:
        context.update(open_tab.context(request, org))
    return render(request, "orgs/detail.html", context)


@scope_required(Cap.VIEW)
def tree_children(request, pk):
    """htmx: the children of one node, for the tree's lazy expansion."""
    org = selectors.get_org(scope=request.scope, pk=pk)
    nodes = tree.children_of(
        scope=request.scope,
        org=org,
        on=timezone.localdate(),
        show_dissolved=_show_dissolved(request),
    )
    target = request.GET.get("target", "orgs")
    if target not in ("orgs", "roster"):
        raise Http404
    return render(
        request,
        "orgs/_tree_nodes.html",
        {
            "nodes": nodes,
            "tree_target": target,
            "count_ids": [n.org.pk for n in nodes],
            "show_dissolved": _show_dissolved(request),
        },
    )


@scope_required(Cap.VIEW)
def org_list(request):
    """The organizations under a node on a date, by kind and category: the list each
    organization figure of the statistics opens (its length is the figure)."""
    org = org_param(request)
    if org is None:
        return no_scope(request, "orgs")
    form = OrgListForm(request.GET, categories=selectors.category_names())
    form.is_valid()
    data = form.cleaned_data
    on = data.get("as_of") or timezone.localdate()
    kinds = data.get("kind") or []
    orgs = selectors.organizations_at(
        scope=request.scope, org=org, on=on, kinds=kinds, category=data.get("category", "")
    ).order_by("path")
    page = paginate(
        orgs.prefetch_related("categories"), page_number=request.GET.get("page"), per_page=50
    )
    query = query_without_page(request)
    return render(
        request,
        "orgs/list.html",
        {
            "org": org,
            "form": form,
            "on": on,
            "page": page,
            "kinds": [dict(kind_choices()).get(k, k) for k in kinds],
            "kind_values": kinds,
            "query": query,
            "nav_active": "orgs",
        },
    )


MAX_COUNTED_NODES = 500


@scope_required(Cap.VIEW)
def tree_counts(request):
    """htmx: members under each listed node, as out-of-band swaps into the tree's badges."""
    ids = ids_param(request, "ids")
    nodes = list(
        selectors.organizations(scope=request.scope).filter(pk__in=ids[:MAX_COUNTED_NODES])
    )
    counts = selectors.member_counts(scope=request.scope, nodes=nodes, on=timezone.localdate())
    return render(request, "orgs/_tree_counts.html", {"counts": sorted(counts.items())})


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def create(request, pk):
    parent = selectors.get_org(scope=request.scope, pk=pk)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(
                parent=parent,
                org=form.save(commit=False),
                categories=form.cleaned_data["categories"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已在「{parent}」下设立「{org}」")
            return redirect("orgs:detail", pk=org.pk)
    context = _tree_context(request, parent, "orgs")
    context.update(form=form, parent=parent, nav_active="orgs", heading=f"在「{parent}」下设立组织")
    return render(request, "orgs/form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    org = selectors.get_org(scope=request.scope, pk=pk)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(
                org=form.save(commit=False), categories=form.cleaned_data["categories"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存「{org}」")
            return redirect("orgs:detail", pk=org.pk)
    context = _tree_context(request, org, "orgs")
    context.update(form=form, org=org, nav_active="orgs", heading=f"编辑「{org}」")
    return render(request, "orgs/form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def move(request, pk):
    org = selectors.get_org(scope=request.scope, pk=pk)
    if org.path in request.scope.paths:
        raise Http404("不能移动自己的管理范围根节点")
    if org.is_root():
        raise Http404
    parents = (
        selectors.organizations(scope=request.scope, on=timezone.localdate())
        .exclude(path__startswith=org.path)
        .order_by("path")
    )
    form = MoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_move(org=org, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将「{org}」移到「{form.cleaned_data['new_parent']}」之下")
            return redirect("orgs:detail", pk=org.pk)
    context = _tree_context(request, org, "orgs")
    context.update(form=form, org=org, nav_active="orgs", heading=f"移动「{org}」")
    return render(request, "orgs/form.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def dissolve(request, pk):
    org = selectors.get_org(scope=request.scope, pk=pk)
    if org.path in request.scope.paths or org.is_root():
        raise Http404("不能撤销自己的管理范围根节点")
    form = DissolveForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.org_dissolve(org=org, on=form.cleaned_data["on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已撤销「{org}」，其历史记录仍然保留")
            return redirect("orgs:detail", pk=Organization.objects.get_parent(org).pk)
    context = _tree_context(request, org, "orgs")
    context.update(form=form, org=org, nav_active="orgs", heading=f"撤销「{org}」")
    return render(request, "orgs/form.html", context)
