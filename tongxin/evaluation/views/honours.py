"""Honours (表彰/荣誉) people received from outside bodies: the person file's tab, the form,
the list the statistics drill down to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.accounts.roles import Cap
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.people import selectors as people_selectors
from tongxin.people.models import Honor

from .. import selectors, services
from ..forms import HonorForm
from .common import drill_down_page


def _person_tab(person) -> str:
    return f"{reverse('people:detail', args=[person.pk])}?tab=honours"


def _honour(request, pk) -> Honor:
    """An honour of a person in scope; not one conferred after the person left for another
    organization, which is not the old one's (the person file does not show it either)."""
    honor = selectors.get_honour(scope=request.scope, pk=pk)
    on = timezone.localdate()
    left_on = people_selectors.left_scope_on(scope=request.scope, person=honor.person, on=on)
    if left_on is not None and honor.conferred_on >= left_on:
        raise Http404("表彰荣誉记录不存在或不在您的管理范围内")
    return honor


def person_tab_context(request, person, until=None) -> dict:
    """The 表彰 tab of the person file: honours received and awards of the party's rounds."""
    honours = selectors.honours_of(scope=request.scope, person=person)
    awards = selectors.awards_in(scope=request.scope).filter(person=person)
    if until is not None:
        honours = honours.filter(conferred_on__lt=until)
        awards = awards.filter(decided_on__lt=until)
    return {
        "honours": honours,
        "person_awards": awards.select_related("round").order_by("-decided_on"),
        "can_change": request.scope.can(Cap.CHANGE) and until is None,
    }


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def honor_edit(request, person_pk=None, pk=None):
    if pk is not None:
        honor = _honour(request, pk)
        person = honor.person
    else:
        person = people_selectors.get_person(scope=request.scope, pk=person_pk)
        honor = Honor(person=person)
    form = HonorForm(request.POST or None, instance=honor)
    if request.method == "POST" and form.is_valid():
        try:
            services.honor_save(honor=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {person.name} 的表彰荣誉「{honor.title}」")
            return redirect(_person_tab(person))
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "heading": f"{person.name} · {'修改' if honor.pk else '添加'}表彰荣誉",
            "back_url": _person_tab(person),
            "nav_active": "people",
        },
    )


@scope_required(Cap.CHANGE)
@require_POST
def honor_delete(request, pk):
    honor = _honour(request, pk)
    services.honor_delete(honor=honor)
    messages.success(request, f"已删除 {honor.person.name} 的表彰荣誉「{honor.title}」")
    return redirect(_person_tab(honor.person))


@scope_required(Cap.VIEW)
def honours_list(request):
    """Honours conferred in a period on members of a subtree, by level; with ``per=person``
    the people honoured, each once (the figures that count people drill down here)."""
    level = request.GET.get("level", "")
    if level not in selectors.HONOUR_LEVELS:
        level = ""
    per_person = request.GET.get("per") == "person"

    def records(org, start, end):
        window = dict(scope=request.scope, org=org, start=start, end=end, level=level)
        if per_person:
            return selectors.honoured_people(**window)
        found = selectors.honours_under(**window)
        return found.select_related("person").order_by("-conferred_on", "pk")

    context = {
        "level": level,
        "levels": list(selectors.HONOUR_LEVELS.items()),
        "level_label": selectors.HONOUR_LEVELS[level] if level else "全部级别",
        "per_person": per_person,
    }
    return drill_down_page(request, "evaluation/honours.html", records, context)
