"""Reads over the 两新组织 registry, always through the user's scope (the area node's path).

Every figure of the ``coverage`` section is a count of ``coverage_list`` with a
``CoverageFilter``: the list page applies the same filter to the same population, so the
list's length is the figure (STATS.md: every number drills down)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from django.db.models import Case, Exists, Max, OuterRef, Q, QuerySet, TextChoices, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER
from django_cte import CTE, with_cte

from tongxin.core.dated import in_force_q, not_ended_q
from tongxin.core.scope import Scope, get_in_scope_or_404, subtree_q

from .models import (
    COVERED_FORMS,
    MassKind,
    MassOrganization,
    NewOrganization,
    NewOrgKind,
    PartyForm,
    PartyMemberCount,
    PartyOrgForm,
)

AREA = "area__path"
# 规模以上 organizations qualify for their own party organization from three members on.
SINGLE_MINIMUM = 3


class Gap(TextChoices):
    """The gaps lists staff act on (workbench cards)."""

    ABOVE_SIZE_NO_PARTY = "above_size_no_party", "规模以上未建党组织"
    QUALIFIES_SINGLE = "qualifies_single", "党员3人以上未单独组建"
    NO_MASS = "no_mass", "有党组织未建齐群团组织"


def registered_q(on: date) -> Q:
    """Registered at ``on``: founded on or before it (or undated), not deregistered by then."""
    return (Q(founded__isnull=True) | Q(founded__lte=on)) & (
        Q(deregistered__isnull=True) | Q(deregistered__gt=on)
    )


FOUNDED = ("party", *MassKind.values)


@dataclass(frozen=True)
class CoverageFilter:
    """The filters of the registry list, as its address carries them."""

    on: date
    period_start: date | None = None
    kind: str = ""
    above_size: bool | None = None
    form: str = ""
    covered: bool = False
    mass: str = ""
    all_four: bool = False
    founded: str = ""
    gap: str = ""
    industry: str = ""
    with_members: bool = False
    search: str = ""

    def condition(self) -> Q:
        """The filter over organizations registered at ``on``, in the terms of the facts
        ``registered`` annotates on each of them (each read once per organization, however
        many figures a table counts)."""
        q = Q()
        covered = Q(party_form__in=list(COVERED_FORMS))
        if self.kind:
            q &= Q(kind=self.kind)
        if self.above_size is not None:
            q &= Q(above_size=self.above_size)
        if self.form:
            q &= Q(party_form=self.form)
        if self.covered:
            q &= covered
        if self.mass:
            q &= Q(**{f"has_{self.mass}": 1})
        if self.all_four:
            q &= covered
            for kind in MassKind.values:
                q &= Q(**{f"has_{kind}": 1})
        if self.founded:
            q &= Q(**{f"founded_{self.founded}": 1})
        if self.industry:
            q &= Q(industry="") if self.industry == BLANK_INDUSTRY else Q(industry=self.industry)
        if self.with_members:
            q &= Q(party_members__gt=0)
        if self.gap == Gap.ABOVE_SIZE_NO_PARTY:
            q &= Q(above_size=True) & ~covered
        elif self.gap == Gap.QUALIFIES_SINGLE:
            q &= Q(party_members__gte=SINGLE_MINIMUM) & ~Q(party_form=PartyForm.SINGLE)
        elif self.gap == Gap.NO_MASS:
            missing = Q()
            for kind in MassKind.values:
                missing |= Q(**{f"has_{kind}": 0})
            q &= covered & missing
        if self.search:
            q &= Q(name__icontains=self.search) | Q(credit_code__icontains=self.search)
        return q

    def period(self) -> tuple[date, date]:
        """``[period_start, on]``: by default the calendar year of ``on``."""
        return (self.period_start or self.on.replace(month=1, day=1), self.on)

    def as_query(self) -> dict[str, str]:
        """The address's parameters of these filters (the date always)."""
        query = {"as_of": self.on.isoformat()}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "on" or value in ("", None) or value is False and f.name != "above_size":
                continue
            if f.name == "period_start":
                query["from"] = value.isoformat()
            elif f.name == "search":
                query["q"] = value
            elif isinstance(value, bool):
                query[f.name] = "1" if value else "0"
            else:
                query[f.name] = str(value)
        return query

    def with_params(self, **params) -> CoverageFilter:
        return replace(self, **params)


# The 行业 filter's value for organizations whose industry was not given.
BLANK_INDUSTRY = "未填"


def new_orgs(*, scope: Scope, org=None) -> QuerySet[NewOrganization]:
    """The registry's organizations in ``scope`` (under ``org`` when given), any date."""
    found = scope.filter(NewOrganization.objects.all(), AREA)
    if org is not None:
        found = found.filter(subtree_q(org.path, AREA))
    return found


def get_new_org(*, scope: Scope, pk: int) -> NewOrganization:
    """One organization of the registry; 404 outside ``scope``."""
    return get_in_scope_or_404(NewOrganization.objects.select_related("area"), scope, AREA, pk=pk)


