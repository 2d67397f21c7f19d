"""Backup archives: one .tar.gz holding the database, the uploaded files and a manifest.

The manifest lists every file of the archive with its size and SHA-256, the database vendor, the
latest applied migration of each app and a fingerprint of the field encryption key (never the key
itself: the key and SECRET_KEY stay out of the archive, so that a stolen archive alone reveals no
encrypted ID number). A restore unpacks and checks everything before it changes anything.

The manifest is signed (HMAC-SHA256) with the backup key, TONGXIN_BACKUP_KEY or var/backup_key,
which is not in the archive either: checksums alone can be recomputed by whoever alters an
archive, the signature cannot without the key. A restore keeps the audit trail written since the
backup (audit events and model changes): it is read before the database is replaced and written
back after, so that a restore cannot erase the record of what was done.
"""

import hashlib
import hmac
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from glob import glob
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "tongxin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database/tongxin.sqlite3", "postgresql": "database/tongxin.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024
BACKUP_KEY_FILE = "backup_key"
SIGNATURE = "signature"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass
class Archive:
    """An archive unpacked into ``root`` whose files all matched its manifest."""

    path: Path
    root: Path
    manifest: dict
    notes: list[str] = field(default_factory=list)

    @property
    def vendor(self) -> str:
        return self.manifest["database"]["vendor"]

    @property
    def media_files(self) -> list[str]:
        return [name for name in self.manifest["files"] if name.startswith(MEDIA_DIR + "/")]


# --- facts recorded in the manifest ---


def tongxin_version() -> str | None:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as fp:
            return tomllib.load(fp)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def field_key_fingerprint() -> str | None:
    """The first 8 hex digits of the SHA-256 of the field encryption key in use, or None.

    The environment variable wins over the key file, as for SECRET_KEY; surrounding white space
    is ignored so that the same key gives the same fingerprint from either place.
    """
    key = os.environ.get("TONGXIN_FIELD_KEY", "").strip().encode()
    if not key:
        path = Path(settings.VAR_DIR) / "field_key"
        if path.is_file():
            key = path.read_bytes().strip()
    return hashlib.sha256(key).hexdigest()[:8] if key else None


