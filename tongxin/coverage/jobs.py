"""The registry import in the import worker, the way the roster import runs there.

A workbook uploaded from the page waits as ``UPLOADED``; the worker (``manage.py import_worker``,
tongxin.io.jobs, which takes up these batches through the hook ``import_jobs``) checks it with
progress, staff read the report and confirm (``CONFIRMED``), and the worker writes it, checked
again against the database as it is then. The command ``import_coverage`` still imports at once.
"""

from __future__ import annotations

from django.utils import timezone

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.scope import Scope
from tongxin.io import jobs

from . import registry
from .models import RegistryImport

# The name of the batches' progress and heartbeat files (tongxin.io.jobs).
KIND = "coverage"
RUNNING = (
    RegistryImport.Status.UPLOADED,
    RegistryImport.Status.CHECKING,
    RegistryImport.Status.CONFIRMED,
    RegistryImport.Status.WRITING,
)


def _progress(batch: RegistryImport):
    return lambda phase, done, total: jobs.write_progress(batch.pk, phase, done, total, KIND)


def read_progress(batch: RegistryImport) -> dict:
    return jobs.read_progress(batch.pk, KIND)


def _finished(work):
    """``work`` on a batch, its progress file removed after (a finished batch shows none)."""

    def run(batch: RegistryImport) -> None:
        try:
            work(batch)
        finally:
            jobs.progress_file(batch.pk, KIND).unlink(missing_ok=True)

    return run


def run_check(batch: RegistryImport) -> None:
    registry.check_file(
        data=bytes(batch.content),
        filename=batch.file_name,
        scope=Scope.for_user(batch.created_by),
        on=batch.effective_date,
        by=batch.created_by,
        batch=batch,
        progress=_progress(batch),
    )


def run_write(batch: RegistryImport) -> None:
    scope = Scope.for_user(batch.created_by)
    # The uploader's role may have changed since the upload (the service asks, not only the page).
    if not scope.can(Cap.CHANGE):
        batch.status = RegistryImport.Status.REJECTED
        batch.message = "上传人已没有录入和修改的权限（角色已变更），未写入任何数据"
        batch.save(update_fields=["status", "message"])
        return
    with jobs.writing(batch):
        batch = registry.import_file(
            data=bytes(batch.content),
            filename=batch.file_name,
            scope=scope,
            on=batch.effective_date,
            by=batch.created_by,
            batch=batch,
            progress=_progress(batch),
        )
    if batch.status != RegistryImport.Status.DONE:
        batch.message = "确认时重新检查发现错误（数据在检查后有变化），未写入任何数据"
        batch.save(update_fields=["message"])
        return
    summary = registry.counts(batch.preview, unchanged=batch.unchanged)
    record_event(
        Kind.IMPORT,
        user=batch.created_by,
        summary=f"导入两新组织名册：批次 {batch.pk}，文件“{batch.file_name}”：{summary}",
        detail={"批次": batch.pk, "文件名": batch.file_name, "数据行数": batch.total_rows},
        rows=batch.total_rows,
    )


def _failed(exc: Exception) -> dict:
    return {
        "status": RegistryImport.Status.FAILED,
        "message": f"导入程序出错，未写入任何数据：{jobs.failure_reason(exc)}",
    }


# What a batch whose worker died returns to: its transaction died with the worker.
INTERRUPTED = {
    RegistryImport.Status.CHECKING: {
        "status": RegistryImport.Status.FAILED,
        "message": "检查中断：后台任务程序在检查这个文件时停止了"
        "（程序被终止、内存不足或服务器重启），未写入任何数据",
    },
    RegistryImport.Status.WRITING: {
        "status": RegistryImport.Status.CHECKED,
        "message": "写入中断：后台任务程序在写入时停止了（程序被终止、内存不足或服务器重启），"
        "写入已整体撤回，未写入任何数据。可以重新确认导入（会重新检查）",
    },
}


def reclaim_if_stale(batch: RegistryImport) -> bool:
    """Hand a batch whose worker fell silent back to staff (tongxin.io.jobs)."""
    return jobs.reclaim_if_stale(batch, interrupted=INTERRUPTED, kind=KIND)


def run_pending() -> int:
    """Check or write every registry batch that waits (hook ``import_jobs``)."""
    jobs.reclaim_stale(model=RegistryImport, interrupted=INTERRUPTED, kind=KIND)
    return jobs.work_through(
        RegistryImport,
        (
            (
                RegistryImport.Status.UPLOADED,
                RegistryImport.Status.CHECKING,
                _finished(run_check),
                _failed,
            ),
            (
                RegistryImport.Status.CONFIRMED,
                RegistryImport.Status.WRITING,
                _finished(run_write),
                _failed,
            ),
        ),
        kind=KIND,
    )


def confirm(batch: RegistryImport) -> bool:
    """Queue a checked batch for writing; False if it is no longer waiting for confirmation."""
    return bool(
        RegistryImport.objects.filter(pk=batch.pk, status=RegistryImport.Status.CHECKED).update(
            status=RegistryImport.Status.CONFIRMED, message=""
        )
    )


def waiting_long(batch: RegistryImport) -> bool:
    """Queued for a while and not taken up: the page asks whether the worker runs."""
    return (
        batch.status
        in (
            RegistryImport.Status.UPLOADED,
            RegistryImport.Status.CONFIRMED,
        )
        and (timezone.now() - batch.created_at).total_seconds() > 15
    )
