"""manage.py import_elections FILE [--dry-run] [--user NAME]: a campaign of elections."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongxin.accounts.commands import acting_user
from tongxin.audit.services import Kind, record_event
from tongxin.core.scope import Scope
from tongxin.terms import campaign


class Command(BaseCommand):
    help = (
        "导入集中换届工作簿（每个班子成员一行）。先检查整个文件并按换届选举表单的规则逐次检查，"
        "有任何错误则不登记任何一次选举并列出全部错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="换届工作簿（.xlsx 或 .csv），格式见导入模板")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="以此用户的身份和管理范围导入（默认：第一个超级用户）")

    def handle(self, *args, file, dry_run=False, user=None, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{file}”：{exc.strerror}") from exc
        account = acting_user(user)
        result = campaign.import_file(
            data=data, filename=path.name, scope=Scope.for_user(account), dry_run=dry_run
        )
        for message in result.messages():
            self.stderr.write(message)
        if not result.ok:
            raise CommandError(f"发现 {len(result.problems)} 处错误，未登记任何选举")
        for warning in result.warnings:
            self.stdout.write("提示：" + warning)
        summary = campaign.summary(result)
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{summary}")
            return
        record_event(
            Kind.IMPORT,
            user=account,
            summary=f"命令行导入集中换届，文件“{path.name}”：{summary}",
            detail={"文件名": path.name, "选举": len(result.terms), "班子成员": result.seats},
            rows=result.seats,
        )
        self.stdout.write(f"已导入：{summary}")
