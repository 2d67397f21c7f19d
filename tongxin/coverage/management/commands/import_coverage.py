import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongxin.accounts.commands import acting_user
from tongxin.audit.services import Kind, record_event
from tongxin.core.scope import Scope
from tongxin.coverage import registry
from tongxin.io.report import format_problem

ACTIONS = {"new": "新增", "deregistered": "注销", "changed": "变更"}


class Command(BaseCommand):
    help = (
        "导入两新组织名册工作簿（.xlsx）。先检查整个文件，有任何错误则不写入并列出全部错误；"
        "列出将新增、注销和变更的组织。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="两新组织名册文件（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="以此用户的身份和管理范围导入（默认：第一个超级用户）")
        parser.add_argument(
            "--effective-date",
            type=datetime.date.fromisoformat,
            help="党员人数和无日期列的变动的生效日期（默认今天），格式 YYYY-MM-DD",
        )

    def handle(self, *args, file, dry_run=False, user=None, effective_date=None, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{file}”：{exc.strerror}") from exc
        account = acting_user(user)
        on = effective_date or timezone.localdate()
        scope = Scope.for_user(account)
        if dry_run:
            result = registry.run(data=data, filename=path.name, scope=scope, on=on, write=False)
            errors, preview = result.problems, result.preview
            counts = registry.counts(result.preview)
        else:
            batch = registry.import_file(
                data=data, filename=path.name, scope=scope, on=on, by=account
            )
            errors, preview = batch.errors, batch.preview
            counts = registry.counts(batch.preview, unchanged=batch.unchanged)
        if errors:
            for error in errors:
                self.stderr.write(format_problem(error))
            raise CommandError(f"发现 {len(errors)} 处错误，未写入任何数据")
        for item in preview:
            if item["action"] == "unchanged":
                continue
            details = "；".join(item["changes"])
            self.stdout.write(
                f"第{item['row']}行 {ACTIONS[item['action']]}：{item['name']}（{item['code']}）"
                + (f" {details}" if details else "")
            )
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{counts}")
            return
        record_event(
            Kind.IMPORT,
            user=account,
            summary=f"命令行导入两新组织名册：批次 {batch.pk}，文件“{path.name}”：{counts}",
            detail={"批次": batch.pk, "文件名": path.name, "数据行数": batch.total_rows},
            rows=batch.total_rows,
        )
        self.stdout.write(f"已导入（批次 {batch.pk}）：{counts}")
