import getpass
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from tongxin.audit.backup import (
    VENDOR_NAMES,
    BackupError,
    archive_check,
    archive_open,
    archive_restore,
)
from tongxin.audit.services import Kind, record_event


class Command(BaseCommand):
    help = (
        "从 manage.py backup 生成的归档恢复数据库和上传的文件。先检查清单和每个文件的校验和、"
        "数据库类型和迁移版本，全部通过才改动；当前数据库和上传文件目录的内容会被备份替换。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份归档（.tar.gz）")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
        parser.add_argument("--check", action="store_true", help="只检查归档能否恢复，不做任何改动")
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="接受清单没有签名的备份（旧版本生成的）：仅在确认备份来源可信时使用",
        )

    def handle(self, *args, archive, yes=False, check=False, allow_unsigned=False, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        # Unpacked beside the data, not in /tmp: a database can be larger than a tmpfs.
        work_parent = Path(settings.VAR_DIR)
        work_parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_parent, prefix=".tongxin-restore-") as work:
            try:
                unpacked = archive_open(Path(archive), Path(work), allow_unsigned=allow_unsigned)
                archive_check(unpacked, connection=connection)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            manifest = unpacked.manifest
            self.stdout.write(
                f"备份 {archive}：生成于 {manifest.get('created_at')}，"
                f"同心版本 {manifest.get('tongxin_version') or '未知'}，"
                f"{VENDOR_NAMES[unpacked.vendor]} 数据库，上传文件 {len(unpacked.media_files)} 个；"
                f"{'清单签名和' if manifest.get('signature') else '清单没有签名；'}"
                f"{len(manifest['files'])} 个文件的校验和全部相符。"
            )
            for note in unpacked.notes:
                self.stdout.write(self.style.WARNING(note))
            if check:
                self.stdout.write("只做了检查，没有改动。")
                return
            if not yes and not self._confirmed(connection):
                raise CommandError("已取消，没有做任何改动。")
            notes_before = len(unpacked.notes)
            try:
                kept = archive_restore(unpacked, connection=connection)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            for note in unpacked.notes[notes_before:]:
                self.stdout.write(self.style.WARNING(note))
            record_event(
                Kind.RESTORE,
                summary=f"命令行：从备份“{archive}”（生成于 {manifest.get('created_at')}）"
                f"恢复数据库和上传文件，保留了备份之后的 {kept} 条审计记录",
                detail={
                    "归档": str(archive),
                    "生成于": manifest.get("created_at"),
                    "已签名": bool(manifest.get("signature")),
                    "保留的审计记录": kept,
                    "系统用户": getpass.getuser(),
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复：{VENDOR_NAMES[unpacked.vendor]} 数据库已替换为备份中的内容，"
                f"上传文件目录 {settings.MEDIA_ROOT} 现有 {len(unpacked.media_files)} 个文件；"
                f"备份之后的 {kept} 条审计记录已保留。"
            )
        )

    def _confirmed(self, connection) -> bool:
        name = connection.settings_dict.get("NAME")
        self.stdout.write(
            f"恢复会用备份替换当前数据库（{name}）的全部内容和上传文件目录 {settings.MEDIA_ROOT}，"
            "当前的数据将丢失。恢复前请停止网站和导入后台任务。"
        )
        try:
            answer = input("确认恢复请输入 yes：")
        except EOFError:
            return False
        return answer.strip().lower() in {"yes", "y", "是"}
