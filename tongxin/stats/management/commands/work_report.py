"""python manage.py work_report --org CODE --year YYYY [-o FILE.docx]"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.stats.report import document, draft


class Command(BaseCommand):
    help = (
        "某组织某年度的工作总结初稿（../shared/REPORT.md）：各部分的句子由当年12月31日及上年同期的"
        "统计数字按句子模板写成，附成员结构表、支部考评排名和统计图，输出为 Word 文档。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--year", required=True, help="年度，如 2024")
        parser.add_argument(
            "-o", "--output", help="输出的 .docx 文件（默认 work-report-组织编码-年度.docx）"
        )

    def handle(self, *args, org, year, output=None, **options):
        node = Organization.objects.filter(code=org.strip()).first()
        if node is None:
            raise CommandError(f"找不到组织编码「{org}」：请使用组织机构中登记的组织编码")
        text = str(year).strip()
        if not text.isdecimal() or not draft.MIN_YEAR <= int(text) <= draft.MAX_YEAR:
            raise CommandError(f"--year 的年度「{year}」无效：请写四位年份，例如 2024")
        path = Path(output or f"work-report-{node.code}-{text}.docx")
        if path.suffix.lower() != ".docx":
            raise CommandError(f"输出文件「{path}」须以 .docx 结尾")
        if not path.parent.exists():
            raise CommandError(f"输出文件「{path}」所在的文件夹不存在")
        started = time.perf_counter()
        written = draft.build(scope=Scope(everything=True), org=node, year=int(text))
        path.write_bytes(document.build(written))
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"已生成 {node.name}{text}年度工作总结：{path}（{len(written.parts)}个部分，"
            f"{len(written.sentences)}句，用时{seconds:.1f}秒）"
        )
