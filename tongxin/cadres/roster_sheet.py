"""The sheet 入库名单 of the roster workbook (ROSTER_TEMPLATE.md, united-front deployments):
people entered in pools, checked with the whole file and written in the import's transaction
through the same service as the 入库 page (pool_entry_start), each entry undone with the
batch (tongxin.core.extensions: roster_sheets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from tongxin.core.extensions import RosterSheet
from tongxin.core.scope import Scope
from tongxin.io.columns import DATE_HELP, Column
from tongxin.orgs.models import Organization
from tongxin.people.models import Person

from . import selectors, services
from .models import EntrySource, PoolEntry, PoolKind, RankGroup, TalentPool

SHEET = "入库名单"
MEETING = "名册导入"

COLUMNS = (
    Column("身份证号", "id_number", False, "id_number", help="已登记或本文件成员名册中的身份证号",
           width=21),
    Column("姓名", "name", False, "text", help="没有身份证号时，填本文件成员名册中的姓名",
           width=10, max_length=50),
    Column("人才库", "pool", True, "text",
           help="人才库名称；本组织只有一个该类库时也可填类别（后备干部、党外干部、党外后备干部、"
                "优秀青年干部、专业人才库）",
           width=16, max_length=100),
    Column("层级", "level", False, "text", help="厅局级、县处级、乡科级（拟培养的层级）", width=10,
           max_length=20),
    Column("入库日期", "start", True, "date", help=DATE_HELP, width=12),
    Column("推荐单位编码", "unit_code", False, "code",
           help="推荐人选的街道党工委、行业党委或部委办局的组织编码", width=14, max_length=50),
    Column("来源", "source", False, "text", help="、".join(label for _v, label in
           EntrySource.choices) + "；不填为单位推荐", width=10, max_length=20),
)  # fmt: skip

_KINDS = {label: value for value, label in PoolKind.choices}
_LEVELS = {label: value for value, label in RankGroup.choices}
_SOURCES = {label: value for value, label in EntrySource.choices}


@dataclass
class EntryItem:
    row: int
    person: object  # tongxin.io.importer.PersonRef
    pool: TalentPool
    level: object | None
    start: date
    unit_code: str
    source: str


def _pool(text: str, pools: list[TalentPool]) -> tuple[TalentPool | None, str]:
    named = [p for p in pools if p.name == text]
    if len(named) == 1:
        return named[0], ""
    kind = _KINDS.get(text)
    of_kind = [p for p in pools if kind and p.kind == kind]
    if len(of_kind) == 1:
        return of_kind[0], ""
    if len(of_kind) > 1:
        return None, f"您的管理范围内有 {len(of_kind)} 个“{text}”类的库，请填写库的名称"
    return None, "您的管理范围内没有这个名称或类别的人才库"


def check(*, rows, person, scope: Scope, on: date, error) -> list[EntryItem]:
    pools = list(selectors.pools(scope=scope).filter(is_active=True).prefetch_related("levels"))
    codes = {v["unit_code"] for _r, v, _ok in rows if v["unit_code"]}
    units = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    items, seen = [], {}
    for row, values, ok in rows:
        ref = person(values, row)
        pool, why = _pool(values["pool"], pools) if values["pool"] else (None, "")
        if values["pool"] and pool is None:
            error(row, "人才库", values["pool"], why)
        level = None
        if pool is not None:
            wanted = _LEVELS.get(values["level"]) if values["level"] else None
            if values["level"] and wanted is None:
                error(row, "层级", values["level"], "层级应为：厅局级、县处级、乡科级")
                pool = None
            elif pool.levels.all():
                level = next((lv for lv in pool.levels.all() if lv.rank_group == wanted), None)
                if level is None:
                    shown = "、".join(lv.label for lv in pool.levels.all())
                    error(row, "层级", values["level"], f"「{pool.name}」分层级管理，应为：{shown}")
                    pool = None
        source = _SOURCES.get(values["source"] or "单位推荐")
        if source is None:
            error(row, "来源", values["source"], "来源应为：" + "、".join(_SOURCES))
        unit = units.get(values["unit_code"]) if values["unit_code"] else None
        if values["unit_code"] and pool is not None:
            if unit is None:
                error(row, "推荐单位编码", values["unit_code"], "组织编码在系统中不存在")
            elif not unit.path.startswith(pool.owner.path):
                error(row, "推荐单位编码", values["unit_code"],
                      f"推荐单位不在「{pool.owner.name}」之下")  # fmt: skip
        if not ok or ref is None or pool is None or source is None:
            continue
        start = values["start"]
        key = (pool.pk, ref.name, ref.pk, id(ref.member))
        if key in seen:
            error(row, "人才库", values["pool"], f"与第{seen[key]}行重复")
            continue
        seen[key] = row
        if ref.pk is not None or (ref.member is not None and ref.member.existing is not None):
            pk = ref.pk or ref.member.existing["pk"]
            entries = PoolEntry.objects.filter(pool=pool, person_id=pk)
            if entries.filter(start=start).exists():
                continue  # entered already: the same file again changes nothing
            if entries.filter(end__isnull=True).exists():
                error(row, "人才库", values["pool"], f"{ref.name} 已在「{pool.name}」中")
                continue
        if not _in_population_then(ref, pool, start, on):
            error(row, "入库日期", start.isoformat(),
                  f"{ref.name} 在 {start:%Y-%m-%d} 不是「{pool.owner.name}」的成员，也没有其下的"
                  "管理关系（本文件登记的管理关系自导入生效日期起）")  # fmt: skip
            continue
        why = _refused(ref, pool, level, start, items)
        if why:
            error(row, "人才库", values["pool"], why)
            continue
        items.append(EntryItem(row, ref, pool, level, start, values["unit_code"], source))
    return items


def _refused(ref, pool: TalentPool, level, start: date, planned: list[EntryItem]) -> str:
    """What the 入库 service would refuse (exclusive pools, capacity), counting the entries
    this file plans before this row, so that the check names the row instead of the write
    failing."""
    existing = ref.pk or (ref.member.existing["pk"] if ref.member and ref.member.existing else None)
    if existing is not None:
        try:
            services._check_exclusions(
                pool=pool, person=Person(pk=existing, name=ref.name), on=start
            )
        except ValidationError as exc:
            return "；".join(exc.messages)
    active = PoolEntry.objects.active_on(start).filter(pool=pool)
    same = [i for i in planned if i.pool.pk == pool.pk]
    if pool.capacity is not None and active.count() + len(same) >= pool.capacity:
        return f"「{pool.name}」名额已满（{pool.capacity} 人，含本文件中前面各行）"
    if level is not None and level.capacity is not None:
        taken = active.filter(level=level).count() + sum(1 for i in same if i.level == level)
        if taken >= level.capacity:
            return f"「{pool.name}」{level.label}名额已满（{level.capacity} 人）"
    return ""


def _in_population_then(ref, pool: TalentPool, start: date, on: date) -> bool:
    existing = ref.pk or (ref.member.existing["pk"] if ref.member and ref.member.existing else None)
    if existing is not None:
        person = Person.objects.get(pk=existing)
        if selectors.is_in_population(person=person, org=pool.owner, on=start):
            return True
    linked = ref.linked_from
    if linked is None:
        return False
    code, since = linked
    org = ref.member.org
    if org is not None and not org.path.startswith(pool.owner.path):
        return False
    return start >= (since or on)


def write(*, items: list[EntryItem], by) -> list[PoolEntry]:
    created = []
    units = {o.code: o for o in Organization.objects.filter(code__in={i.unit_code for i in items})}
    for item in items:
        person = Person.objects.get(pk=item.person.person_id)
        try:
            entry = services.pool_entry_start(
                pool=item.pool,
                person=person,
                on=item.start,
                source=item.source,
                decision_meeting=MEETING,
                decision_date=item.start,
                level=item.level,
                recommending_unit=units.get(item.unit_code),
                by=by,
            )
        except ValidationError as exc:
            messages = "；".join(exc.messages)
            raise ValidationError(f"“{SHEET}”第{item.row}行：{messages}") from exc
        created.append(entry)
    return created


def export(*, scope: Scope, org: Organization, on: date):
    """The entries in force on ``on`` in pools of ``org``'s subtree, as the sheet's rows."""
    levels = dict(RankGroup.choices)
    sources = dict(EntrySource.choices)
    entries = (
        selectors.entries(scope=scope, org=org)
        .active_on(on)
        .select_related("person", "pool", "level", "recommending_unit")
        .order_by("pool__name", "start", "pk")
    )
    for entry in entries.iterator(chunk_size=2000):
        yield {
            "id_number": entry.person.id_number,
            "name": entry.person.name,
            "pool": entry.pool.name,
            "level": levels.get(entry.level.rank_group, "") if entry.level else "",
            "start": entry.start,
            "unit_code": entry.recommending_unit.code if entry.recommending_unit else "",
            "source": sources.get(entry.source, ""),
        }


ENTRY_SHEET = RosterSheet(name=SHEET, columns=COLUMNS, check=check, write=write, export=export)
