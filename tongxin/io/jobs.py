"""Background work for imports: a worker process claims batches and reports progress.

No broker: the batches table is the queue (a batch is claimed by an atomic status update) and
progress goes to a small JSON file per batch, because the write happens inside one database
transaction whose own updates other connections cannot see until it commits.

For the same reason a running batch shows that its worker is alive by a heartbeat file, touched
by a thread every few seconds; a batch whose worker has been silent for
TONGXIN_IMPORT_STALE_SECONDS is handed back to staff (reclaim_if_stale), by the next worker
loop or by its own page, with a message saying what happened. Its transaction died with the
worker, so nothing of it was written.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.core import extensions
from tongxin.core.scope import Scope

from . import importer
from .models import ImportBatch

log = logging.getLogger(__name__)


# Other apps' imports run in this worker too (hook ``import_jobs``): their files are named by
# their own ``kind`` (the roster's is "import"), since their batches are numbered apart.


def progress_file(batch_id: int, kind: str = "import") -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{kind}-{batch_id}.json"


def write_progress(batch_id: int, phase: str, done: int, total: int, kind: str = "import") -> None:
    path = progress_file(batch_id, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    tmp.replace(path)


def read_progress(batch_id: int, kind: str = "import") -> dict:
    try:
        return json.loads(progress_file(batch_id, kind).read_text())
    except (OSError, ValueError):
        return {"phase": "", "done": 0, "total": 0}


def heartbeat_file(batch_id: int, kind: str = "import") -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{kind}-{batch_id}.beat"


def worker_beat_file() -> Path:
    return Path(settings.VAR_DIR) / "jobs" / "worker.beat"


def _touch(path: Path) -> None:
    """Set ``path``'s time to this process's clock, which its readers compare it with (a plain
    touch takes the kernel's, which a test's or a container's shifted clock does not move)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    now = time.time()
    os.utime(path, (now, now))


def beat_worker() -> None:
    """Marks the worker alive for /healthz: the loop touches it at each turn, and a running
    batch's heartbeat too (a long write holds the loop)."""
    _touch(worker_beat_file())


def worker_last_seen() -> datetime | None:
    try:
        return datetime.fromtimestamp(worker_beat_file().stat().st_mtime, tz=UTC)
    except OSError:
        return None


def _beat(batch_id: int, kind: str = "import") -> None:
    _touch(heartbeat_file(batch_id, kind))
    beat_worker()


@contextmanager
def heartbeat(batch_id: int, *, every: float | None = None, kind: str = "import") -> Iterator[None]:
    """Touches the batch's heartbeat file from a thread while the work runs: a database
    heartbeat would sit unseen in the write's transaction (and on SQLite wait for its lock)."""
    if every is None:
        every = max(1.0, settings.TONGXIN_IMPORT_STALE_SECONDS / 5)
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(every):
            _beat(batch_id, kind)

    _beat(batch_id, kind)
    thread = threading.Thread(target=run, name=f"{kind}-{batch_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        heartbeat_file(batch_id, kind).unlink(missing_ok=True)


def last_sign_of_life(batch: ImportBatch, kind: str = "import") -> datetime:
    """The later of the claim and the last heartbeat; a batch claimed before claims were
    timed counts from its upload."""
    last = batch.claimed_at or batch.created_at
    try:
        beat = datetime.fromtimestamp(heartbeat_file(batch.pk, kind).stat().st_mtime, tz=UTC)
    except OSError:
        return last
    return max(last, beat)


# What a batch whose worker died returns to: nothing of the interrupted step was written.
_INTERRUPTED = {
    ImportBatch.Status.CHECKING: {
        "status": ImportBatch.Status.FAILED,
        "message": "检查中断：后台任务程序在检查这个文件时停止了"
        "（程序被终止、内存不足或服务器重启），未写入任何数据。"
        "可以点“重新检查”再试；若再次中断，请检查文件是否过大后重新上传。",
    },
    ImportBatch.Status.WRITING: {
        "status": ImportBatch.Status.CHECKED,
        "message": "写入中断：后台任务程序在写入时停止了（程序被终止、内存不足或服务器重启），"
        "写入已整体撤回，未写入任何数据。可以重新确认导入（会重新检查），或取消。",
    },
    ImportBatch.Status.UNDOING: {
        "status": ImportBatch.Status.DONE,
        "undone_by": None,
        "message": "撤销中断：后台任务程序在撤销时停止了（程序被终止、内存不足或服务器重启），"
        "数据未改变，导入仍然有效。可以再次撤销。",
    },
}


def reclaim_if_stale(
    batch: ImportBatch,
    *,
    now: datetime | None = None,
    interrupted: dict | None = None,
    kind: str = "import",
) -> bool:
    """Hands a running batch whose worker fell silent back to staff; True if it did.
    ``interrupted`` maps a running status to the update handing it back (the roster's
    ``_INTERRUPTED`` by default; another app's batches, named ``kind``, bring their own)."""
    interrupted = _INTERRUPTED if interrupted is None else interrupted
    if batch.status not in interrupted:
        return False
    now = now or timezone.now()
    silent = now - last_sign_of_life(batch, kind)
    if silent < timedelta(seconds=settings.TONGXIN_IMPORT_STALE_SECONDS):
        return False
    # Only the claim that fell silent: a worker that took the batch up again since is alive.
    reclaimed = (
        type(batch)
        .objects.filter(pk=batch.pk, status=batch.status, claimed_at=batch.claimed_at)
        .update(**interrupted[batch.status])
    )
    if reclaimed:
        log.warning(
            "%s batch %s: worker silent while %s; handed back", kind, batch.pk, batch.status
        )
        progress_file(batch.pk, kind).unlink(missing_ok=True)
        heartbeat_file(batch.pk, kind).unlink(missing_ok=True)
    return bool(reclaimed)


def reclaim_stale(
    *,
    now: datetime | None = None,
    model=ImportBatch,
    interrupted: dict | None = None,
    kind: str = "import",
) -> int:
    interrupted = _INTERRUPTED if interrupted is None else interrupted
    return sum(
        reclaim_if_stale(batch, now=now, interrupted=interrupted, kind=kind)
        for batch in model.objects.defer("content").filter(status__in=list(interrupted))
    )


def claim(model, status_from: str, status_to: str):
    """A batch of ``model`` (with ``status`` and ``claimed_at``) waiting in ``status_from``, taken
    up by an atomic status update; None when none waits."""
    for batch_id in (
        model.objects.filter(status=status_from).order_by("pk").values_list("pk", flat=True)[:5]
    ):
        if model.objects.filter(pk=batch_id, status=status_from).update(
            status=status_to, claimed_at=timezone.now()
        ):
            return model.objects.get(pk=batch_id)
    return None


def _claim(status_from: str, status_to: str) -> ImportBatch | None:
    return claim(ImportBatch, status_from, status_to)


@contextmanager
def writing(batch) -> Iterator[None]:
    """One transaction for a write or an undo that, on SQLite, holds the write lock from its
    first statement. A transaction that reads first and writes later fails at its first write,
    at once and whatever the busy timeout, if another connection (a second worker, a request)
    committed in between: SQLite cannot move its snapshot forward. Taking the lock first makes
    it wait its turn instead."""
    with transaction.atomic():
        if connection.vendor == "sqlite":
            type(batch).objects.filter(pk=batch.pk).update(claimed_at=batch.claimed_at)
        yield


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
    with writing(batch):
        importer.apply(
            batch=batch,
            plan=plan,
            progress=lambda phase, done, total: write_progress(batch.pk, phase, done, total),
        )


def run_undo(batch: ImportBatch) -> None:
    try:
        with writing(batch):
            importer.undo(batch=batch, by=batch.undone_by)
    except importer.UndoRefused as exc:
        batch.status, batch.undone_by = ImportBatch.Status.DONE, None
        batch.message = f"不能撤销：{exc}"
        batch.save_state()


def failure_reason(exc: BaseException) -> str:
    """What staff are told of a program error, in Chinese: the class name and the exception's
    own text (English, from a library) go to the log, not to the page."""
    if isinstance(exc, DatabaseError):
        if isinstance(exc, OperationalError):
            return "数据库暂时无法读写（可能正被其他程序锁定、连接中断或磁盘已满），请稍后重试"
        return "数据库拒绝了这次写入（数据有冲突），请重新上传后再试"
    if isinstance(exc, MemoryError):
        return "服务器内存不足，请把文件分成几部分导入"
    if isinstance(exc, OSError):
        return "读写文件出错（磁盘已满、文件不完整或没有权限），请稍后重试"
    return "程序内部错误，已记入日志，请联系系统管理员"


def _import_failed(exc: Exception) -> dict:
    return {
        "status": ImportBatch.Status.FAILED,
        "message": f"导入程序出错，未写入任何数据：{failure_reason(exc)}",
        "finished_at": timezone.now(),
    }


def _undo_failed(exc: Exception) -> dict:
    # The undo's transaction rolled back: the import stands as it was.
    return {
        "status": ImportBatch.Status.DONE,
        "message": f"撤销时程序出错，数据未改变：{failure_reason(exc)}",
        "undone_by": None,
    }


def work_through(model, steps, *, kind: str = "import") -> int:
    """Take up every batch of ``model`` that waits and do its work: ``steps`` are
    (status waited in, status while running, work(batch), failed(exc) -> the update for a
    batch whose work raised). Returns how many were handled."""
    handled = 0
    for status_from, status_to, work, failed in steps:
        while (batch := claim(model, status_from, status_to)) is not None:
            try:
                with heartbeat(batch.pk, kind=kind):
                    work(batch)
            except Exception as exc:  # the batch must not stay "running" for ever
                log.exception("%s batch %s failed", kind, batch.pk)
                with transaction.atomic():
                    model.objects.filter(pk=batch.pk).update(**failed(exc))
            handled += 1
    return handled


def run_pending() -> int:
    """Check, write or undo every batch that waits, the roster's and then those of the apps'
    own imports (hook ``import_jobs``); returns how many were handled."""
    reclaim_stale()
    handled = work_through(
        ImportBatch,
        (
            (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKING, run_check, _import_failed),
            (ImportBatch.Status.CONFIRMED, ImportBatch.Status.WRITING, run_write, _import_failed),
            (
                ImportBatch.Status.UNDO_REQUESTED,
                ImportBatch.Status.UNDOING,
                run_undo,
                _undo_failed,
            ),
        ),
    )
    for run_jobs in extensions.get("import_jobs"):
        handled += run_jobs()
    return handled


def loop(*, interval: float = 1.0, stop_after: float | None = None) -> None:
    started = time.monotonic()
    while stop_after is None or time.monotonic() - started < stop_after:
        beat_worker()
        close_old_connections()
        try:
            handled = run_pending()
        except (OperationalError, InterfaceError):
            # The database is away (restarting, unreachable): the claim was not made or its
            # batch is handed back once stale; wait and take up the queue when it returns,
            # rather than exit and leave imports waiting for someone to restart the service.
            log.warning("import worker: database unavailable, retrying", exc_info=True)
            handled = 0
        if not handled:
            time.sleep(interval)
