"""Branch B's records of 组织发展 for the scope walk (tests/test_scope_walk.py): an application
with its steps and an attachment, and the other city's plan."""

from tests.factories import make_user
from tests.recruitment.helpers import apply, candidate, introducers, walk
from tongxin.recruitment import services
from tongxin.recruitment.models import (
    Application,
    Attachment,
    DevelopmentPlan,
    PlanTarget,
    StepRecord,
)

EXPECTED = [
    "recruitment:detail",
    "recruitment:step",
    "recruitment:end",
    "recruitment:attach",
    "recruitment:form_docx",
    "recruitment:attachment",
    "recruitment:plan",
    "recruitment:plan_edit",
]


def b_records(world):
    staff_b = make_user("recruit_staff_b", world.branch_b)
    application = walk(
        apply(candidate(name="慕容雪", work_unit="江城第三医院"), world.branch_b, staff_b),
        staff_b,
        introducers(world.branch_b),
        until="考察",
    )
    record = application.records.order_by("on").first()
    # The row only: the walk is refused before any file is read, and none is left on disk.
    attachment = Attachment.objects.create(
        record=record,
        file=f"recruitment/{application.pk}/b.pdf",
        name="慕容雪申请书.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=staff_b,
    )
    plan = services.plan_save(
        plan=DevelopmentPlan(
            org=world.other_city,
            start_year=2025,
            end_year=2025,
            title="河城年度发展计划",
            created_by=make_user("recruit_staff_c2", world.other_city),
        ),
        targets=[PlanTarget(kind="total", value=12)],
    )
    return {
        "application": application,
        "step": application.procedure.steps.get(name="征求所在单位党组织意见"),
        "record": record,
        "attachment": attachment,
        "plan": plan,
    }


def argument(name, arg, records):
    if not name.startswith("recruitment:") or not records:
        return None
    if name.startswith("recruitment:plan") and arg == "pk":
        return str(records["plan"].pk)
    if name == "recruitment:attachment":
        return str(records["attachment"].pk)
    return {
        "pk": str(records["application"].pk),
        "step_pk": str(records["step"].pk),
        "record_pk": str(records["record"].pk),
    }.get(arg)


def markers(records):
    return ["慕容雪", "江城第三医院", "河城年度发展计划"] if records else []


def snapshot():
    return (
        sorted(Application.objects.values_list("pk", "status", "ended_on")),
        StepRecord.objects.count(),
        Attachment.objects.count(),
        sorted(DevelopmentPlan.objects.values_list("pk", "title")),
        sorted(PlanTarget.objects.values_list("pk", "value")),
    )
