"""python manage.py rotate_field_key [--dry-run]"""

from django.core.management.base import BaseCommand
from django.db import connections, router, transaction

from tongxin.core import fieldcrypt


class Command(BaseCommand):
    help = (
        "更换字段密钥：用当前密钥（环境变量 TONGXIN_FIELD_KEY）重新加密全部身份证号、导入文件"
        "及导入记录，并重算身份证号查找哈希；旧数据用 TONGXIN_FIELD_KEY_PREVIOUS 中的原密钥解密。"
        "全部在一个事务中完成，出错则不改变任何数据。运行前请停止网站和导入进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计需要重新加密的记录数，不写入"
        )

    def handle(self, *args, dry_run: bool, **options):
        ring = fieldcrypt.keyring()  # a malformed or unknown key stops here, before any work
        self.stdout.write(f"当前密钥编号：{ring.current.key_id}")
        columns = list(fieldcrypt.encrypted_columns())
        using = router.db_for_write(columns[0][0])
        total = 0
        with transaction.atomic(using=using):
            for model, field, kind in columns:
                seen, rewritten = fieldcrypt.rewrite_column(
                    connections[using],
                    model._meta.db_table,
                    field.column,
                    kind,
                    hash_column=getattr(field, "hash_field", None),
                    ring=ring,
                    pk=model._meta.pk.column,
                )
                total += rewritten
                self.stdout.write(
                    f"{model._meta.verbose_name}·{field.verbose_name}：{seen} 条有值，"
                    f"{'需' if dry_run else '已'}重新加密 {rewritten} 条"
                )
            if dry_run:
                transaction.set_rollback(True, using=using)
        if dry_run:
            self.stdout.write(f"试运行：共 {total} 条需要重新加密，未写入任何数据。")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"完成：共重新加密 {total} 条。"
                    "确认网站运行正常后，可删除环境变量 TONGXIN_FIELD_KEY_PREVIOUS。"
                )
            )
