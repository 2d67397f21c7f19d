"""The roster of a subtree on a date as workbook rows, read in chunks so memory stays flat."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from tongxin.core.codes import PostKind
from tongxin.core.masking import mask_id_number, mask_phone
from tongxin.core.scope import Scope
from tongxin.orgs import selectors as org_selectors
from tongxin.orgs.models import Organization
from tongxin.people.models import PERSON_FIELDS, MembershipSpell, Person, Post
from tongxin.people.selectors import members_on

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
    """Member rows; ID numbers and phones masked unless ``reveal`` (a masked file will not
    import back: only a user who may see the numbers can produce an exchange file)."""
    # The subtree's member ids once; then the people a chunk at a time by primary key (a
    # chunked filter on members_on would run its subquery over the whole subtree per chunk).
    all_ids = sorted(members_on(scope=scope, org=org, on=on).values_list("pk", flat=True))
    for start in range(0, len(all_ids), CHUNK):
        ids = all_ids[start : start + CHUNK]
        chunk = list(Person.objects.filter(pk__in=ids).order_by("pk"))
        org_code = dict(
            MembershipSpell.objects.filter(person_id__in=ids)
            .active_on(on)
            .values_list("person_id", "org__code")
        )
        ranks: dict[int, str] = {}
        titles: dict[int, list[str]] = {}
        for person_id, kind, title, rank in (
            Post.objects.active_on(on)
            .filter(person_id__in=ids, kind__in=[PostKind.GOVERNMENT, PostKind.PARTY])
            .order_by("start", "pk")
            .values_list("person_id", "kind", "title", "rank")
        ):
            if kind == PostKind.GOVERNMENT:
                ranks[person_id] = rank
            else:
                titles.setdefault(person_id, []).append(title)
        for person in chunk:
            row = {key: getattr(person, key) for key in PERSON_FIELDS}
            row["org_code"] = org_code.get(person.pk, "")
            row["admin_rank"] = ranks.get(person.pk, "")
            row["party_posts"] = titles.get(person.pk, [])
            if not reveal:
                row["id_number"] = mask_id_number(row["id_number"])
                row["phone"] = mask_phone(row["phone"])
            yield row
