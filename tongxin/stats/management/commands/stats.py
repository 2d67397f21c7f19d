"""python manage.py stats --org CODE --as-of DATE [--period-start DATE] [--json]
python manage.py stats --warm [--org CODE] [--as-of DATE] [--period-start DATE]"""

from __future__ import annotations

import datetime
import json
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization
from tongxin.stats import cache, charts, sections, tables
from tongxin.stats.selectors import dashboard
from tongxin.stats.selectors.base import period


def _date(option: str, text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{option} 的日期「{text}」无效：请写成 YYYY-MM-DD，例如 2024-12-31"
        ) from None


class Command(BaseCommand):
    help = (
        "某组织及全部下级在某日的统计数字（../shared/STATS.md 的定义）：组织、成员及结构、"
        "期间的成员变动、新成员、政治安排，以及其他功能登记的统计部分。"
        "--json 输出约定格式的 JSON（键名稳定，分类齐全，无数据为 0），否则输出表格。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="组织编码（--warm 时可省略：全部组织）")
        parser.add_argument("--as-of", help="统计截止日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--period-start", help="变动期间的开始日期 YYYY-MM-DD（默认截止日期所在年的1月1日）"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")
        parser.add_argument(
            "--warm",
            action="store_true",
            help=(
                "预先计算该组织（默认全部）及其下成员较多（见 --min-members）的各级组织在统计截止"
                "日期的统计报表（含上年同期）、统计图表和工作台数字并保存，页面直接读取；数据一有"
                "变动即自动失效。不给 --as-of 时计算今天和上年12月31日两个日期。宜每晚定时运行"
            ),
        )
        parser.add_argument(
            "--min-members",
            type=int,
            default=1000,
            help="与 --warm 同用：只预先计算下属成员不少于此数的组织（默认 1000）",
        )

    def handle(
        self,
        *args,
        org=None,
        as_of=None,
        period_start=None,
        as_json=False,
        warm=False,
        min_members=1000,
        **options,
    ):
        if org is None and not warm:
            raise CommandError("请用 --org 指定组织编码（只有 --warm 可以省略）")
        node = None
        if org is not None:
            node = Organization.objects.filter(code=org.strip()).first()
            if node is None:
                raise CommandError(f"找不到组织编码「{org}」：请使用组织机构中登记的组织编码")
        on = _date("--as-of", as_of) or timezone.localdate()
        start = _date("--period-start", period_start)
        if start and start > on:
            raise CommandError(
                f"--period-start（{start:%Y-%m-%d}）不能晚于 --as-of（{on:%Y-%m-%d}）"
            )
        start = period(on, start)
        scope = Scope(everything=True)
        if warm:
            cache.forget_old()
            if as_of or period_start:
                self.warm(node, on, start, min_members)
            else:
                # Today's report and last year's annual tables, which staff open most.
                for day in (on, on.replace(month=1, day=1) - datetime.timedelta(1)):
                    self.warm(node, day, period(day, None), min_members)
        elif as_json:
            figures = sections.compute(scope=scope, org=node, as_of=on, period_start=start)
            data = sections.as_json(org=node, as_of=on, period_start=start, figures=figures)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            report = tables.build_report(scope=scope, org=node, as_of=on, period_start=start)
            self.write_tables(report)

    def warm(self, node, on: datetime.date, start: datetime.date, min_members: int) -> None:
        """The report, the charts and the workbench's headline of ``node`` (else every root) and
        of each organization under it with at least ``min_members`` members on ``on`` in its
        subtree: those whose counting takes long. A smaller subtree's are counted quickly when
        opened."""
        scope = Scope(everything=True)
        nodes = org_selectors.organizations(scope=scope).filter(numchild__gt=0)
        if node is not None:
            nodes = nodes.filter(subtree_q(node.path))
        nodes = list(nodes.order_by("path"))
        sizes = org_selectors.member_counts(scope=scope, nodes=nodes, on=on)
        chosen = [
            each
            for each in nodes
            if sizes[each.pk] >= min_members or each.pk == getattr(node, "pk", None)
        ]
        began = time.monotonic()
        for count, each in enumerate(chosen, start=1):
            tables.build_report(scope=scope, org=each, as_of=on, period_start=start)
            # The 统计分析 page and the workbench of the same node and day.
            charts.dashboard(scope=scope, org=each, as_of=on)
            dashboard.headline(scope=scope, org=each, as_of=on)
            if count % 50 == 0:
                self.stdout.write(f"已计算 {count} / {len(chosen)} 个组织……")
        self.stdout.write(
            f"已预先计算 {len(chosen)} 个组织在 {on:%Y-%m-%d} 和上年同期的统计报表，"
            f"用时 {time.monotonic() - began:.1f} 秒"
        )

    def write_tables(self, report: tables.Report) -> None:
        """Each table of the report turned on its side (a line a figure, a column for the date,
        a year earlier, 增减 and 占比), so that it fits a terminal."""
        write = self.stdout.write
        write(f"{report.org.name}（{report.org.code}）")
        write(
            f"统计截止日期 {report.as_of:%Y-%m-%d}，变动期间 {report.period_start:%Y-%m-%d} 至 "
            f"{report.as_of:%Y-%m-%d}；上年同期 {report.previous_as_of:%Y-%m-%d}"
        )
        for table in report.tables:
            write("")
            write(f"【{table.title}】")
            heads = ["项目", *(row.label.removeprefix("上年同期 ") for row in table.rows)]
            heads[2:3] = ["上年同期"]
            lines = [heads] + [
                [
                    f"{column.group} {column.label}" if column.group else column.label,
                    *(row.cells[i].text for row in table.rows),
                ]
                for i, column in enumerate(table.columns)
            ]
            widths = [max(_width(line[c]) for line in lines) for c in range(len(heads))]
            for line in lines:
                cells = [_pad(line[0], widths[0], left=True)]
                cells += [_pad(text, widths[c]) for c, text in enumerate(line[1:], start=1)]
                write("  ".join(cells).rstrip())


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text
