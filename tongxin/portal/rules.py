"""Which of a person's fields a member may propose to correct, and which are locked."""

from tongxin.people.models import Person

# A member proposes these for review (work unit, title, education, phone …).
CORRECTABLE = (
    "work_unit",
    "job_post",
    "unit_nature",
    "title",
    "title_level",
    "education",
    "degree",
    "school_major",
    "native_place",
    "phone",
    "email",
)
# Identity fields: locked on the members' side; staff correct them with a written reason.
IDENTITY_FIELDS = ("name", "id_number", "admitted_on")


def field_label(name: str) -> str:
    try:
        return str(Person._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a name that is no field is shown as it is
        return name
