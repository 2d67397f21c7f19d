"""Background work for imports: a worker process claims batches and reports progress.

No broker: the batches table is the queue (a batch is claimed by an atomic status update) and
progress goes to a small JSON file per batch, because the write happens inside one database
transaction whose own updates other connections cannot see until it commits.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core.scope import Scope

from . import importer
from .models import ImportBatch

log = logging.getLogger(__name__)


def progress_file(batch_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"import-{batch_id}.json"


def write_progress(batch_id: int, phase: str, done: int, total: int) -> None:
    path = progress_file(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    tmp.replace(path)


def read_progress(batch_id: int) -> dict:
    try:
        return json.loads(progress_file(batch_id).read_text())
    except (OSError, ValueError):
        return {"phase": "", "done": 0, "total": 0}


def _claim(status_from: str, status_to: str) -> ImportBatch | None:
    for batch_id in (
        ImportBatch.objects.filter(status=status_from)
        .order_by("pk")
        .values_list("pk", flat=True)[:5]
    ):
        if ImportBatch.objects.filter(pk=batch_id, status=status_from).update(status=status_to):
            return ImportBatch.objects.get(pk=batch_id)
    return None


def scope_of(batch: ImportBatch) -> Scope:
    return Scope.for_user(batch.created_by)


def _check(batch: ImportBatch) -> importer.Plan:
    return importer.check(
        data=bytes(batch.content),
        filename=batch.file_name,
        scope=scope_of(batch),
        effective_date=batch.effective_date,
        progress=lambda phase, done, total: write_progress(batch.pk, phase, done, total),
    )


def run_check(batch: ImportBatch) -> None:
    plan = _check(batch)
    batch.total_rows = plan.total_rows
    batch.errors, batch.warnings = plan.errors, plan.warnings
    batch.created, batch.updated, batch.unchanged = plan.created, plan.updated, plan.unchanged
    batch.transferred = plan.transferred
    batch.orgs_created, batch.orgs_updated = plan.orgs_created, plan.orgs_updated
    batch.status = ImportBatch.Status.REJECTED if plan.errors else ImportBatch.Status.CHECKED
    batch.save_state()


def run_write(batch: ImportBatch) -> None:
    # The uploader's role may have changed since the upload (the service asks, not only the page).
    if not scope_of(batch).can(Cap.CHANGE):
        batch.status = ImportBatch.Status.REJECTED
        batch.message = "上传人已没有录入和修改的权限（角色已变更），未写入任何数据"
        batch.save_state()
        return
    # The database may have changed since the check: check again, then write.
    plan = _check(batch)
    if plan.errors:
        batch.errors = plan.errors
        batch.status = ImportBatch.Status.REJECTED
        batch.message = "确认时重新检查发现错误（数据在检查后有变化），未写入任何数据"
        batch.save_state()
        return
    importer.apply(
        batch=batch,
        plan=plan,
        progress=lambda phase, done, total: write_progress(batch.pk, phase, done, total),
    )


def run_undo(batch: ImportBatch) -> None:
    try:
        importer.undo(batch=batch, by=batch.undone_by)
    except importer.UndoRefused as exc:
        batch.status, batch.undone_by = ImportBatch.Status.DONE, None
        batch.message = f"不能撤销：{exc}"
        batch.save_state()


def _import_failed(exc: Exception) -> dict:
    return {
        "status": ImportBatch.Status.FAILED,
        "message": f"导入程序出错，未写入任何数据：{exc.__class__.__name__}",
        "finished_at": timezone.now(),
    }


def _undo_failed(exc: Exception) -> dict:
    # The undo's transaction rolled back: the import stands as it was.
    return {
        "status": ImportBatch.Status.DONE,
        "message": f"撤销时程序出错，数据未改变：{exc.__class__.__name__}",
        "undone_by": None,
    }


def run_pending() -> int:
    """Check, write or undo every batch that waits; returns how many were handled."""
    handled = 0
    for status_from, status_to, work, failed in (
        (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKING, run_check, _import_failed),
        (ImportBatch.Status.CONFIRMED, ImportBatch.Status.WRITING, run_write, _import_failed),
        (ImportBatch.Status.UNDO_REQUESTED, ImportBatch.Status.UNDOING, run_undo, _undo_failed),
    ):
        while (batch := _claim(status_from, status_to)) is not None:
            try:
                work(batch)
            except Exception as exc:  # the batch must not stay "running" for ever
                log.exception("import batch %s failed", batch.pk)
                with transaction.atomic():
                    ImportBatch.objects.filter(pk=batch.pk).update(**failed(exc))
            handled += 1
    return handled


def loop(*, interval: float = 1.0, stop_after: float | None = None) -> None:
    started = time.monotonic()
    while stop_after is None or time.monotonic() - started < stop_after:
        close_old_connections()
        if not run_pending():
            time.sleep(interval)