def latest_migrations(connection) -> dict[str, str]:
    """The most advanced applied migration of each app, by the migration graph."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    latest: dict[str, tuple[int, str]] = {}
    for node in loader.applied_migrations:
        if node not in loader.graph.nodes:
            continue  # replaced by a squashed migration that is recorded too
        depth = len(loader.graph.forwards_plan(node))
        app, name = node
        if app not in latest or depth > latest[app][0]:
            latest[app] = (depth, name)
    return {app: name for app, (_, name) in sorted(latest.items())}


# --- the manifest's signature ---


def backup_key(*, create: bool = False) -> bytes:
    """The key that signs manifests: TONGXIN_BACKUP_KEY, else var/backup_key (made at the first
    backup when ``create``). Kept out of the archive, like the field key."""
    text = (getattr(settings, "TONGXIN_BACKUP_KEY", "") or "").strip()
    if text:
        return text.encode()
    path = Path(settings.VAR_DIR) / BACKUP_KEY_FILE
    if path.is_file():
        key = path.read_bytes().strip()
        if key:
            return key
    if not create:
        raise BackupError(
            f"找不到备份签名密钥：没有设置 TONGXIN_BACKUP_KEY，{path} 也不存在。"
            "请把生成该备份的机器上的密钥（环境变量 TONGXIN_BACKUP_KEY 或 var/backup_key 文件）"
            "放到本机后再恢复；没有做任何改动"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fp:
        fp.write(key + b"\n")
    return key


def backup_key_fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"tongxin-backup-key:" + key).hexdigest()[:8]


def _manifest_mac(manifest: dict, key: bytes) -> str:
    unsigned = {name: value for name, value in manifest.items() if name != SIGNATURE}
    text = json.dumps(unsigned, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def sign_manifest(manifest: dict, key: bytes | None = None) -> dict:
    """``manifest`` with its signature (replacing any it had)."""
    key = key if key is not None else backup_key(create=True)
    return {
        **{name: value for name, value in manifest.items() if name != SIGNATURE},
        SIGNATURE: {
            "algorithm": "HMAC-SHA256",
            "key_fingerprint": backup_key_fingerprint(key),
            "value": _manifest_mac(manifest, key),
        },
    }


def _check_signature(manifest: dict, path: Path, *, allow_unsigned: bool) -> None:
    signature = manifest.get(SIGNATURE)
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str):
        if allow_unsigned:
            return
        raise BackupError(
            f"备份“{path}”的清单没有签名：可能是旧版本生成的备份，也可能被改动过，拒绝恢复。"
            "确认备份来源可信时，可加 --allow-unsigned 恢复"
        )
    key = backup_key()
    if hmac.compare_digest(_manifest_mac(manifest, key), signature["value"]):
        return
    then, now = signature.get("key_fingerprint"), backup_key_fingerprint(key)
    if then != now:
        raise BackupError(
            f"备份清单由另一把备份签名密钥签名（指纹 {then}，当前密钥指纹 {now}）："
            "请把 TONGXIN_BACKUP_KEY 或 var/backup_key 换成备份时的密钥；没有做任何改动"
        )
    raise BackupError(f"备份“{path}”的清单签名不符：清单或备份被改动过，拒绝恢复")


# --- writing an archive ---


class _HashingReader:
    """Reads exactly ``size`` bytes of ``fp`` into the archive, hashing what it hands over, so
    that the checksum describes the bytes archived even if the file changes meanwhile."""

    def __init__(self, fp, size: int):
        self.fp, self.remaining, self.sha256 = fp, size, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.remaining if n < 0 else min(n, self.remaining)
        data = self.fp.read(n)
        self.remaining -= len(data)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, source: Path, arcname: str, files: dict) -> None:
    with open(source, "rb") as fp:
        stat = os.fstat(fp.fileno())
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(fp, info.size)
        try:
            tar.addfile(info, reader)
        except OSError as exc:
            raise BackupError(f"备份时文件“{source}”被改动或截短，请重新备份（{exc}）") from exc
    files[arcname] = {"size": info.size, "sha256": reader.sha256.hexdigest()}


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.TONGXIN_BACKUP_DIR) / f"tongxin-backup-{stamp}.tar.gz"


def backup_create(*, connection, output: Path | str | None = None) -> tuple[Path, dict]:
    """Write one archive of the database behind ``connection`` and of MEDIA_ROOT; return its
    path and manifest. The archive is written beside its final name and renamed when complete."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库：只支持 SQLite 和 PostgreSQL")
    if output is None:
        path = default_backup_path()
    elif Path(output).is_dir() or str(output).endswith(("/", os.sep)):
        # "-o DIR/" names a folder, made if it is missing, not a file called DIR.
        path = Path(output) / default_backup_path().name
    else:
        path = Path(output)
    if path.exists():
        raise BackupError(f"文件“{path}”已存在，没有覆盖它：请换一个文件名或先移走旧文件")
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    partial = path.with_name(f".{path.name}.partial")
    work = path.with_name(f".{path.name}.work")
    files: dict[str, dict] = {}
    key = backup_key(create=True)
    # Whatever is written from here on may be missing from the copy: a restore keeps the audit
    # entries from this moment.
    started_at = timezone.localtime().isoformat()
    try:
        work.mkdir(mode=0o700)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fp:
            with tarfile.open(fileobj=fp, mode="w:gz", compresslevel=6) as tar:
                db_name = DATABASE_FILES[connection.vendor]
                db_copy = work / PurePosixPath(db_name).name
                _dump_database(connection, db_copy)
                _add_file(tar, db_copy, db_name, files)
                db_copy.unlink()
                media = Path(settings.MEDIA_ROOT)
                if media.is_dir():
                    for source in sorted(p for p in media.rglob("*") if p.is_file()):
                        if source.is_symlink():
                            continue  # a link may point anywhere; uploads are plain files
                        relative = source.relative_to(media).as_posix()
                        _add_file(tar, source, f"{MEDIA_DIR}/{relative}", files)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.localtime().isoformat(timespec="seconds"),
                    "started_at": started_at,
                    "tongxin_version": tongxin_version(),
                    "database": {"vendor": connection.vendor, "file": db_name},
                    "migrations": latest_migrations(connection),
                    "field_key_fingerprint": field_key_fingerprint(),
                    "files": files,
                }
                manifest = sign_manifest(manifest, key)
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            fp.flush()
            os.fsync(fp.fileno())
        if path.exists():
            raise BackupError(f"文件“{path}”在备份期间被创建，没有覆盖它")
        os.rename(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return path, manifest


def _dump_database(connection, target: Path) -> None:
    if connection.vendor == "sqlite":
        # The online backup API copies a consistent snapshot while the application writes, and
        # reads an in-memory database as well as a file.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            # One self-contained file, whatever journal mode the live database uses.
            copy.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite 在线备份失败：{exc}") from exc
        finally:
            copy.close()
    else:
        args, env, dbname = _pg_connection(connection)
        _run(
            [_pg_program("pg_dump"), *args, "--format=custom", "--file", str(target), dbname],
            env,
            "pg_dump",
        )


# --- PostgreSQL programs ---


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/bin/", path)
        return tuple(int(part) for part in match.group(1).split(".")) if match else (0,)

    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(
        f"找不到 PostgreSQL 的 {name} 程序：请安装 postgresql-client（版本不低于数据库服务器），"
        f"或把它所在的目录加入 PATH"
    )


def _pg_connection(connection) -> tuple[list[str], dict, str]:
    """Connection options, environment and database name for pg_dump and pg_restore, from the
    connection's settings: the password travels in PGPASSWORD, never on the command line."""
    settings_dict = connection.settings_dict
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    dbname = settings_dict.get("NAME") or ""
    options = args[1:-1] if dbname and args[-1] == dbname else args[1:]
    if not dbname:
        service = settings_dict.get("OPTIONS", {}).get("service")
        dbname = f"service={service}" if service else "postgres"
    # --no-password: fail with a message rather than wait for a password at a prompt.
    return [*options, "--no-password"], {**os.environ, **(env or {})}, dbname


def _run(command: list[str], env: dict, program: str) -> str:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(f"无法运行 {program}（{command[0]}）：{exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{program} 失败（退出码 {result.returncode}）：{detail}")
    return result.stdout


# --- reading and checking an archive ---


def _allowed_member(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return name == MANIFEST or path.parts[0] in ("database", MEDIA_DIR) and len(path.parts) > 1


def archive_open(path: Path, root: Path, *, allow_unsigned: bool = False) -> Archive:
    """Unpack ``path`` into the empty directory ``root`` and check it against its manifest and
    the manifest against its signature. Raises BackupError on anything wrong; ``root`` is then
    for the caller to delete."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件“{path}”")
    seen: dict[str, dict] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _allowed_member(member.name):
                    raise BackupError(f"备份文件中有不应有的条目“{member.name}”，拒绝恢复")
                if member.name in seen:
                    raise BackupError(f"备份文件中“{member.name}”出现了两次，拒绝恢复")
                target = root / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha256, size = hashlib.sha256(), 0
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        sha256.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = {"size": size, "sha256": sha256.hexdigest()}
            # tarfile stops quietly at a damaged header: reading the compressed stream to its
            # end makes gzip check its CRC and length, so that damage anywhere is noticed.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            f"无法读取备份文件“{path}”：文件已损坏、不完整，或不是同心的备份（{exc}）"
        ) from exc
    if MANIFEST not in seen:
        raise BackupError(f"备份文件“{path}”中没有清单 {MANIFEST}：文件已损坏，或不是同心的备份")
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        vendor = manifest["database"]["vendor"]
        db_file = manifest["database"]["file"]
        if manifest["format"] != FORMAT or not isinstance(files, dict):
            raise ValueError(manifest["format"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"备份文件“{path}”的清单无法识别：不是同心的备份（{exc}）") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本为 {manifest.get('format_version')}，当前代码只认识版本 {FORMAT_VERSION}"
            "：请用生成该备份的同心版本恢复"
        )
    _check_signature(manifest, path, allow_unsigned=allow_unsigned)
    for name, expected in files.items():
        if name not in seen:
            raise BackupError(f"备份中缺少清单列出的文件“{name}”：备份不完整，拒绝恢复")
        if seen[name] != {"size": expected.get("size"), "sha256": expected.get("sha256")}:
            raise BackupError(
                f"文件“{name}”的大小或 SHA-256 校验和与清单不符：备份已损坏或被改动，拒绝恢复"
            )
    extra = sorted(set(seen) - set(files) - {MANIFEST})
    if extra:
        raise BackupError(f"备份中有清单未列出的文件“{extra[0]}”：备份被改动，拒绝恢复")
    if vendor not in DATABASE_FILES or db_file not in files:
        raise BackupError(f"备份的清单中没有可用的数据库文件（数据库类型：{vendor}）")
    return Archive(path=path, root=root, manifest=manifest)


def archive_check(archive: Archive, *, connection) -> None:
    """Refuse an archive this database cannot take; add notes on what the operator should know."""
    if archive.vendor != connection.vendor:
        raise BackupError(
            f"这是 {VENDOR_NAMES.get(archive.vendor, archive.vendor)} 数据库的备份，"
            f"当前使用的是 {VENDOR_NAMES.get(connection.vendor, connection.vendor)}："
            "不能跨数据库类型恢复，没有做任何改动"
        )
    known = MigrationLoader(None, ignore_no_migrations=True)
    backed_up = archive.manifest.get("migrations") or {}
    for app, name in sorted(backed_up.items()):
        if (app, name) not in known.disk_migrations:
            version = archive.manifest.get("tongxin_version") or "未知"
            raise BackupError(
                f"备份的数据库结构比当前代码新：应用 {app} 的迁移 {name} 在当前代码中不存在。"
                f"请先把同心升级到备份时的版本（{version}）再恢复；没有做任何改动"
            )
    leaves = known.graph.leaf_nodes()
    if any(backed_up.get(app) != name for app, name in leaves):
        archive.notes.append("备份的数据库结构比当前代码旧：恢复后请运行 python manage.py migrate")
    then, now = archive.manifest.get("field_key_fingerprint"), field_key_fingerprint()
    if then != now:
        archive.notes.append(
            f"注意：备份时的字段加密密钥（指纹 {then or '无'}）与当前密钥（指纹 {now or '无'}）"
            "不同。恢复后，加密保存的身份证号要用备份时的密钥才能读出："
            "请把 TONGXIN_FIELD_KEY 或 var/field_key 换回备份时的密钥"
        )


# --- restoring ---


def archive_restore(archive: Archive, *, connection) -> int:
    """Replace the database behind ``connection`` and MEDIA_ROOT by the archive's, keeping the
    audit entries written since the backup began; returns how many were kept."""
    if connection.in_atomic_block:
        raise BackupError("不能在数据库事务中恢复备份")
    db_file = archive.root / archive.manifest["database"]["file"]
    since = datetime.fromisoformat(
        archive.manifest.get("started_at") or archive.manifest["created_at"]
    )
    trail = _AuditTrail.read_since(since)
    if connection.vendor == "sqlite":
        _restore_sqlite(db_file, connection)
    else:
        _restore_postgresql(db_file, connection)
    try:
        kept = trail.write_back()
    except DatabaseError as exc:
        # A backup older than the audit tables' present form: the entries wait in a file.
        saved = trail.save(Path(settings.VAR_DIR))
        archive.notes.append(
            f"备份之后的审计记录未能写回恢复后的数据库（{exc}），已另存为 {saved}："
            f"请运行 python manage.py migrate 后用 python manage.py loaddata {saved} 导入"
        )
        kept = 0
    _restore_media(archive)
    return kept


class _AuditTrail:
    """The audit events and model changes recorded since a moment, held while the database is
    replaced and written back after, each unless the restored database already has it."""

    def __init__(self, events: list, changes: list, content_types: dict, usernames: dict):
        self.events, self.changes = events, changes
        self.content_types, self.usernames = content_types, usernames

    @classmethod
    def read_since(cls, since: datetime) -> "_AuditTrail":
        from auditlog.models import LogEntry
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        from tongxin.audit.models import Event

        events = list(Event.objects.filter(time__gte=since).order_by("time", "pk"))
        changes = list(LogEntry.objects.filter(timestamp__gte=since).order_by("timestamp", "pk"))
        content_types = {
            ct.pk: ct.natural_key()
            for ct in ContentType.objects.filter(pk__in={c.content_type_id for c in changes})
        }
        actors = {c.actor_id for c in changes} - {None}
        usernames = dict(
            get_user_model().objects.filter(pk__in=actors).values_list("pk", "username")
        )
        return cls(events, changes, content_types, usernames)

    def write_back(self) -> int:
        from auditlog.models import LogEntry
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        from tongxin.audit.models import Event

        # The caches describe the database before the restore.
        ContentType.objects.clear_cache()
        since = min(
            [e.time for e in self.events] + [c.timestamp for c in self.changes], default=None
        )
        if since is None:
            return 0
        users = set(get_user_model().objects.values_list("pk", flat=True))
        have = set(
            Event.objects.filter(time__gte=since).values_list("time", "kind", "username", "summary")
        )
        events = []
        for event in self.events:
            if (event.time, event.kind, event.username, event.summary) in have:
                continue
            event.pk = None
            if event.user_id not in users:
                event.user_id = None  # the account is younger than the backup: its name stays
            events.append(event)
        have = set(
            LogEntry.objects.filter(timestamp__gte=since).values_list(
                "timestamp", "object_pk", "action", "changes_text"
            )
        )
        changes = []
        for change in self.changes:
            if (change.timestamp, change.object_pk, change.action, change.changes_text) in have:
                continue
            change.pk = None
            app_label, model = self.content_types[change.content_type_id]
            change.content_type = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )[0]
            if change.actor_id is not None and change.actor_id not in users:
                change.additional_data = {
                    **(change.additional_data or {}),
                    "恢复前的操作人": self.usernames.get(change.actor_id, ""),
                }
                change.actor_id = None
            changes.append(change)
        with transaction.atomic():
            Event.objects.bulk_create(events)
            LogEntry.objects.bulk_create(changes)
        return len(events) + len(changes)

    def save(self, folder: Path) -> Path:
        """The entries as a fixture for loaddata (new keys: the restored rows keep theirs)."""
        from django.core import serializers

        for entry in [*self.events, *self.changes]:
            entry.pk = None
        path = folder / f"audit-kept-{timezone.localtime():%Y%m%d-%H%M%S}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fp:
            serializers.serialize("json", [*self.events, *self.changes], stream=fp)
        return path


def _restore_sqlite(db_file: Path, connection) -> None:
    # Copied into the live connection's database: a file, or the in-memory test database.
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 恢复失败，数据库未改动：{exc}") from exc
    finally:
        source.close()


def _restore_postgresql(db_file: Path, connection) -> None:
    """pg_restore --clean --if-exists --no-owner, through psql inside one transaction that is
    committed only when pg_restore has written the whole dump: a restore that fails half-way
    leaves the database as it was.

    --clean drops only what the dump holds. Tables of migrations newer than the backup would
    stay, and their foreign keys stop --clean from dropping the tables they point to: they are
    dropped first, in the same transaction. Only tables of this code's models go; anything else
    in the database is not ours to touch."""
    pg_restore, psql = _pg_program("pg_restore"), _pg_program("psql")
    args, env, dbname = _pg_connection(connection)
    listing = _run([pg_restore, "--list", str(db_file)], env, "pg_restore")
    in_backup = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE))
    ours = set(connection.introspection.django_table_names(only_existing=True))
    drops = "".join(
        f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE;\n"
        for table in sorted(ours - in_backup)
    )
    # Our own connection holds no lock that the drops would wait for.
    connection.close()
    psql_command = [psql, *args, "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1"]
    restore_command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--file", "-"]
    with tempfile.TemporaryFile() as psql_errors, tempfile.TemporaryFile() as restore_errors:
        try:
            loader = subprocess.Popen(
                [*psql_command, "--dbname", dbname],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=psql_errors,
                env=env,
            )
        except OSError as exc:
            raise BackupError(f"无法运行 psql（{psql}）：{exc}") from exc
        dumped = None
        try:
            loader.stdin.write(f"BEGIN;\n{drops}".encode())
            loader.stdin.flush()
            dumped = subprocess.run(
                [*restore_command, str(db_file)],
                stdout=loader.stdin,
                stderr=restore_errors,
                env=env,
            )
            if dumped.returncode == 0:
                loader.stdin.write(b"COMMIT;\n")
        except OSError:
            pass  # psql stopped at an error: its message follows
        finally:
            try:
                loader.stdin.close()
            except OSError:
                pass
        loaded = loader.wait()
        if loaded != 0 or dumped is None or dumped.returncode != 0:
            psql_errors.seek(0)
            restore_errors.seek(0)
            detail = (restore_errors.read() + psql_errors.read()).decode(errors="replace").strip()
            raise BackupError(f"PostgreSQL 恢复失败，事务已回滚，数据库未改动：{detail}")


def _restore_media(archive: Archive) -> None:
    """Make MEDIA_ROOT hold exactly the archive's files: theirs put in place, others removed."""
    media = Path(settings.MEDIA_ROOT)
    wanted = {PurePosixPath(name).relative_to(MEDIA_DIR).as_posix() for name in archive.media_files}
    if not wanted and not media.exists():
        return
    media.mkdir(parents=True, exist_ok=True)
    for relative in sorted(wanted):
        target = media / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(archive.root / MEDIA_DIR / relative, target)
    for path in sorted(media.rglob("*"), reverse=True):
        relative = path.relative_to(media).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative not in wanted:
            path.unlink()
