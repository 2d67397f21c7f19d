"""Practice postings (实践锻炼) and contacts (联系交友): lists and forms."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.core.http import no_scope, query_without_page
from tongxin.core.paging import paginate
from tongxin.orgs.http import org_param
from tongxin.people import selectors as people_selectors

from .. import selectors, services
from ..forms import ContactForm, PracticeForm
from ..models import ContactKind, PracticeKind
from .common import (
    NAV,
    base_context,
    done,
    org_choices,
    people_for_forms,
    person_param,
    today,
)


@scope_required(Cap.VIEW)
def practice_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    kind = request.GET.get("kind", "")
    kind = kind if kind in PracticeKind.values else ""
    q = request.GET.get("q", "").strip()
    found = selectors.practice_list(scope=request.scope, org=org, kind=kind, q=q)
    page = paginate(
        found, page_number=request.GET.get("page"), per_page=settings.TONGXIN_ROSTER_PAGE_SIZE
    )
    query = query_without_page(request)
    context = base_context(request, org, "practice")
    context.update(
        page=page,
        rows=sorted(page.object_list, key=lambda a: (a.start, a.pk), reverse=True),
        kinds=PracticeKind.choices,
        kind=kind,
        q=q,
        query=query,
        on=today(),
    )
    return render(request, "cadres/practice.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk=None):
    record = selectors.get_practice(scope=request.scope, pk=pk) if pk else None
    person = record.person if record else person_param(request)
    form = PracticeForm(
        request.POST or None,
        instance=record,
        person=person,
        people=people_for_forms(request),
        initial={"start": today()},
    )
    if request.method == "POST" and form.is_valid():
        assignment = form.save(commit=False)
        assignment.person = form.person
        try:
            people_selectors.refuse_after_leaving(
                scope=request.scope,
                person=form.person,
                on=assignment.start,
                today=today(),
                field="start",
                what=f"开始于 {assignment.start:%Y-%m-%d} 的实践锻炼",
            )
            services.practice_save(assignment=assignment, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            back = reverse("people:detail", args=[form.person.pk]) + "?tab=practice"
            return done(
                request,
                f"已保存 {form.person.name} 的{assignment.get_kind_display()}：{assignment.place}",
                back,
            )
    context = base_context(request, org_param(request), "practice")
    context.update(
        form=form,
        person=person,
        heading=f"{person.name + ' · ' if person else ''}{'编辑' if record else '登记'}实践锻炼",
        cancel=(
            reverse("people:detail", args=[person.pk]) + "?tab=practice"
            if person
            else reverse("cadres:practice")
        ),
    )
    return render(request, "cadres/form.html", context)


@scope_required(Cap.VIEW)
def contact_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ContactKind.values else ""
    found = selectors.contacts(scope=request.scope, org=org)
    if kind:
        found = found.filter(kind=kind)
    page = paginate(
        found.prefetch_related("people"),
        page_number=request.GET.get("page"),
        per_page=settings.TONGXIN_ROSTER_PAGE_SIZE,
    )
    rows = page.object_list
    query = query_without_page(request)
    context = base_context(request, org, "contacts")
    context.update(
        page=page,
        rows=sorted(rows, key=lambda c: (c.on, c.pk), reverse=True),
        kinds=ContactKind.choices,
        kind=kind,
        query=query,
    )
    return render(request, "cadres/contacts.html", context)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk=None):
    record = selectors.get_contact(scope=request.scope, pk=pk) if pk else None
    org = org_param(request)
    person = person_param(request)
    initial = {"on": today(), "owner": org.pk if org else None}
    if person is not None:
        initial["people_text"] = person.name
    form = ContactForm(
        request.POST or None,
        instance=record,
        orgs=org_choices(request),
        people=people_for_forms(request),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_save(
                contact=form.save(commit=False), people=form.chosen_people, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(
                request,
                f"已保存{contact.get_kind_display()}记录：{contact.subject}",
                "cadres:contacts",
                query=f"org={contact.owner_id}",
            )
    context = base_context(request, org, "contacts")
    context.update(
        form=form,
        heading=f"{'编辑' if record else '记录'}联系交友（结对子、座谈会、走访）",
        cancel=reverse("cadres:contacts"),
    )
    return render(request, "cadres/form.html", context)
