"""The query parameters of a page, read one way.

A value a parameter cannot take (a date of year 1, a year 0, an id of 20 digits, text where a
number goes) raises ``BadRequest`` with a Chinese message naming the parameter: Django answers
400 with templates/400.html, instead of the value failing deeper down (a date before the
statistics' calendar, an integer the database cannot hold) as a 500. An absent or blank parameter
reads as not given.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

# The dates and years a page may be asked about: the records of the organization (people born
# from 1900 on) and the plans ahead. Outside them no figure means anything, and date arithmetic
# (a year before 0001-01-01) would fail.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
# The largest key of a table (BigAutoField).
MAX_ID = 2**63 - 1


def _bad(name: str, value: str, expected: str) -> BadRequest:
    shown = value if len(value) <= 30 else value[:30] + "…"
    return BadRequest(f"地址中的参数 {name}=「{shown}」无效：应为{expected}。")


def _value(request, name: str) -> str:
    return request.GET.get(name, "").strip()


def parse_id(value: str | None, name: str) -> int | None:
    """A record's id given as text (``?org=12``); None when blank."""
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        raise _bad(name, value, "记录编号（正整数）")
    return int(value)


def parse_date(value: str | None, name: str) -> date | None:
    """A date given as ``2025-12-31``, from 1900 to 2100; None when blank."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        found = None
    if found is None or not EARLIEST <= found <= LATEST or len(value) != 10:
        raise _bad(name, value, f"{EARLIEST.year}至{LATEST.year}年间的日期，例如 2025-12-31")
    return found


def id_param(request, name: str) -> int | None:
    return parse_id(request.GET.get(name), name)


def ids_param(request, name: str) -> list[int]:
    """Ids separated by commas (``?ids=3,5,8``); blanks between commas are skipped."""
    return [parse_id(part, name) for part in _value(request, name).split(",") if part.strip()]


def date_param(request, name: str) -> date | None:
    return parse_date(request.GET.get(name), name)


def parse_year(value: str | None, name: str) -> int | None:
    """A calendar year given as text (``2025``), from 1900 to 2100; None when blank."""
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not EARLIEST.year <= int(value) <= LATEST.year:
        raise _bad(name, value, f"{EARLIEST.year}至{LATEST.year}之间的年份")
    return int(value)


def year_param(request, name: str) -> int | None:
    return parse_year(request.GET.get(name), name)


def int_param(request, name: str, *, maximum: int) -> int | None:
    """A count (``?rank=10``) from 0 to ``maximum``; None when blank."""
    value = _value(request, name)
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > maximum:
        raise _bad(name, value, f"0至{maximum}之间的整数")
    return int(value)


def date_in_range(value: date) -> None:
    """A form's date field validator: the dates ``parse_date`` accepts."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(f"日期应在{EARLIEST.year}至{LATEST.year}年之间")


def query_without(request, *names: str) -> str:
    """The request's query string without ``names`` and without "page": the list's filters, for
    its page links (and, without "sort", for its column headers' sort links)."""
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


def query_without_page(request) -> str:
    """The list's filters, for its page links."""
    return query_without(request)


def url_with_query(name: str, *args, **params) -> str:
    """The address of the view ``name`` (with ``args``) and ``params`` as its query:
    ``url_with_query("people:roster", org=12, q="张")`` is ``/people/?org=12&q=%E5%BC%A0``."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def no_scope(request, nav_active: str, title: str = "组织机构"):
    """The page of a user whose account has no organization to work in yet."""
    return render(request, "core/no_scope.html", {"nav_active": nav_active, "title": title})
