"""python manage.py stats --org CODE --as-of DATE [--period-start DATE] [--json]"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongxin.core.figures import Figure
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.stats import sections
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
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--as-of", help="统计截止日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--period-start", help="变动期间的开始日期 YYYY-MM-DD（默认截止日期所在年的1月1日）"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args, org, as_of=None, period_start=None, as_json=False, **options):
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
        figures = sections.compute(
            scope=Scope(everything=True), org=node, as_of=on, period_start=start
        )
        if as_json:
            self.write_json(
                sections.as_json(org=node, as_of=on, period_start=start, figures=figures)
            )
        else:
            self.write_tables(node, on, start, figures)

    def write_json(self, data: dict) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def write_tables(self, node, on, start, figures) -> None:
        write = self.stdout.write
        write(f"{node.name}（{node.code}）")
        write(f"统计截止日期 {on:%Y-%m-%d}，变动期间 {start:%Y-%m-%d} 至 {on:%Y-%m-%d}")
        for section in sections.all_sections():
            write("")
            write(f"【{section.label}】")
            self.write_figures(section, figures[section.key], depth=0)

    def write_figures(self, section, figures, depth: int) -> None:
        indent = "  " * depth
        for key, item in figures.items():
            label = section.labels.get(key, key)
            if isinstance(item, Figure):
                value = f"{item.value:.1f}" if isinstance(item.value, float) else item.value
                self.stdout.write(f"{indent}{label}：{value}")
            elif all(isinstance(v, Figure) for v in item.values()):
                cells = "　".join(f"{section.labels.get(k, k)} {v.value}" for k, v in item.items())
                self.stdout.write(f"{indent}{label}：{cells}")
            else:
                self.stdout.write(f"{indent}{label}")
                self.write_figures(section, item, depth + 1)
