from django.core.management.base import BaseCommand

from tongxin.io.workbook import template_workbook


class Command(BaseCommand):
    help = "生成空白的成员名册模板（含填写说明和下拉选项）。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default="成员名册模板.xlsx", help="输出文件")

    def handle(self, *args, output, **options):
        with open(output, "wb") as fp:
            fp.write(template_workbook())
        self.stdout.write(f"已生成模板 {output}")
