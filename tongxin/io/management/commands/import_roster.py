import datetime
import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongxin.accounts.commands import acting_user
from tongxin.audit.services import Kind, record_event
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.io.models import ImportBatch
from tongxin.io.report import format_problem


class Command(BaseCommand):
    help = "导入成员名册工作簿（.xlsx 或 .csv）。先检查整个文件，有任何错误则不写入并列出全部错误。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx，或 UTF-8 / GB18030 编码的 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="以此用户的身份和管理范围导入（默认：第一个超级用户）")
        parser.add_argument(
            "--effective-date",
            type=datetime.date.fromisoformat,
            help="组织转接、职务变动的生效日期（默认今天），格式 YYYY-MM-DD",
        )

    def handle(self, *args, file, dry_run=False, user=None, effective_date=None, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{file}”：{exc.strerror}") from exc
        account = acting_user(user)
        on = effective_date or timezone.localdate()
        plan = importer.check(
            data=data, filename=path.name, scope=Scope.for_user(account), effective_date=on
        )
        for warning in plan.warnings:
            self.stdout.write("提示：" + format_problem(warning))
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(format_problem(error))
            raise CommandError(f"发现 {len(plan.errors)} 处错误，未写入任何数据")
        summary = (
            f"新增 {plan.created} 人，更新 {plan.updated} 人，未变化 {plan.unchanged} 人，"
            f"组织转接 {plan.transferred} 人；新增组织 {plan.orgs_created} 个，"
            f"更新组织 {plan.orgs_updated} 个"
        )
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{summary}")
            return
        batch = ImportBatch.objects.create(
            created_by=account,
            file_name=path.name,
            file_hash=hashlib.sha256(data).hexdigest(),
            content=data,
            effective_date=on,
            status=ImportBatch.Status.WRITING,
            total_rows=plan.total_rows,
        )
        importer.apply(batch=batch, plan=plan)
        record_event(
            Kind.IMPORT,
            user=account,
            summary=f"命令行导入：批次 {batch.pk}，文件“{path.name}”：{summary}",
            detail={"批次": batch.pk, "文件名": path.name, "数据行数": plan.total_rows},
            rows=plan.total_rows,
        )
        self.stdout.write(f"已导入（批次 {batch.pk}）：{summary}")
