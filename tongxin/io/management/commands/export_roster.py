import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongxin.audit.services import Kind, record_event
from tongxin.core.scope import Scope
from tongxin.io import export
from tongxin.io.workbook import write_workbook
from tongxin.orgs.models import Organization


class Command(BaseCommand):
    help = "导出某组织及全部下级在某日的成员名册（与导入模板格式相同）。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="组织编码（默认：组织树的根）")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="在册日期 YYYY-MM-DD（默认今天）"
        )
        parser.add_argument("-o", "--output", help="输出文件（默认：<组织编码>-<日期>.xlsx）")
        parser.add_argument(
            "--profile",
            choices=export.Profile.values,
            default=export.Profile.FULL,
            help=(
                "个人信息：full 完整（默认，可再导入），masked 脱敏，"
                "public 公示（不含身份证号、手机号、电子邮箱和出生日期）"
            ),
        )

    def handle(self, *args, org=None, as_of=None, output=None, profile="full", **options):
        scope = Scope(everything=True)
        node = (
            Organization.objects.filter(code=org).first()
            if org
            else Organization.objects.filter(depth=1).order_by("path").first()
        )
        if node is None:
            raise CommandError(f"找不到组织编码“{org}”" if org else "系统中还没有组织")
        on = as_of or timezone.localdate()
        path = output or f"{node.code}-{on:%Y%m%d}.xlsx"
        orgs = export.organization_rows(scope=scope, org=node, on=on)
        members = export.member_rows(scope=scope, org=node, on=on, profile=profile)
        layout = {"omit": export.omitted_columns(profile), "note": export.GUIDE[profile]}
        layout["extra"] = export.extra_sheets(scope=scope, org=node, on=on, profile=profile)
        if path == "-":
            count = write_workbook(sys.stdout.buffer, orgs, members, **layout)
        else:
            with open(path, "wb") as fp:
                count = write_workbook(fp, orgs, members, **layout)
        record_event(
            Kind.EXPORT, rows=count, **export.roster_export_event(node, on, profile, command=True)
        )
        if path != "-":
            self.stdout.write(f"已导出 {count} 名成员到 {path}")
