import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from tongxin.core.caps import Cap
from tongxin.core.http import query_without_page
from tongxin.core.paging import paginate_rows

from .export import write_log
from .forms import AuditFilterForm
from .selectors import entries, load_rows
from .services import Kind, record_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request):
    request.scope.require(Cap.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate_rows(
        entries(filters),
        page_number=request.GET.get("page"),
        per_page=settings.TONGXIN_AUDIT_PAGE_SIZE,
        load=load_rows,
    )
    return render(
        request,
        "audit/index.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "nav_active": "audit",
        },
    )


@login_required
def export(request):
    request.scope.require(Cap.VIEW_AUDIT)
    filters = AuditFilterForm(request.GET or None).filters()
    spool = tempfile.TemporaryFile()
    count = write_log(spool, filters)
    spool.seek(0)
    detail = filters.as_detail()
    shown = "，".join(f"{key}：{value}" for key, value in detail.items() if value) or "全部"
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出审计日志 {count} 条（{shown}）",
        detail={"对象": "审计日志", "筛选": detail},
        rows=count,
    )
    filename = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)
