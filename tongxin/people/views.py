from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core import codes, extensions
from tongxin.core.codes import PostKind
from tongxin.core.dates import age_on
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import no_scope, query_without, url_with_query
from tongxin.core.idnumber import normalize_id_number
from tongxin.core.masking import REVEAL_PERMISSION, mask_id_number
from tongxin.core.urlpatterns import url_pattern
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs import tree
from tongxin.orgs.http import org_param

from . import selectors, services
from .forms import PersonCreateForm, PersonForm, PostForm
from .models import Post
from .rosterlist import roster_list

# Said alike whether or not anyone has the number: the answer must not confirm it.
ID_SEARCH_REFUSED = "按身份证号查找须有查看完整身份证号的权限，请按姓名、拼音或工作单位查找"
ID_SEARCH_BY_POST = "按身份证号查找请在页面顶部的搜索框中输入，不要放在网址里"


_GENDER = dict(codes.Gender.choices)
_EDUCATION = dict(codes.Education.choices)
_TITLE_LEVEL = dict(codes.TitleLevel.choices)


def _roster_row(person, org_name: str, on, detail_url: str) -> dict:
    """One roster line with its display values ready: the list renders 50 of them a page."""
    title = person.title
    if person.title_level:
        title = (
            f"{title}（{_TITLE_LEVEL[person.title_level]}）"
            if title
            else _TITLE_LEVEL[person.title_level]
        )
    return {
        "url": detail_url.format(person.pk),
        "name": person.name,
        "retired": person.is_retired,
        "gender": _GENDER.get(person.gender, ""),
        "age": age_on(person.birth_date, on),
        "education": _EDUCATION.get(person.education, ""),
        "title": title,
        "unit": " ".join(v for v in (person.work_unit, person.job_post) if v),
        "org": org_name,
        "admitted": person.admitted_on.isoformat() if person.admitted_on else "",
    }


@scope_required(Cap.VIEW)
def roster(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, "people")
    if selectors.is_id_number(request.GET.get("q", "")):
        return _roster_without_id_number(request)
    listed = roster_list(scope=request.scope, org=org, data=request.GET, today=timezone.localdate())
    form, filters, on = listed.form, listed.filters, listed.on
    page = selectors.roster_page(
        scope=request.scope,
        org=org,
        on=on,
        filters=filters,
        page_number=request.GET.get("page"),
        per_page=settings.TONGXIN_ROSTER_PAGE_SIZE,
    )
    rows = list(page.object_list)
    org_names = selectors.current_org_names(people=[p.pk for p in rows], on=on, scope=request.scope)
    detail_url = url_pattern("people:detail")
    query = query_without(request)
    sort_query = query_without(request, "sort")
    # What other apps offer to do with the list shown (a notice to exactly these members …).
    shown = [(k, v) for k, v in request.GET.items() if v and k not in ("org", "page")]
    list_query = urlencode([("org", org.pk), *shown])
    actions = [
        action
        for offer in extensions.get("roster_actions")
        for action in offer(scope=request.scope, org=org, query=list_query)
    ]
    context = {
        "org": org,
        "form": form,
        "page": page,
        "rows": [_roster_row(p, org_names.get(p.pk, ""), on, detail_url) for p in rows],
        "query": query,
        "sort_query": sort_query,
        "sort": filters.sort,
        "nav_active": "people",
        "can_change": request.scope.can(Cap.CHANGE),
        "can_export": request.scope.can(Cap.EXPORT),
        "on": on,
        "flow": filters.flow and codes.SpellReason(filters.flow).label,
        "period_start": filters.period_start,
        "actions": actions,
    }
    if request.htmx and request.htmx.target == "roster-list":
        return render(request, "people/_roster_list.html", context)
    show_dissolved = request.GET.get("dissolved") == "1"
    context.update(
        more_fields=form.select_fields(more=True),
        tree=tree.build(scope=request.scope, selected=org, on=on, show_dissolved=show_dissolved),
        tree_target="roster",
        show_dissolved=show_dissolved,
        selected=org,
    )
    return render(request, "people/roster.html", context)


