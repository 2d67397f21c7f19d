"""The roster of a subtree on a date as workbook rows, read in chunks so memory stays flat."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from itertools import chain

from django.db import models
from django.db.models import Q

from tongxin.core.codes import AffiliationKind, PostKind
from tongxin.core.masking import mask_email, mask_id_number, mask_phone
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization
from tongxin.people.models import PERSON_FIELDS, Affiliation, Post
from tongxin.people.selectors import spells_in

from .columns import MEMBER_KIND

CHUNK = 2000
# The files a roster carries besides the members (人员类别); applicants are recruitment's.
KEPT_KINDS = (
    AffiliationKind.NON_PARTY_CADRE.value,
    AffiliationKind.TALENT.value,
    AffiliationKind.OTHER.value,
)


class Profile(models.TextChoices):
    """What an export holds of the personal data."""

    MASKED = "masked", "标准：身份证号、手机号、电子邮箱脱敏"
    FULL = "full", "完整：可修改后再导入（需有查看完整信息的权限，记入审计日志）"
    PUBLIC = "public", "公示：不含身份证号、手机号、电子邮箱和出生日期"


# The columns a 公示 (public notice) export leaves out entirely.
PUBLIC_OMITS = ("id_number", "phone", "email", "birth_date")
GUIDE = {
    Profile.FULL: "本文件与导入模板格式相同，修改后可以重新导入；未改动的行导入时不会产生变化。",
    Profile.MASKED: "本文件中的身份证号、手机号和电子邮箱已脱敏，仅供查阅，不能用于重新导入。",
    Profile.PUBLIC: "公示用名册：不含身份证号、手机号、电子邮箱和出生日期。",
}


def omitted_columns(profile: str) -> tuple[str, ...]:
    return PUBLIC_OMITS if profile == Profile.PUBLIC else ()


def organization_rows(*, scope: Scope, org: Organization, on: datetime.date) -> Iterator[dict]:
    orgs = list(org_selectors.subtree(scope=scope, org=org, on=on).prefetch_related("categories"))
    code_by_path = {o.path: o.code for o in orgs}
    parent_paths = {o.path[: -o.steplen] for o in orgs if o.depth > 1} - set(code_by_path)
    code_by_path.update(
        dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "code"))
    )
    for o in orgs:
        yield {
            "code": o.code,
            "name": o.name,
            "parent_code": code_by_path.get(o.path[: -o.steplen], "") if o.depth > 1 else "",
            "kind": o.kind,
            "categories": sorted(c.name for c in o.categories.all()),
            "established": o.established,
            "party": o.party,  # as set on the node: blank inherits, and imports back blank
        }


def member_rows(
    *, scope: Scope, org: Organization, on: datetime.date, profile: str = Profile.FULL
) -> Iterator[dict]:
    """Member rows in the order of their ids. ``profile`` decides the personal data: FULL as
    stored (the exchange file that imports back), MASKED with ID numbers, phones and e-mails
    masked (it will not import back), PUBLIC without ID numbers, phones, e-mails and
    birth dates.

    One query streams the subtree's spells in force with their people's fields (no model
    instances), a chunk at a time; the posts of those people come first in a second query.
    """
    spells = spells_in(scope=scope, path=org.path).active_on(on)
    # Non-members whose file the subtree keeps (人员类别 党外干部 …), unless a member there.
    kept = (
        Affiliation.objects.active_on(on)
        .filter(scope.q("org__path"), subtree_q(org.path, "org__path"), kind__in=KEPT_KINDS)
        .exclude(person_id__in=spells.values("person_id"))
    )
    ranks: dict[int, tuple[str, datetime.date | None]] = {}
    titles: dict[int, list[str]] = {}
    people = Q(person_id__in=spells.values("person_id")) | Q(person_id__in=kept.values("person_id"))
    for person_id, kind, title, rank, start in (
        Post.objects.active_on(on)
        .filter(people, kind__in=[PostKind.GOVERNMENT, PostKind.PARTY])
        .order_by("start", "pk")
        .values_list("person_id", "kind", "title", "rank", "start")
    ):
        if kind == PostKind.GOVERNMENT:
            ranks[person_id] = (rank, start)
        else:
            titles.setdefault(person_id, []).append(title)
    fields = (*PERSON_FIELDS, "political_status")
    rows = spells.order_by("person_id", "-start", "-pk").values_list(
        "person_id", "org__code", *(f"person__{key}" for key in fields)
    )
    kept_rows = kept.order_by("person_id", "-start", "-pk").values_list(
        "person_id", "org__code", *(f"person__{key}" for key in fields), "kind"
    )
    members = ((*row, MEMBER_KIND) for row in rows.iterator(chunk_size=CHUNK))
    last = None
    for person_id, org_code, *values, person_kind in chain(
        members, kept_rows.iterator(chunk_size=CHUNK)
    ):
        if person_id == last:
            continue  # a second spell in the subtree: the latest one gave the row
        last = person_id
        row = dict(zip(fields, values, strict=True))
        row["org_code"] = org_code
        row["person_kind"] = person_kind
        row["admin_rank"], row["post_start"] = ranks.get(person_id, ("", None))
        row["party_posts"] = titles.get(person_id, [])
        if profile == Profile.MASKED:
            row["id_number"] = mask_id_number(row["id_number"])
            row["phone"] = mask_phone(row["phone"])
            row["email"] = mask_email(row["email"])
        elif profile == Profile.PUBLIC:
            for key in PUBLIC_OMITS:
                del row[key]
        elif profile != Profile.FULL:
            raise ValueError(f"unknown export profile {profile!r}")
        yield row


def extra_sheets(
    *, scope: Scope, org: Organization, on: datetime.date, profile: str = Profile.FULL
) -> list[tuple[str, tuple, Iterator[dict]]]:
    """The apps' sheets of the roster (入库名单 …) for the export, their personal data as
    ``profile`` says (tongxin.core.extensions: roster_sheets)."""
    from tongxin.core import extensions

    def shown(rows):
        for row in rows:
            if profile == Profile.MASKED and row.get("id_number"):
                row["id_number"] = mask_id_number(row["id_number"])
            elif profile == Profile.PUBLIC:
                row.pop("id_number", None)
            yield row

    return [
        (sheet.name, sheet.columns, shown(sheet.export(scope=scope, org=org, on=on)))
        for sheet in extensions.get("roster_sheets")
        if sheet.export is not None
    ]


def roster_export_event(org, on, profile: str, *, command: bool = False) -> dict:
    """What an audit event says of a roster export (the page's and the command's)."""
    via = "命令行" if command else ""
    label = Profile(profile).label.split("：")[0]
    return {
        "summary": (
            f"{via}导出成员名册：{org.name}（{org.code}），在册日期 {on:%Y-%m-%d}，{label}"
        ),
        "detail": {
            "对象": "成员名册",
            "组织编码": org.code,
            "组织名称": org.name,
            "在册日期": on.isoformat(),
            "个人信息": Profile(profile).label,
            "遮蔽": profile != Profile.FULL,
        },
    }
