"""Pagination that reads a subtree-sized list once instead of twice."""

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
    records = queryset.model._default_manager.in_bulk(list(page.object_list))
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