def _latest(records: QuerySet, order: str, *columns: str) -> QuerySet:
    """For each organization, ``columns`` of its record of ``records`` latest by ``order``
    (unique for each organization): the one with none later among ``records``."""
    later = records.filter(new_org_id=OuterRef("new_org_id"), **{f"{order}__gt": OuterRef(order)})
    return records.filter(~Exists(later)).values("new_org_id", *columns).order_by()


def _flag(condition: Q) -> Max:
    """1 where any of an organization's records meets ``condition``, else 0 (grouped)."""
    return Max(Case(When(condition, then=Value(1)), default=Value(0)))


def registered(
    *, scope: Scope, org, on: date, period: tuple[date, date] | None = None
) -> QuerySet[NewOrganization]:
    """The population of the figures: registered at ``on`` under ``org``, each with its facts
    at ``on`` and, for ``period``, what was founded in it:

    - ``party_form``: the form in force (the latest started of those in force; 无 where none);
    - ``party_members``: the latest 党员人数 recorded on or before ``on`` (0 where none was);
    - ``has_<mass kind>``: 1 where that mass organization is in force, else 0;
    - ``founded_<party or mass kind>``: 1 where a party organization (单独/联合) or that mass
      organization was established in ``period``, else 0.

    Each fact table is read in one pass (a common table expression, grouped by
    organization, joined to the organizations) instead of once for each organization and
    fact: a district of 10,000 organizations is one scan of each table (bench/README.md,
    Coverage). The passes read the whole tables, not the area's part of them: restricting
    them costs a join for each record, more than reading the registry's other records (the
    join to the organizations in ``scope`` keeps only the area's)."""
    form = CTE(
        _latest(PartyOrgForm.objects.active_on(on), "start", "form"), name="coverage_form_at"
    )
    members = CTE(
        _latest(PartyMemberCount.objects.filter(on__lte=on), "on", "count"),
        name="coverage_members_at",
    )
    # The pass reads the records started by ``on`` (or by the period's end, if later): those
    # in force at ``on`` are the ones among them not ended by then.
    last = on if period is None else max(on, period[1])
    in_force = in_force_q("", on) if last > on else not_ended_q("", on)
    mass_flags = {kind: _flag(Q(kind=kind) & in_force) for kind in MassKind.values}
    if period is not None:
        founded = Q(start__gte=period[0], start__lte=period[1])
        mass_flags.update(
            {f"founded_{kind}": _flag(Q(kind=kind) & founded) for kind in MassKind.values}
        )
    mass = CTE(
        MassOrganization.objects.filter(start__lte=last)
        .values("new_org_id")
        .annotate(**mass_flags)
        .order_by(),
        name="coverage_mass_at",
    )
    ctes = [form, members, mass]
    population = new_orgs(scope=scope, org=org).filter(registered_q(on))
    for cte in ctes:
        population = cte.join(population, pk=cte.col.new_org_id, _join_type=LOUTER)
    annotations = {
        "party_members": Coalesce(members.col.count, Value(0)),
        "party_form": Coalesce(form.col.form, Value(PartyForm.NONE)),
        **{f"has_{kind}": Coalesce(getattr(mass.col, kind), Value(0)) for kind in MassKind.values},
    }
    if period is not None:
        party = CTE(
            PartyOrgForm.objects.filter(
                form__in=list(COVERED_FORMS), start__gte=period[0], start__lte=period[1]
            )
            .values("new_org_id")
            .annotate(founded=Max(Value(1)))
            .order_by(),
            name="coverage_founded_party",
        )
        ctes.append(party)
        population = party.join(population, pk=party.col.new_org_id, _join_type=LOUTER)
        annotations["founded_party"] = Coalesce(party.col.founded, Value(0))
        for kind in MassKind.values:
            annotations[f"founded_{kind}"] = Coalesce(
                getattr(mass.col, f"founded_{kind}"), Value(0)
            )
    return with_cte(*ctes, select=population.annotate(**annotations))


def coverage_list(*, scope: Scope, org, filters: CoverageFilter) -> QuerySet[NewOrganization]:
    """The registry list: organizations registered at ``filters.on`` meeting the filters."""
    return (
        registered(scope=scope, org=org, on=filters.on, period=filters.period())
        .filter(filters.condition())
        .order_by("area__path", "name", "pk")
    )


def facts_at(new_orgs_page, *, on: date) -> dict[int, dict]:
    """What the list shows of each organization at ``on``: its form and mass organizations."""
    ids = [o.pk for o in new_orgs_page]
    forms = dict(
        PartyOrgForm.objects.active_on(on)
        .filter(new_org_id__in=ids)
        .order_by("start")
        .values_list("new_org_id", "form")
    )
    mass: dict[int, set[str]] = {}
    for new_org_id, kind in (
        MassOrganization.objects.active_on(on)
        .filter(new_org_id__in=ids)
        .values_list("new_org_id", "kind")
    ):
        mass.setdefault(new_org_id, set()).add(kind)
    return {
        pk: {
            "form": PartyForm(forms.get(pk, PartyForm.NONE)).label,
            "covered": forms.get(pk) in COVERED_FORMS,
            "mass": [label for kind, label in MassKind.choices if kind in mass.get(pk, ())],
        }
        for pk in ids
    }


KIND_LABELS = dict(NewOrgKind.choices)
