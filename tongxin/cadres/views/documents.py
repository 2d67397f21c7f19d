"""The cadre registration form (干部基本情况登记表) of one person, as a Word document."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from tongxin.accounts.roles import Cap
from tongxin.audit.services import Kind, record_event
from tongxin.core.decorators import scope_required
from tongxin.core.masking import REVEAL_PERMISSION
from tongxin.orgs.http import org_param
from tongxin.people import selectors as people_selectors

from .. import documents
from .common import today

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@scope_required(Cap.EXPORT)
def registration_form(request, pk):
    person = people_selectors.get_person(scope=request.scope, pk=pk)
    # The form is of the person today: not the old organization's once they left for another.
    left_on = people_selectors.left_scope_on(scope=request.scope, person=person, on=today())
    if left_on is not None:
        raise PermissionDenied(
            f"{person.name} 已于 {left_on:%Y-%m-%d} 离开本组织，"
            "其干部基本情况登记表由现在所在的组织导出"
        )
    full = request.user.has_perm(REVEAL_PERMISSION) and request.GET.get("full") == "1"
    org = org_param(request)
    data = documents.registration_form(
        person=person, on=today(), full_numbers=full, unit_name=org.name if org else ""
    )
    record_event(
        Kind.EXPORT,
        request=request,
        summary=f"导出 {person.name} 的干部基本情况登记表（{'完整' if full else '隐藏'}身份证号）",
        detail={"人员": person.pk, "姓名": person.name, "完整号码": full},
        rows=1,
    )
    response = HttpResponse(data, content_type=DOCX)
    name = quote(f"干部基本情况登记表-{person.name}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
