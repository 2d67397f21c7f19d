import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat

from tongxin.audit.backup import VENDOR_NAMES, BackupError, backup_create
from tongxin.audit.services import Kind, record_event


class Command(BaseCommand):
    help = (
        "把数据库和上传的文件备份成一个归档（.tar.gz，含清单和 SHA-256 校验和），"
        "应用运行时也可执行。"
        "字段加密密钥和 SECRET_KEY 不在归档中，请另行保管。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help="归档文件或目录（默认：TONGXIN_BACKUP_DIR，即 var/backups/ 下的 "
            "tongxin-backup-<日期>-<时间>.tar.gz）",
        )

    def handle(self, *args, output=None, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            path, manifest = backup_create(connection=connection, output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        fingerprint = manifest["field_key_fingerprint"]
        media = [name for name in files if name != manifest["database"]["file"]]
        database_size = files[manifest["database"]["file"]]["size"]
        record_event(
            Kind.BACKUP,
            summary=f"命令行：备份到“{path}”，上传文件 {len(media)} 个",
            detail={
                "归档": str(path),
                "大小": path.stat().st_size,
                "生成于": manifest["created_at"],
                "签名密钥指纹": manifest["signature"]["key_fingerprint"],
                "系统用户": getpass.getuser(),
            },
        )
        self.stdout.write(
            f"已备份到 {path}（{filesizeformat(path.stat().st_size)}）："
            f"{VENDOR_NAMES[connection.vendor]} 数据库 {filesizeformat(database_size)}，"
            f"上传文件 {len(media)} 个。"
        )
        self.stdout.write(
            "字段加密密钥和 SECRET_KEY 不在归档中：请把它们与备份分开保管，恢复时要用同一把字段密钥"
            + (f"（指纹 {fingerprint}）。" if fingerprint else "。")
        )
