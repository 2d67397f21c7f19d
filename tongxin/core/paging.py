"""Pagination that reads a subtree-sized list once instead of twice."""

import copy

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# Up to this many rows, the ordered keys are read in one query and counted in Python; a
# COUNT(*) and a LIMIT query would each read every row of the list. Above it (a whole
# province), the usual COUNT(*) and LIMIT keep memory bounded.
KEY_LIST_LIMIT = 20_000


def paginate(queryset: QuerySet, *, page_number, per_page: int) -> Page:
    keys = list(queryset.values_list("pk", flat=True)[: KEY_LIST_LIMIT + 1])
    if len(keys) > KEY_LIST_LIMIT:
        return Paginator(queryset, per_page).get_page(page_number)
    page = Paginator(keys, per_page).get_page(page_number)
    records = _with_joins_of(queryset).in_bulk(list(page.object_list))
    page.object_list = [records[key] for key in page.object_list if key in records]
    return page


def paginate_rows(queryset: QuerySet, *, page_number, per_page: int, load) -> Page:
    """``paginate`` for a list that is not one model's: ``queryset`` yields ordered key tuples
    (a union of several models' ``values_list``, say) and ``load`` turns a page of keys into the
    objects shown, in order."""
    keys = list(queryset[: KEY_LIST_LIMIT + 1])
    source = queryset if len(keys) > KEY_LIST_LIMIT else keys
    page = Paginator(source, per_page).get_page(page_number)
    page.object_list = load(list(page.object_list))
    return page


def _with_joins_of(queryset: QuerySet) -> QuerySet:
    """The model's rows with the related records ``queryset`` reads along (select_related,
    prefetch_related), without its filters: a page's rows are fetched by key, and the list's
    conditions, asked again of fifty keys, could make the database read the subtree again."""
    rows = queryset.model._default_manager.all()
    rows.query.select_related = copy.deepcopy(queryset.query.select_related)
    return rows.prefetch_related(*queryset._prefetch_related_lookups)