def _roster_without_id_number(request):
    """The roster's search box sends its text in the URL (the page's script posts an ID number
    to the top bar's search instead): an ID number that arrives there anyway is not searched,
    and the page comes back without it."""
    may = request.user.has_perm(REVEAL_PERMISSION)
    messages.info(request, ID_SEARCH_BY_POST if may else ID_SEARCH_REFUSED)
    url = f"{reverse('people:roster')}?{query_without(request, 'q')}"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@scope_required(Cap.VIEW)
@require_http_methods(["GET", "POST"])
def search(request):
    """The top bar's search (posted, so that an ID number stays out of URLs): straight to the
    person when one matches, else the roster."""
    q = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    org = org_selectors.default_org(scope=request.scope)
    if org is None or not q:
        return redirect("people:roster")
    if selectors.is_id_number(q):
        return _search_by_id_number(request, q, org)
    # Everyone the scope holds, former members included: their files are still looked up.
    found = selectors.matching(selectors.people_in_scope(scope=request.scope), q)
    first_two = list(found.order_by("name_pinyin", "pk")[:2])
    if len(first_two) == 1:
        return redirect("people:detail", pk=first_two[0].pk)
    return redirect(url_with_query("people:roster", org=org.pk, q=q))


def _search_by_id_number(request, q: str, org):
    """A look-up by a full ID number: only for a user who may reveal ID numbers, only posted,
    and audited like a reveal. Every answer redirects to a URL without the number."""
    roster_url = url_with_query("people:roster", org=org.pk)
    if not request.user.has_perm(REVEAL_PERMISSION):
        messages.info(request, ID_SEARCH_REFUSED)
        return redirect(roster_url)
    if request.method != "POST":
        messages.info(request, ID_SEARCH_BY_POST)
        return redirect(roster_url)
    person = selectors.person_with_id_number(scope=request.scope, number=q)
    masked = mask_id_number(normalize_id_number(q))
    record_event(
        Kind.REVEAL,
        request=request,
        summary=f"按完整身份证号 {masked} 查找人员："
        + (f"找到 {person.name}" if person else "管理范围内没有此人"),
        detail={
            "信息": "按身份证号查找",
            "身份证号": masked,
            "人员": person.pk if person else None,
            "姓名": person.name if person else "",
        },
    )
    if person is None:
        messages.warning(request, f"管理范围内没有身份证号为 {masked} 的人员")
        return redirect(roster_url)
    return redirect("people:detail", pk=person.pk)


