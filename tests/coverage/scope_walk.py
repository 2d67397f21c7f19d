"""Branch B's 两新组织 records for the scope walk (tests/test_scope_walk.py)."""

from datetime import date

from tests.factories import make_user
from tongxin.core.scope import Scope
from tongxin.coverage import export, registry, services
from tongxin.coverage.models import (
    InstructorAssignment,
    InstructorVisit,
    MassKind,
    MassOrganization,
    NewOrganization,
    NewOrgKind,
    PartyForm,
    PartyMemberCount,
    PartyOrgForm,
    RegistryImport,
    make_credit_code,
)

NAME = "医药卫生支部辖区某医疗器械有限公司"
CODE = make_credit_code(424242)
BATCH_FILE = "医药卫生支部两新组织名册.xlsx"


def b_records(world) -> dict:
    new_org = services.new_org_save(
        new_org=NewOrganization(
            credit_code=CODE,
            name=NAME,
            kind=NewOrgKind.ENTERPRISE,
            area=world.branch_b,
            founded=date(2015, 1, 1),
        )
    )
    services.party_form_set(new_org=new_org, form=PartyForm.JOINT, start=date(2020, 1, 1))
    services.mass_org_set(
        new_org=new_org, kind=MassKind.UNION, start=date(2020, 2, 1), on=date(2024, 1, 1)
    )
    services.party_members_record(new_org=new_org, on=date(2024, 1, 1), count=5)
    services.visit_record(new_org=new_org, on=date(2024, 3, 1), note="走访")
    staff_b = make_user("coverage_staff_b", world.branch_b)
    scope = Scope.for_user(staff_b)
    data = export.workbook(scope=scope, org=world.branch_b, on=date(2024, 1, 1))
    batch = registry.check_file(
        data=data, filename=BATCH_FILE, scope=scope, on=date(2024, 1, 1), by=staff_b
    )
    return {"new_org": new_org, "batch": batch}


def argument(name, arg, records):
    if not name.startswith("coverage:") or arg != "pk":
        return None
    key = "batch" if name.startswith("coverage:batch") else "new_org"
    return str(records[key].pk)


def markers(records) -> list[str]:
    return [NAME, CODE, BATCH_FILE]


def snapshot():
    """The registry and every dated fact the organization's forms write."""
    return (
        sorted(tuple(row.items()) for row in NewOrganization.objects.values()),
        sorted(RegistryImport.objects.values_list("pk", "status")),
        *(
            sorted(tuple(row.items()) for row in model.objects.values())
            for model in (
                PartyOrgForm,
                MassOrganization,
                PartyMemberCount,
                InstructorAssignment,
                InstructorVisit,
            )
        ),
    )


# The organization's forms: each answers 404 for branch B's organization, by GET and by POST.
EXPECTED = [
    "coverage:detail",
    "coverage:create",
    "coverage:edit",
    "coverage:party_form",
    "coverage:mass",
    "coverage:union_chair",
    "coverage:members",
    "coverage:instructor",
    "coverage:visit",
    "coverage:deregister",
]
