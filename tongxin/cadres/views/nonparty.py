"""党外干部: the department's non-party cadres and talents, the list each figure of the
``non_party_cadres`` section opens (people, entries of the period, recommending units, posts
taken up)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from tongxin.accounts.roles import Cap
from tongxin.core.dates import age_on
from tongxin.core.decorators import scope_required
from tongxin.core.http import no_scope
from tongxin.core.paging import paginate
from tongxin.orgs.http import org_param
from tongxin.people.models import Post
from tongxin.people.takeups import with_change

from .. import nonparty
from ..forms import NonPartyFilterForm
from .common import NAV, base_context, today


@scope_required(Cap.VIEW)
def nonparty_list(request):
    org = org_param(request)
    if org is None:
        return no_scope(request, NAV)
    form = NonPartyFilterForm(request.GET)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    filters = nonparty.NonPartyFilter(**data)
    filters.on = filters.on or today()
    filters.period_start = filters.period_start or filters.on.replace(month=1, day=1)
    found = nonparty.nonparty_list(scope=request.scope, org=org, filters=filters)
    page = paginate(
        found, page_number=request.GET.get("page"), per_page=settings.TONGXIN_ROSTER_PAGE_SIZE
    )
    rows = list(page.object_list)
    if filters.show == "people":
        rows = [(p, age_on(p.birth_date, filters.on)) for p in rows]
    elif filters.show == "posts":
        # A page's rows are read back by key (core.paging), without the list's annotations.
        shown = Post.objects.filter(pk__in=[post.pk for post in rows])
        changes = dict(with_change(shown).values_list("pk", "change"))
        for post in rows:
            post.change = changes.get(post.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    context = base_context(request, org, "nonparty")
    context.update(
        form=form,
        page=page,
        rows=rows,
        query=query.urlencode(),
        filters=filters,
        show_label=nonparty.SHOWS.get(filters.show, ""),
    )
    return render(request, "cadres/nonparty.html", context)
