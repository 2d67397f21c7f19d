"""Workbooks built the way staff fill them in: openpyxl, Chinese headers, text and dates."""

import io

from openpyxl import Workbook

from tongxin.io.columns import MEMBER_COLUMNS, MEMBER_SHEET, ORG_COLUMNS, ORG_SHEET

ORG_HEADERS = [c.header for c in ORG_COLUMNS]
MEMBER_HEADERS = [c.header for c in MEMBER_COLUMNS]


def workbook_bytes(*, orgs=(), members=(), member_headers=None, org_sheet=True) -> bytes:
    """``orgs`` and ``members`` are dicts keyed by Chinese header; missing cells stay empty."""
    wb = Workbook()
    wb.remove(wb.active)
    if org_sheet:
        ws = wb.create_sheet(ORG_SHEET)
        ws.append(ORG_HEADERS)
        for row in orgs:
            ws.append([row.get(h) for h in ORG_HEADERS])
    ws = wb.create_sheet(MEMBER_SHEET)
    headers = member_headers or MEMBER_HEADERS
    ws.append(headers)
    for row in members:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def member(name, org_code, **cells):
    row = {"姓名": name, "入会日期": "2015-06-01", "所在组织编码": org_code}
    row.update(cells)
    return row
