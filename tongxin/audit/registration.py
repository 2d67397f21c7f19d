"""The domain models whose every create, update and delete auditlog records.

ID numbers, phones and e-mails never reach the log in plain text: auditlog masks them with
``mask_personal_data`` (its ``mask_callable``), our own masks of the pages and exports.
"""

import re

from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth import get_user_model

from tongxin.core import extensions
from tongxin.core.masking import mask_email, mask_id_number, mask_phone

# An ID number of GB 11643 (18 characters) or of the old 15-digit kind.
_ID_NUMBER = re.compile(r"^(\d{17}[\dXx]|\d{15})$")

PERSON_MASKED = ["id_number", "phone", "email"]
# Derived or bookkeeping columns: their change says nothing the log does not already say.
PERSON_EXCLUDED = ["name_pinyin", "name_initials", "created_at", "updated_at"]


def mask_personal_data(value: str) -> str:
    """auditlog gives one mask per model and only the value: an ID number, a phone and an
    e-mail are told apart by their form. auditlog passes an absent value as "None"."""
    if value in ("", "None"):
        return value
    if _ID_NUMBER.match(value):
        return mask_id_number(value)
    if "@" in value:
        return mask_email(value)
    return mask_phone(value)


def _hash_fields(model) -> list[str]:
    """Keyed hashes of personal data (``id_number_hash``) are left out of the log too."""
    return [f.name for f in model._meta.get_fields() if f.name.endswith("_hash")]


def _reverse_relations(model) -> list[str]:
    """auditlog lists a new record's reverse relations (a person's spells) with no value."""
    return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]


def _register(model, *, exclude_fields=(), **options) -> None:
    auditlog.register(
        model, exclude_fields=[*exclude_fields, *_reverse_relations(model)], **options
    )


def register_models() -> None:
    Person = apps.get_model("people", "Person")
    _register(
        Person,
        exclude_fields=PERSON_EXCLUDED + _hash_fields(Person),
        mask_fields=PERSON_MASKED,
        mask_callable="tongxin.audit.registration.mask_personal_data",
    )
    _register(apps.get_model("people", "MembershipSpell"))
    _register(apps.get_model("people", "Post"))
    # The tree's bookkeeping (treebeard's path, depth, numchild) is written in SQL, not saved.
    _register(
        apps.get_model("orgs", "Organization"),
        exclude_fields=["path", "depth", "numchild"],
        m2m_fields={"categories"},
    )
    _register(
        get_user_model(),
        exclude_fields=["password", "last_login"],
        m2m_fields={"groups", "scope_nodes"},
    )
    _register(apps.get_model("people", "Affiliation"))
    _register(apps.get_model("people", "Honor"))
    # The domain apps name their own models (tongxin.core.extensions: audited_models), each
    # "app_label.Model" or ("app_label.Model", auditlog options).
    for audited in extensions.get("audited_models"):
        for entry in audited:
            label, options = (entry, {}) if isinstance(entry, str) else entry
            _register(apps.get_model(label), **options)