@scope_required(Cap.VIEW)
def detail(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    on = timezone.localdate()
    # The domain apps' tabs (后备与考核, 培训 …) follow the three of the roster itself.
    extra_tabs = extensions.get("person_tabs")
    tab = request.GET.get("tab", "basic")
    if tab not in ("basic", "membership", "posts", *(t.key for t in extra_tabs)):
        tab = "basic"
    open_tab = next((t for t in extra_tabs if t.key == tab), None)
    spells = person.spells.select_related("org").order_by("-start")
    posts = person.posts.select_related("org").order_by("-start")
    affiliations = person.affiliations.select_related("org").order_by("-start")
    suspensions = person.suspensions.order_by("start")
    # A member who left for an organization outside the scope is shown as they were until
    # then: the spells, posts and records of their time here, not their life since.
    left_on = selectors.left_scope_on(scope=request.scope, person=person, on=on)
    if left_on is not None:
        spells = spells.filter(start__lt=left_on)
        posts = posts.filter(start__lt=left_on)
        affiliations = affiliations.filter(start__lt=left_on)
        suspensions = suspensions.filter(start__lt=left_on)
    current = next((s for s in spells if s.start <= on and (s.end is None or s.end > on)), None)
    context = {
        "left_on": left_on,
        "left_spell": next((s for s in spells if s.end == left_on), None) if left_on else None,
        "suspensions": suspensions,
        "person": person,
        "tab": tab,
        "age": age_on(person.birth_date, on),
        "spells": spells,
        "current_spell": current,
        "affiliations": affiliations,
        "posts_by_kind": [
            (label, [p for p in posts if p.kind == kind]) for kind, label in PostKind.choices
        ],
        "nav_active": "people",
        # Readers (领导, 只读) get no button that would only answer 403; nor does the file of
        # someone another organization now holds.
        "can_change": request.scope.can(Cap.CHANGE) and left_on is None,
        "can_reveal": request.user.has_perm(REVEAL_PERMISSION),
        "extra_tabs": extra_tabs,
        "open_tab": open_tab,
    }
    if open_tab is not None:
        context.update(open_tab.context(request, person, until=left_on))
    return render(request, "people/detail.html", context)


def _person_held(request, pk):
    """A person whose current record the user may change: not one who has left for an
    organization outside the scope (their record since is that organization's)."""
    person = selectors.get_person(scope=request.scope, pk=pk)
    left_on = selectors.left_scope_on(scope=request.scope, person=person, on=timezone.localdate())
    if left_on is not None:
        raise PermissionDenied(
            f"{person.name} 已于 {left_on:%Y-%m-%d} 离开本组织，其现在的信息由所在组织维护"
        )
    return person


def _orgs_for_forms(request):
    return org_selectors.organizations(scope=request.scope, on=timezone.localdate()).order_by(
        "path"
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def create(request):
    org = org_param(request)
    initial = {"org": org.pk if org else None, "start_reason": "admitted"}
    form = PersonCreateForm(request.POST or None, orgs=_orgs_for_forms(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                person=form.save(commit=False),
                org=form.cleaned_data["org"],
                start=form.cleaned_data["start"],
                start_reason=form.cleaned_data["start_reason"],
                letter_no=form.cleaned_data["letter_no"],
                came_from=form.cleaned_data["came_from"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记 {person.name}")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "nav_active": "people",
            "heading": f"登记{settings.TONGXIN_MEMBER_WORD}",
        },
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    person = _person_held(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {person.name} 的基本信息")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "nav_active": "people",
            "heading": f"编辑 {person.name}",
        },
    )


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def post_edit(request, pk, post_pk=None):
    person = _person_held(request, pk)
    post = None
    if post_pk is not None:
        post = Post.objects.filter(person=person, pk=post_pk).first()
        if post is None:
            raise Http404("职务记录不存在")
    form = PostForm(
        request.POST or None,
        instance=post,
        orgs=_orgs_for_forms(request),
        initial={"kind": request.GET.get("kind", PostKind.PARTY)},
    )
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.person = person
        try:
            services.post_record(post=record)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"已保存 {person.name} 的{record.get_kind_display()}「{record.title}」"
            )
            for warning in record.rule_warnings:
                messages.warning(request, f"{warning}（仅提醒，已保存）")
            return redirect(url_with_query("people:detail", person.pk, tab="posts"))
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "nav_active": "people",
            "heading": f"{person.name} · {'编辑' if post else '添加'}职务与安排",
        },
    )


# The masked fields a user with the reveal permission may ask to see, with their labels.
REVEALABLE = {"id_number": "身份证号", "phone": "手机号", "email": "电子邮箱"}


@scope_required(Cap.VIEW)
@require_POST
def reveal(request, pk, field):
    """The full ID number, phone or e-mail of a person in scope, for a user who may see it and asks;
    each reveal is an audit event."""
    if field not in REVEALABLE:
        raise Http404("没有这项信息")
    if not request.user.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied("您没有查看完整身份证号、手机号和电子邮箱的权限")
    # Contacts are today's, which are not the old organization's to read once the person left.
    held = _person_held if field in ("phone", "email") else None
    person = held(request, pk) if held else selectors.get_person(scope=request.scope, pk=pk)
    label = REVEALABLE[field]
    record_event(
        Kind.REVEAL,
        request=request,
        summary=f"查看 {person.name} 的完整{label}",
        detail={"人员": person.pk, "姓名": person.name, "信息": label},
    )
    return render(
        request, "people/_revealed.html", {"value": getattr(person, field), "label": label}
    )
