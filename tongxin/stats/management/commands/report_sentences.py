"""python manage.py report_sentences [--reset SLOT ...]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tongxin.stats.report import stored


class Command(BaseCommand):
    help = (
        "年度工作总结的默认句子模板与程序中的默认句子对齐：未修改过的按新版本更新、新增的补上、"
        "程序已取消的停用；管理员修改过的保留原样并列出。"
        "--reset 编号 让修改过的句子改用程序的默认句子。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", nargs="+", metavar="编号", help="改用程序默认句子的编号（slot）"
        )

    def handle(self, *args, reset=None, **options):
        if reset:
            try:
                done = stored.reset(slots=reset)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"已改用程序的默认句子：{'、'.join(done)}")
        result = stored.sync_defaults()
        lines = result.lines()
        for line in lines or ["默认句子模板均与程序一致，无需更新"]:
            self.stdout.write(line)
