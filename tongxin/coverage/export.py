"""The registry workbook written: the empty template with drop-down lists, and the export of a
subtree's registry in the same form, which ``registry`` imports back unchanged."""

from __future__ import annotations

import io
from datetime import date

from tongxin.core.scope import Scope
from tongxin.io.columns import GUIDE_SHEET

from . import selectors
from .models import MassKind, MassOrganization, NewOrganization, PartyMemberCount, PartyOrgForm
from .registry import COLUMNS, HELP, SHEET


def _row_of(new_org: NewOrganization, form, mass, members) -> list:
    form_record = form.get(new_org.pk)
    kinds = mass.get(new_org.pk, {})
    return [
        new_org.credit_code,
        new_org.name,
        new_org.get_kind_display(),
        new_org.area.code,
        new_org.industry,
        new_org.employees,
        "是" if new_org.above_size else "否",
        new_org.founded,
        new_org.deregistered,
        members.get(new_org.pk),
        form_record.get_form_display() if form_record else "",
        form_record.start if form_record else None,
        form_record.party_org.code if form_record and form_record.party_org else "",
        kinds.get(MassKind.UNION),
        kinds.get(MassKind.YOUTH_LEAGUE),
        kinds.get(MassKind.WOMEN),
        {True: "是", False: "否"}.get(new_org.union_chair_party_member, ""),
        new_org.note,
    ]


def workbook(*, scope: Scope | None = None, org=None, on: date | None = None) -> bytes:
    """The registry at ``on`` under ``org`` as the import reads it (no ``scope``: the empty
    template), with drop-down lists and a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            check = DataValidation(
                type="list", formula1=f'"{",".join(column.choices)}"', allow_blank=True
            )
            check.error = f"请从列表中选择{column.header}"
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}5001")
    date_columns = [i for i, c in enumerate(COLUMNS, start=1) if c.kind == "date"]
    if scope is not None:
        # Every organization of the registry under ``org``, deregistered ones with their date;
        # the facts as the import compares them: the latest form, the mass organizations not
        # dissolved, the party members at ``on``.
        found = list(
            selectors.new_orgs(scope=scope, org=org)
            .select_related("area")
            .order_by("area__path", "credit_code")
        )
        ids = [o.pk for o in found]
        forms = {
            f.new_org_id: f
            for f in PartyOrgForm.objects.filter(new_org_id__in=ids)
            .select_related("party_org")
            .order_by("start")
        }
        mass: dict[int, dict] = {}
        for m in MassOrganization.objects.filter(new_org_id__in=ids, end__isnull=True):
            mass.setdefault(m.new_org_id, {})[m.kind] = m.start
        members = dict(
            PartyMemberCount.objects.filter(new_org_id__in=ids, on__lte=on)
            .order_by("on")
            .values_list("new_org_id", "count")
        )
        for new_org in found:
            sheet.append(_row_of(new_org, forms, mass, members))
        for row in sheet.iter_rows(min_row=2):
            for index in date_columns:
                row[index - 1].number_format = "yyyy-mm-dd"
    guide = book.create_sheet(GUIDE_SHEET)
    guide.append(["列名", "必填", "说明"])
    for column in COLUMNS:
        guide.append([column.header, "是" if column.required else "", HELP.get(column, "")])
    guide.append([])
    guide.append(["整个文件检查无误才会导入；有任何错误时不导入任何一行，并列出每个错误。"])
    guide.append(["变动生效日期：党员人数和没有日期列的变动按此日期记录（默认今天）。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
