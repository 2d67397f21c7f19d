"""Organization kinds: a code table the system administrator extends (DESIGN.md principle 1).

The five party kinds keep the codes of ``codes.OrgKind``, which the rules name by meaning
(a branch, a group …); everything that lists kinds — form choices, filters, the roster
template's drop-down, the import, statistics — reads the table through these functions. A kind
is added, never renamed or deleted: its name is a statistics key and an import value.
"""

from __future__ import annotations

from tongxin.core.codes import _key

from .models import OrganizationKind

# The defaults (ROSTER_TEMPLATE.md): the party kinds under codes.OrgKind's codes, then the kinds
# of a united-front or district deployment. The data migration 0006 wrote the same rows.
DEFAULT_KINDS = (
    ("committee", "委员会"),
    ("grassroots_committee", "基层委员会"),
    ("general_branch", "总支"),
    ("branch", "支部"),
    ("group", "小组"),
    ("department", "部门"),
    ("street_committee", "街道党工委"),
    ("community_general_branch", "社区党总支"),
    ("industry_committee", "行业党委"),
    ("bureau", "部委办局"),
    ("unit", "单位"),
)


def ensure_default_kinds(sender=None, using="default", **kwargs) -> None:
    """After migrate (and after a test database is flushed): the default kinds that are missing,
    unless the administrator already has one of that code or name."""
    kinds = OrganizationKind.objects.using(using)
    have = set(kinds.values_list("code", flat=True)) | set(kinds.values_list("name", flat=True))
    for order, (code, name) in enumerate(DEFAULT_KINDS, start=1):
        if code not in have and name not in have:
            kinds.create(code=code, name=name, order=order)


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) of every kind, in the table's order."""
    return list(OrganizationKind.objects.order_by("order", "code").values_list("code", "name"))


def kind_names() -> tuple[str, ...]:
    return tuple(name for _code, name in kind_choices())


def kind_name(code: str) -> str:
    """The kind's Chinese name; the code itself for a code the table does not have."""
    found = OrganizationKind.objects.filter(code=code).values_list("name", flat=True).first()
    return found or code


def parse_kind(text: str) -> str | None:
    """The code of the kind named (or coded) ``text``, ignoring whitespace and letter case;
    "" for blank text and None for text that names no kind."""
    wanted = _key(text)
    if not wanted:
        return ""
    for code, name in kind_choices():
        if wanted in (_key(name), _key(code)):
            return code
    return None
