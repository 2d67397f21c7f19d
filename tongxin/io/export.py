"""The roster of a subtree on a date as workbook rows, read in chunks so memory stays flat."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from tongxin.core.codes import PostKind
from tongxin.core.masking import mask_id_number, mask_phone
from tongxin.core.scope import Scope
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization
from tongxin.people.models import PERSON_FIELDS, Post
from tongxin.people.selectors import spells_in

CHUNK = 2000


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
        }


def member_rows(
    *, scope: Scope, org: Organization, on: datetime.date, reveal: bool = True
) -> Iterator[dict]:
    """Member rows in the order of their ids; ID numbers and phones masked unless ``reveal``
    (a masked file will not import back: only a user who may see the numbers can produce an
    exchange file).

    One query streams the subtree's spells in force with their people's fields (no model
    instances), a chunk at a time; the posts of those people come first in a second query.
    """
    spells = spells_in(scope=scope, path=org.path).active_on(on)
    ranks: dict[int, str] = {}
    titles: dict[int, list[str]] = {}
    for person_id, kind, title, rank in (
        Post.objects.active_on(on)
        .filter(
            person_id__in=spells.values("person_id"),
            kind__in=[PostKind.GOVERNMENT, PostKind.PARTY],
        )
        .order_by("start", "pk")
        .values_list("person_id", "kind", "title", "rank")
    ):
        if kind == PostKind.GOVERNMENT:
            ranks[person_id] = rank
        else:
            titles.setdefault(person_id, []).append(title)
    rows = spells.order_by("person_id", "-start", "-pk").values_list(
        "person_id", "org__code", *(f"person__{key}" for key in PERSON_FIELDS)
    )
    last = None
    for person_id, org_code, *values in rows.iterator(chunk_size=CHUNK):
        if person_id == last:
            continue  # a second spell in the subtree: the latest one gave the row
        last = person_id
        row = dict(zip(PERSON_FIELDS, values, strict=True))
        row["org_code"] = org_code
        row["admin_rank"] = ranks.get(person_id, "")
        row["party_posts"] = titles.get(person_id, [])
        if not reveal:
            row["id_number"] = mask_id_number(row["id_number"])
            row["phone"] = mask_phone(row["phone"])
        yield row


def roster_export_event(org, on, reveal: bool, *, command: bool = False) -> dict:
    """What an audit event says of a roster export (the page's and the command's)."""
    masked = "完整身份证号和手机号" if reveal else "身份证号和手机号已遮蔽"
    via = "命令行" if command else ""
    return {
        "summary": f"{via}导出成员名册：{org.name}（{org.code}），在册日期 {on:%Y-%m-%d}，{masked}",
        "detail": {
            "对象": "成员名册",
            "组织编码": org.code,
            "组织名称": org.name,
            "在册日期": on.isoformat(),
            "遮蔽": not reveal,
        },
    }
