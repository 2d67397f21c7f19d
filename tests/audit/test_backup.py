"""manage.py backup and restore, against the real test database (SQLite or PostgreSQL).

A restore replaces the whole database, from another process on PostgreSQL: these tests commit for
real (transaction=True), and pytest-django empties the database after each one.
"""

import hashlib
import io
import json
import re
import stat
import tarfile
from datetime import date
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import make_member, make_org, make_user
from tongxin.audit.backup import field_key_fingerprint, sign_manifest
from tongxin.audit.models import Event
from tongxin.audit.services import Kind, record_event
from tongxin.people import services as people_services
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}


def dump_everything(*excluded: str) -> str:
    out = io.StringIO()
    call_command("dumpdata", "--indent=1", *(f"--exclude={app}" for app in excluded), stdout=out)
    return out.getvalue()


def dump_data() -> str:
    """Everything but the audit trail, which a restore keeps (and adds its own record to)."""
    return dump_everything("audit", "auditlog")


@pytest.fixture(autouse=True)
def backup_key(settings):
    settings.TONGXIN_BACKUP_KEY = "the-backup-key-of-these-tests"


def media_contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def backup(path: Path) -> Path:
    call_command("backup", "-o", str(path), stdout=io.StringIO())
    return path


def restore(path: Path, *options) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *options, stdout=out)
    return out.getvalue()


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` whose members (name → bytes) ``change`` has edited in place."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def edit_manifest(edit):
    def change(members):
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        # Signed again: these stand for archives made so, not for tampered ones.
        members["manifest.json"] = json.dumps(sign_manifest(manifest)).encode()

    return change


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "张敏.jpg").write_bytes(bytes(range(256)) * 40)
    (root / "notes.txt").write_text("支部工作记录\n", encoding="utf-8")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def records(world):
    """People with spells, a transfer among them, and a user working in the city."""
    people = [make_member(world.branch_a) for _ in range(3)]
    people += [make_member(world.branch_b, start=date(2018, 3, 1)) for _ in range(2)]
    people.append(make_member(world.branch_g1, gender="2", birth_date=date(1988, 2, 29)))
    people_services.membership_transfer(
        person=people[0], to_org=world.branch_b, on=date(2021, 7, 1), document_no="江盟组〔2021〕7"
    )
    make_user("city_staff", world.city)
    return people


def test_restore_gives_back_exactly_the_data_and_files_backed_up(world, records, media, tmp_path):
    before, files_before = dump_data(), media_contents(media)
    archive = backup(tmp_path / "round-trip.tar.gz")

    # Change, delete and add, in the database and among the uploaded files.
    person = Person.objects.get(pk=records[1].pk)
    person.name = "改过的名字"
    people_services.person_update(person=person)
    Person.objects.filter(pk=records[2].pk).delete()
    make_member(make_org(world.city, code="C1-N", name="新成立支部"))
    Person.objects.filter(pk=records[4].pk).update(phone="13800001234")
    (media / "photos" / "张敏.jpg").unlink()
    (media / "notes.txt").write_text("改过了", encoding="utf-8")
    (media / "new" / "deep").mkdir(parents=True)
    (media / "new" / "deep" / "x.pdf").write_bytes(b"%PDF-1.4")
    assert dump_data() != before

    out = restore(archive, "--yes")

    assert dump_data() == before
    assert media_contents(media) == files_before
    assert not (media / "new").exists()
    assert "已恢复" in out


def test_a_restored_database_takes_new_records_without_key_clashes(world, records, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    make_member(world.branch_a)
    restore(archive, "--yes")
    assert Person.objects.count() == len(records)
    make_member(world.branch_a)  # the sequences came back with the rows
    assert Person.objects.count() == len(records) + 1


def test_backup_writes_a_private_archive_with_a_manifest_of_checksums(
    records, media, settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("TONGXIN_FIELD_KEY", "a-field-key-for-the-test")
    settings.TONGXIN_BACKUP_DIR = tmp_path / "backups"
    call_command("backup", stdout=io.StringIO())

    backups = settings.TONGXIN_BACKUP_DIR
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    [archive] = list(backups.iterdir())
    assert re.fullmatch(r"tongxin-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["database"]["vendor"] == connection.vendor
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["people"] == max(name for app, name in applied if app == "people")
    assert manifest["field_key_fingerprint"] == field_key_fingerprint()
    assert (
        manifest["field_key_fingerprint"]
        == (hashlib.sha256(b"a-field-key-for-the-test").hexdigest()[:8])
    )
    assert set(members) == set(manifest["files"])
    assert {"media/notes.txt", "media/photos/张敏.jpg"} <= set(members)
    for name, data in members.items():
        assert manifest["files"][name] == {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    assert not any("key" in name for name in members)  # neither field_key nor secret_key


def test_backup_does_not_overwrite_an_existing_file(records, tmp_path):
    target = tmp_path / "taken.tar.gz"
    target.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="已存在"):
        backup(target)
    assert target.read_bytes() == b"an older backup"


def changed_after_backup(world, media, tmp_path) -> tuple[Path, str, dict]:
    """An archive, then changes to the database and files; the state the refusal must keep."""
    archive = backup(tmp_path / "good.tar.gz")
    make_member(world.other_branch, name="备份后新增")
    (media / "notes.txt").write_text("备份后改过", encoding="utf-8")
    return archive, dump_everything(), media_contents(media)


def test_an_archive_with_one_byte_changed_is_refused_and_nothing_changes(
    world, records, media, tmp_path
):
    archive, now, files_now = changed_after_backup(world, media, tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.tar.gz"
    tampered.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="损坏"):
        restore(tampered, "--yes")
    assert dump_everything() == now
    assert media_contents(media) == files_now


def test_a_database_file_changed_inside_a_well_formed_archive_fails_its_checksum(
    world, records, media, tmp_path
):
    archive, now, files_now = changed_after_backup(world, media, tmp_path)

    def flip_one_byte(members):
        name = next(n for n in members if n.startswith("database/"))
        data = bytearray(members[name])
        data[len(data) // 2] ^= 0x01
        members[name] = bytes(data)

    tampered = rewrite(archive, tmp_path / "repacked.tar.gz", flip_one_byte)

    with pytest.raises(CommandError, match="校验和与清单不符"):
        restore(tampered, "--yes")
    assert dump_everything() == now
    assert media_contents(media) == files_now


def test_an_archive_missing_a_listed_file_is_refused(world, records, media, tmp_path):
    archive, now, _ = changed_after_backup(world, media, tmp_path)
    incomplete = rewrite(
        archive, tmp_path / "incomplete.tar.gz", lambda m: m.pop("media/notes.txt")
    )
    with pytest.raises(CommandError, match="缺少清单列出的文件“media/notes.txt”"):
        restore(incomplete, "--yes")
    assert dump_everything() == now


def test_an_archive_of_the_other_database_vendor_is_refused(world, records, media, tmp_path):
    archive, now, files_now = changed_after_backup(world, media, tmp_path)
    other = OTHER_VENDOR[connection.vendor]

    def claim_other_vendor(manifest):
        manifest["database"]["vendor"] = other

    foreign = rewrite(archive, tmp_path / "foreign.tar.gz", edit_manifest(claim_other_vendor))

    with pytest.raises(CommandError, match="不能跨数据库类型恢复"):
        restore(foreign, "--yes")
    assert dump_everything() == now
    assert media_contents(media) == files_now


def test_an_archive_from_newer_code_is_refused(world, records, media, tmp_path):
    archive, now, _ = changed_after_backup(world, media, tmp_path)

    def from_the_future(manifest):
        manifest["migrations"]["people"] = "0099_not_written_yet"

    newer = rewrite(archive, tmp_path / "newer.tar.gz", edit_manifest(from_the_future))

    with pytest.raises(CommandError, match="people 的迁移 0099_not_written_yet"):
        restore(newer, "--yes")
    assert dump_everything() == now


def test_a_different_field_key_is_warned_about(records, tmp_path, monkeypatch):
    monkeypatch.setenv("TONGXIN_FIELD_KEY", "the-key-at-backup-time")
    archive = backup(tmp_path / "b.tar.gz")
    monkeypatch.setenv("TONGXIN_FIELD_KEY", "another-key")

    out = restore(archive, "--check")

    assert "字段加密密钥" in out and "不同" in out
    assert "没有改动" in out


def test_restore_asks_first_and_changes_nothing_without_a_yes(
    world, records, media, tmp_path, monkeypatch
):
    archive, now, files_now = changed_after_backup(world, media, tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt: "不")

    with pytest.raises(CommandError, match="已取消"):
        restore(archive)
    assert dump_everything() == now
    assert media_contents(media) == files_now


def test_tables_newer_than_the_backup_do_not_survive_its_restore(records, tmp_path):
    """A backup older than the code: the tables of the newer migrations must go, so that
    `migrate` can create them again after the restore."""
    from django.contrib.admin.models import LogEntry

    with connection.schema_editor() as editor:
        editor.delete_model(LogEntry)
    try:
        archive = backup(tmp_path / "older.tar.gz")
        with connection.schema_editor() as editor:
            editor.create_model(LogEntry)

        restore(archive, "--yes")

        assert LogEntry._meta.db_table not in connection.introspection.table_names()
    finally:
        if LogEntry._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(LogEntry)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_restore only")
def test_a_postgresql_restore_that_fails_half_way_changes_nothing(world, records, media, tmp_path):
    """A reporting view someone added keeps --clean from dropping the person table: the
    restore stops there, and the drops before it are rolled back with it."""
    archive, now, files_now = changed_after_backup(world, media, tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW report_people AS SELECT name FROM people_person")
    try:
        with pytest.raises(CommandError, match="事务已回滚"):
            restore(archive, "--yes")
        assert dump_everything() == now
        assert media_contents(media) == files_now
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS report_people")


def test_a_restore_keeps_the_audit_trail_written_since_the_backup(world, records, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    person = Person.objects.get(pk=records[1].pk)
    person.name = "备份后改名"
    people_services.person_update(person=person)  # a model change, with its audit entry
    record_event(Kind.EXPORT, username="city_staff", summary="导出名册：备份之后", rows=6)
    trail = {(e.kind, e.summary) for e in Event.objects.all()}
    logged = set(
        LogEntry.objects.filter(object_pk=str(person.pk)).values_list("timestamp", "action")
    )
    assert any(
        "备份后改名" in str(c.changes) for c in LogEntry.objects.filter(object_pk=str(person.pk))
    )

    out = restore(archive, "--yes")

    assert Person.objects.get(pk=person.pk).name != "备份后改名"  # the data went back
    after = {(e.kind, e.summary) for e in Event.objects.all()}
    assert trail <= after  # the backup's own record and the export after it among them
    assert (Kind.EXPORT, "导出名册：备份之后") in after
    assert Event.objects.filter(kind=Kind.BACKUP, summary__contains=str(archive)).count() == 1
    restored = Event.objects.get(kind=Kind.RESTORE)
    assert str(archive) in restored.summary and "保留了备份之后的" in restored.summary
    assert logged == set(
        LogEntry.objects.filter(object_pk=str(person.pk)).values_list("timestamp", "action")
    )
    assert "审计记录已保留" in out

    restore(archive, "--yes")  # again: nothing is kept twice
    assert Event.objects.filter(kind=Kind.EXPORT, summary="导出名册：备份之后").count() == 1
    assert Event.objects.filter(kind=Kind.RESTORE).count() == 2


def test_an_archive_altered_with_its_checksums_recomputed_fails_the_signature(
    world, records, media, tmp_path
):
    archive, now, files_now = changed_after_backup(world, media, tmp_path)

    def alter_and_recompute(members):
        name = next(n for n in members if n.startswith("database/"))
        data = bytearray(members[name])
        data[len(data) // 2] ^= 0x01
        members[name] = bytes(data)
        manifest = json.loads(members["manifest.json"])
        manifest["files"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        members["manifest.json"] = json.dumps(manifest).encode()

    forged = rewrite(archive, tmp_path / "forged.tar.gz", alter_and_recompute)

    with pytest.raises(CommandError, match="清单签名不符"):
        restore(forged, "--check")
    with pytest.raises(CommandError, match="清单签名不符"):
        restore(forged, "--yes")
    assert dump_everything() == now
    assert media_contents(media) == files_now


def test_an_archive_signed_with_another_key_is_refused_naming_both_keys(
    records, settings, tmp_path
):
    archive = backup(tmp_path / "b.tar.gz")
    settings.TONGXIN_BACKUP_KEY = "a-different-key"
    with pytest.raises(CommandError, match="另一把备份签名密钥"):
        restore(archive, "--check")


def test_an_unsigned_archive_is_restored_only_when_allowed(records, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")

    def unsign(members):
        manifest = json.loads(members["manifest.json"])
        del manifest["signature"]
        members["manifest.json"] = json.dumps(manifest).encode()

    unsigned = rewrite(archive, tmp_path / "unsigned.tar.gz", unsign)
    with pytest.raises(CommandError, match="没有签名.*--allow-unsigned"):
        restore(unsigned, "--check")
    assert "没有改动" in restore(unsigned, "--check", "--allow-unsigned")


def test_without_a_configured_key_the_first_backup_makes_a_private_key_file(
    world, settings, tmp_path
):
    settings.TONGXIN_BACKUP_KEY = ""
    settings.VAR_DIR = tmp_path / "var"
    archive = backup(tmp_path / "b.tar.gz")
    key_file = settings.VAR_DIR / "backup_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        assert key_file.read_bytes().strip() not in b"".join(
            tar.extractfile(m).read() for m in tar if m.isfile()
        )
    assert "没有改动" in restore(archive, "--check")
    key_file.unlink()
    with pytest.raises(CommandError, match="找不到备份签名密钥"):
        restore(archive, "--check")


def test_backup_into_a_missing_folder_named_with_a_slash_creates_it(records, tmp_path):
    folder = tmp_path / "new" / "backups"
    call_command("backup", "-o", f"{folder}/", stdout=io.StringIO())
    [archive] = list(folder.iterdir())
    assert re.fullmatch(r"tongxin-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert "没有改动" in restore(archive, "--check")


def test_audit_entries_the_restored_database_cannot_take_are_kept_in_a_file(
    records, settings, tmp_path
):
    """A backup from before the audit tables: the entries since wait in a fixture file."""
    from tongxin.audit.backup import archive_open, archive_restore, backup_create

    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    with connection.schema_editor() as editor:
        editor.delete_model(Event)
    try:
        path, _ = backup_create(connection=connection, output=tmp_path / "old.tar.gz")
        with connection.schema_editor() as editor:
            editor.create_model(Event)
        record_event(Kind.EXPORT, username="city_staff", summary="导出名册：备份之后", rows=6)
        (tmp_path / "unpacked").mkdir()
        archive = archive_open(path, tmp_path / "unpacked")

        assert archive_restore(archive, connection=connection) == 0

        [saved] = settings.VAR_DIR.glob("audit-kept-*.json")
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert "导出名册：备份之后" in saved.read_text(encoding="utf-8")
        assert any(str(saved) in note and "loaddata" in note for note in archive.notes)
    finally:
        if Event._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Event)
