"""The contributions list and a points statement as .xlsx workbooks (the pages' exports)."""

from __future__ import annotations

from typing import BinaryIO

from tongxin.core.xlsx.stream import XlsxWriter

from .models import AdoptionRung, AuthorRole
from .points import Points
from .selectors import Period

CONTRIBUTION_COLUMNS = (
    ("报送日期", 12),
    ("类别", 12),
    ("标题", 40),
    ("编号", 12),
    ("报送渠道", 16),
    ("集体提案", 8),
    ("作者", 24),
    ("作者所在组织", 28),
    ("联名人", 24),
)


def period_label(period: Period) -> str:
    if period.start and period.end:
        if (period.start.month, period.start.day, period.end.month, period.end.day) == (
            1,
            1,
            12,
            31,
        ) and period.start.year == period.end.year:
            return f"{period.start.year}年"
        return f"{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}"
    if period.start:
        return f"{period.start:%Y-%m-%d}起"
    if period.end:
        return f"{period.end:%Y-%m-%d}止"
    return "历年"


def period_slug(period: Period) -> str:
    return "-".join(d.strftime("%Y%m%d") for d in (period.start, period.end) if d) or "all"


def _authors(contribution) -> tuple[str, str, str]:
    authors = [a for a in contribution.authors.all() if a.role == AuthorRole.AUTHOR]
    co = [a.name for a in contribution.authors.all() if a.role == AuthorRole.CO_SIGNER]
    if contribution.other_co_signers:
        co.append(contribution.other_co_signers)
    orgs = list(dict.fromkeys(a.org.name for a in authors))
    return "、".join(a.name for a in authors), "、".join(orgs), "、".join(co)


def contributions_workbook(fp: BinaryIO, contributions, *, heading: str) -> int:
    """One row a contribution, one column a rung (its date and document); returns the rows."""
    rungs = AdoptionRung.choices
    with XlsxWriter(fp) as book:
        bold = book.style(bold=True)
        widths = [w for _, w in CONTRIBUTION_COLUMNS] + [24] * len(rungs)
        with book.sheet("参政议政成果", widths=widths, freeze_header=True) as sheet:
            header = [name for name, _ in CONTRIBUTION_COLUMNS] + [label for _, label in rungs]
            sheet.append(header, styles=[bold] * len(header))
            count = 0
            for c in contributions:
                reached = {a.rung: a for a in c.adoptions.all()}
                authors, orgs, co = _authors(c)
                row = [
                    c.submitted_on,
                    c.get_kind_display(),
                    c.title,
                    c.reference,
                    c.channel,
                    "是" if c.is_collective else "",
                    authors,
                    orgs,
                    co,
                ]
                for value, _label in rungs:
                    a = reached.get(value)
                    row.append(f"{a.on:%Y-%m-%d} {a.document}" if a else "")
                sheet.append(row)
                count += 1
        with book.sheet("说明") as sheet:
            sheet.append([heading], styles=[bold])
            sheet.append([f"共 {count} 项；采用与批示各列为日期和文件"])
    return count


def points_workbook(fp: BinaryIO, points: Points, *, heading: str) -> int:
    """The rows that earned points and their total; returns the rows."""
    with XlsxWriter(fp) as book:
        bold = book.style(bold=True)
        widths = [12, 12, 40, 22, 28, 8]
        with book.sheet("积分明细", widths=widths, freeze_header=True) as sheet:
            header = ["日期", "类别", "成果", "得分事项", "文件或编号", "分值"]
            sheet.append(header, styles=[bold] * len(header))
            for row in points.rows:
                sheet.append(
                    [
                        row.on,
                        row.contribution.get_kind_display(),
                        row.contribution.title,
                        row.label,
                        row.document,
                        row.points,
                    ]
                )
            sheet.append(["合计", "", "", "", "", points.total], styles=[bold] * 6)
        with book.sheet("说明") as sheet:
            sheet.append([heading], styles=[bold])
            sheet.append([f"共 {len(points.rows)} 条，合计 {points.total} 分"])
            sheet.append(
                ["积分按奖励办法逐级累加：报送得分记在报送日期，每一级采用或批示记在其日期"]
            )
    return len(points.rows)
