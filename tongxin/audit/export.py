"""The filtered audit log as an .xlsx workbook, written a chunk at a time."""

from dataclasses import replace
from typing import BinaryIO

from django.utils import timezone

from tongxin.core.xlsx.stream import XlsxWriter

from .selectors import Filters, entries, load_rows

CHUNK = 1000
HEADER = ["时间", "用户", "类型", "对象", "内容", "行数", "IP 地址", "请求路径"]


def write_log(fp: BinaryIO, filters: Filters) -> int:
    """Write the entries ``filters`` selects, newest first; returns how many."""
    keys = entries(replace(filters, until=timezone.now()))
    count = 0
    with XlsxWriter(fp) as book:
        with book.sheet("审计日志", widths=[20, 14, 12, 30, 80, 8, 16, 40]) as sheet:
            sheet.append(HEADER)
            offset = 0
            while chunk := list(keys[offset : offset + CHUNK]):
                offset += CHUNK
                for row in load_rows(chunk):
                    sheet.append(
                        [
                            timezone.localtime(row.time).strftime("%Y-%m-%d %H:%M:%S"),
                            row.username,
                            row.kind_label,
                            row.target,
                            row.text,
                            row.rows,
                            row.ip,
                            row.path,
                        ]
                    )
                    count += 1
    return count
