"""A fresh install brings its roster in: the workbook's top organization becomes the root."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_user
from tests.io.helpers import member, workbook_bytes
from tongxin.core.scope import Scope
from tongxin.io import export, importer, jobs
from tongxin.io.columns import ORG_COLUMNS, ORG_SHEET, format_value
from tongxin.io.models import ImportBatch
from tongxin.io.workbook import template_workbook
from tongxin.orgs.models import Organization
from tongxin.people.models import MembershipSpell, Person

pytestmark = pytest.mark.django_db
ON = date(2025, 3, 1)


def run(data, user, scope, on=ON):
    plan = importer.check(data=data, filename="名册.xlsx", scope=scope, effective_date=on)
    if plan.errors:
        return plan, None
    batch = ImportBatch.objects.create(
        created_by=user, file_name="名册.xlsx", file_hash="x", content=data, effective_date=on
    )
    importer.apply(batch=batch, plan=plan)
    return plan, batch


def new_committee(party="民盟"):
    return workbook_bytes(
        orgs=[
            {"组织编码": "J", "组织名称": "民盟江城市委员会", "组织类型": "委员会",
             "成立日期": "1988-05-01", "所属党派": party},
            {"组织编码": "J-1", "组织名称": "江城大学支部", "上级组织编码": "J",
             "组织类型": "支部", "成立日期": "1990-01-01"},
        ],
        members=[
            member("张敏", "J-1", 身份证号="11010519491231002X"),
            member("周明", "J", 性别="男", 出生日期="1970-02-03"),
        ],
    )  # fmt: skip


def test_a_superuser_imports_a_roster_with_a_new_root_into_an_empty_install(django_user_model):
    root_user = django_user_model.objects.create_superuser("root", password="x")
    plan, batch = run(new_committee(), root_user, Scope.for_user(root_user))
    assert plan.errors == []
    assert (batch.orgs_created, batch.created) == (2, 2)
    committee = Organization.objects.get(code="J")
    assert committee.depth == 1 and committee.party == "05"
    branch = Organization.objects.get(code="J-1")
    assert Organization.objects.get_parent(branch) == committee and branch.party == ""
    assert branch.effective_party() == "05"
    assert MembershipSpell.objects.get(person__name="张敏").org == branch
    # The new members hold the committee's party status, as if entered on the person form.
    assert set(Person.objects.values_list("political_status", flat=True)) == {"05"}


def test_the_import_of_a_new_root_is_undone_with_its_members(django_user_model):
    root_user = django_user_model.objects.create_superuser("root", password="x")
    _plan, batch = run(new_committee(), root_user, Scope.for_user(root_user))
    importer.undo(batch=batch, by=root_user)
    assert not Organization.objects.exists() and not Person.objects.exists()


def test_a_user_without_the_whole_tree_cannot_add_a_root_and_nothing_is_written(world):
    staff = make_user("city_staff", world.city)
    plan, batch = run(new_committee(), staff, Scope.for_user(staff))
    assert batch is None
    assert [(e["sheet"], e["row"], e["column"]) for e in plan.errors] == [
        (ORG_SHEET, 2, "上级组织编码")
    ]
    assert "整个组织树" in plan.errors[0]["reason"]
    assert "上级组织编码" in plan.errors[0]["reason"]
    assert not Organization.objects.filter(code__startswith="J").exists()
    assert not Person.objects.exists()


def test_a_user_whose_scope_holds_every_root_may_add_another(world):
    staff = make_user("province_staff", Organization.objects.get(code="P"))
    plan, batch = run(new_committee("民进"), staff, Scope.for_user(staff))
    assert plan.errors == []
    assert Organization.objects.get(code="J").party == "07"


def test_a_party_that_is_not_one_is_an_error_on_its_row_and_column(django_user_model):
    root_user = django_user_model.objects.create_superuser("root", password="x")
    plan, batch = run(new_committee("群众"), root_user, Scope.for_user(root_user))
    assert batch is None
    assert [(e["row"], e["column"], e["value"]) for e in plan.errors] == [(2, "所属党派", "群众")]
    assert "民盟" in plan.errors[0]["reason"]
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    "text,code",
    [("民盟", "05"), ("中国民主同盟", "05"), ("民进", "07"), ("中国共产党", "01"),
     ("九三学社", "10"), ("民建会员", "06")],
)  # fmt: skip
def test_a_party_is_read_by_its_name_or_short_name(django_user_model, text, code):
    root_user = django_user_model.objects.create_superuser("root", password="x")
    plan, _batch = run(new_committee(text), root_user, Scope.for_user(root_user))
    assert plan.errors == []
    assert Organization.objects.get(code="J").party == code


def test_an_exported_party_imports_back_unchanged(world, django_user_model):
    root_user = django_user_model.objects.create_superuser("root", password="x")
    province = Organization.objects.get(code="P")
    columns = {c.key: c for c in ORG_COLUMNS}
    rows = [
        {columns[key].header: format_value(columns[key], value) for key, value in row.items()}
        for row in export.organization_rows(scope=Scope(everything=True), org=province, on=ON)
    ]
    assert {r["组织编码"]: r["所属党派"] for r in rows if r["所属党派"]} == {"P": "民盟"}
    plan, batch = run(workbook_bytes(orgs=rows), root_user, Scope(everything=True))
    assert plan.errors == []
    assert (batch.orgs_created, batch.orgs_updated) == (0, 0)


def test_the_template_offers_the_parties_in_a_drop_down():
    wb = load_workbook(io.BytesIO(template_workbook()))
    ws = wb[ORG_SHEET]
    headers = [cell.value for cell in ws[1]]
    letter = ws.cell(row=1, column=headers.index("所属党派") + 1).column_letter
    validations = [dv for dv in ws.data_validations.dataValidation if letter in str(dv.sqref)]
    assert validations
    options = wb["选项"]
    offered = {cell.value for col in options.iter_cols() for cell in col}
    assert {"民盟", "民进", "中共"} <= offered


def test_a_fresh_install_brings_its_roster_in_through_the_import_pages(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(make_user("root", superuser=True))
    assert client.get(reverse("io:index")).status_code == 200
    client.post(
        reverse("io:upload"),
        {"file": SimpleUploadedFile("名册.xlsx", new_committee()), "effective_date": "2025-03-01"},
    )
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    assert batch.errors == []
    client.post(reverse("io:confirm", args=[batch.pk]))
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Organization.objects.get(code="J").party == "05"
    assert Person.objects.count() == 2
