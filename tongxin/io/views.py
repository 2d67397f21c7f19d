import hashlib
import tempfile
from datetime import timedelta

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core import uploads
from tongxin.core.decorators import scope_required
from tongxin.core.masking import REVEAL_PERMISSION
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.http import org_param

from . import export, importer, jobs
from .forms import ExportForm, UploadForm
from .models import ImportBatch
from .report import group_by_row
from .workbook import template_workbook, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain; charset=utf-8"
RUNNING = (
    ImportBatch.Status.UPLOADED,
    ImportBatch.Status.CHECKING,
    ImportBatch.Status.CONFIRMED,
    ImportBatch.Status.WRITING,
    ImportBatch.Status.UNDO_REQUESTED,
    ImportBatch.Status.UNDOING,
)


def _batches(request):
    """The batches a user may see: their own (a superuser sees all)."""
    batches = ImportBatch.objects.defer("content")
    return batches if request.user.is_superuser else batches.filter(created_by=request.user)


def _get_batch(request, pk) -> ImportBatch:
    try:
        return _batches(request).get(pk=pk)
    except ImportBatch.DoesNotExist as exc:
        raise Http404("导入批次不存在") from exc


@scope_required(Cap.CHANGE)
def index(request):
    org = org_selectors.default_org(scope=request.scope)
    return render(
        request,
        "io/index.html",
        {
            "form": UploadForm(),
            "export_form": ExportForm(may_reveal=request.user.has_perm(REVEAL_PERMISSION)),
            "org": org,
            "batches": _batches(request)[:20],
            "nav_active": "people",
        },
    )


@scope_required(Cap.CHANGE)
def template_download(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%88%90%E5%91%98%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@scope_required(Cap.CHANGE)
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if failure := uploads.failure(request):
        form.errors.clear()  # the file and the fields after it were never read
        form.add_error(None, failure)
    if not form.is_valid():
        return render(
            request,
            "io/index.html",
            {
                "form": form,
                "export_form": ExportForm(may_reveal=request.user.has_perm(REVEAL_PERMISSION)),
                "batches": _batches(request)[:20],
                "org": org_selectors.default_org(scope=request.scope),
                "nav_active": "people",
            },
            status=507 if failure else 400,  # 507: Insufficient Storage
        )
    data = form.cleaned_data["file"].read()
    batch = ImportBatch.objects.create(
        created_by=request.user,
        file_name=form.cleaned_data["file"].name[:255],
        file_hash=hashlib.sha256(data).hexdigest(),
        content=data,
        effective_date=form.cleaned_data["effective_date"],
    )
    return redirect("io:batch", pk=batch.pk)


def _batch_context(request, batch):
    progress = jobs.read_progress(batch.pk)
    waiting_long = batch.status in (
        ImportBatch.Status.UPLOADED,
        ImportBatch.Status.CONFIRMED,
    ) and timezone.now() - batch.created_at > timedelta(seconds=15)
    total = progress.get("total") or batch.total_rows
    return {
        "batch": batch,
        "running": batch.status in RUNNING,
        "progress": progress,
        "percent": int(progress.get("done", 0) * 100 / total) if total else 0,
        "error_groups": group_by_row(batch.errors),
        "warnings": batch.warnings,
        "waiting_long": waiting_long,
        "nav_active": "people",
    }


@scope_required(Cap.CHANGE)
def batch_detail(request, pk):
    batch = _get_batch(request, pk)
    if jobs.reclaim_if_stale(batch):  # its worker died: say so instead of a frozen progress bar
        batch = _get_batch(request, pk)
    context = _batch_context(request, batch)
    if request.htmx:
        return render(request, "io/_batch_status.html", context)
    return render(request, "io/batch.html", context)


@scope_required(Cap.CHANGE)
def undo_status(request, pk):
    """The batch page's undo button, or why the batch can no longer be undone."""
    batch = _get_batch(request, pk)
    blockers = (
        importer.undo_blockers(batch, limit=5) if batch.status == ImportBatch.Status.DONE else []
    )
    return render(request, "io/_undo.html", {"batch": batch, "undo_blockers": blockers})


@scope_required(Cap.CHANGE)
@require_POST
def confirm(request, pk):
    batch = _get_batch(request, pk)
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.CHECKED).update(
        status=ImportBatch.Status.CONFIRMED, message=""
    )
    if not updated:
        messages.error(request, f"此批次当前为“{batch.get_status_display()}”，不能确认导入")
    else:
        record_event(Kind.IMPORT, request=request, **_batch_event(batch, "确认导入"))
    return redirect("io:batch", pk=batch.pk)


@scope_required(Cap.CHANGE)
@require_POST
def retry(request, pk):
    """Checks a failed batch's file again (its worker died, or the program failed)."""
    batch = _get_batch(request, pk)
    queued = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.FAILED).update(
        status=ImportBatch.Status.UPLOADED, message="", errors=[], warnings=[]
    )
    if not queued:
        messages.error(request, f"此批次当前为“{batch.get_status_display()}”，不能重新检查")
    return redirect("io:batch", pk=batch.pk)


@scope_required(Cap.CHANGE)
@require_POST
def undo(request, pk):
    """Hands the undo to the background worker: a large batch takes longer than a request."""
    batch = _get_batch(request, pk)
    requested = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.DONE).update(
        status=ImportBatch.Status.UNDO_REQUESTED, undone_by=request.user, message=""
    )
    if not requested:
        messages.error(request, f"此批次当前为“{batch.get_status_display()}”，不能撤销")
    else:
        record_event(Kind.IMPORT_UNDO, request=request, **_batch_event(batch, "撤销导入"))
    return redirect("io:batch", pk=batch.pk)


@scope_required(Cap.EXPORT)
def export_roster(request):
    org = org_param(request)
    if org is None:
        raise Http404("没有可导出的组织")
    form = ExportForm(request.GET, may_reveal=request.user.has_perm(REVEAL_PERMISSION))
    if not form.is_valid():
        errors = "；".join(f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items())
        return HttpResponseBadRequest(f"导出条件有误：{errors}", content_type=TEXT)
    on, profile = form.cleaned_data["as_of"], form.cleaned_data["profile"]
    # Written to a temporary file in write-only mode, then streamed: memory stays flat.
    spool = tempfile.TemporaryFile()
    count = write_workbook(
        spool,
        export.organization_rows(scope=request.scope, org=org, on=on),
        export.member_rows(scope=request.scope, org=org, on=on, profile=profile),
        omit=export.omitted_columns(profile),
        note=export.GUIDE[profile],
        extra=export.extra_sheets(scope=request.scope, org=org, on=on, profile=profile),
    )
    spool.seek(0)
    filename = f"{org.code}-{on:%Y%m%d}.xlsx"
    record_event(
        Kind.EXPORT, request=request, rows=count, **export.roster_export_event(org, on, profile)
    )
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)


def _batch_event(batch, verb: str) -> dict:
    counts = {
        "数据行数": batch.total_rows,
        "新增人员": batch.created,
        "更新人员": batch.updated,
        "组织转接": batch.transferred,
        "新增组织": batch.orgs_created,
        "更新组织": batch.orgs_updated,
    }
    return {
        "summary": f"{verb}：批次 {batch.pk}，文件“{batch.file_name}”，{batch.total_rows} 行",
        "detail": {"批次": batch.pk, "文件名": batch.file_name, **counts},
        "rows": batch.total_rows,
    }
