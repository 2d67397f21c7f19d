"""Reads over the organization tree, always through the user's scope."""

from __future__ import annotations

import os
from datetime import date

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from tongxin.core import tally
from tongxin.core.dated import in_force_q
from tongxin.core.http import parse_id
from tongxin.core.scope import Scope, get_in_scope_or_404, subtree_q

from .models import Organization, OrganizationCategory


def current_q(on: date) -> Q:
    """Organizations existing on ``on``: established by then (or undated), not yet dissolved."""
    return in_force_q("", on, start="established", end="dissolved", open_start=True)


def organizations(*, scope: Scope, on: date | None = None) -> QuerySet[Organization]:
    """Organizations in the scope; current ones only when ``on`` is given."""
    orgs = scope.filter(Organization.objects.all())
    if on is not None:
        orgs = orgs.filter(current_q(on))
    return orgs


def covers_whole_tree(*, scope: Scope) -> bool:
    """Whether ``scope`` holds every root of the tree (a superuser's always does): only such a
    user may add a new root, e.g. the first import of a fresh install."""
    if scope.everything:
        return True
    roots = Organization.objects.get_root_nodes().values_list("path", flat=True)
    return bool(scope.paths) and all(scope.contains_path(path) for path in roots)


def effective_parties(orgs) -> dict[int, str]:
    """``Organization.effective_party`` of each of ``orgs``, by primary key, in one query."""
    orgs = list(orgs)
    prefixes = {o.path[:end] for o in orgs for end in range(o.steplen, len(o.path) + 1, o.steplen)}
    own = dict(
        Organization.objects.filter(path__in=prefixes)
        .exclude(party="")
        .values_list("path", "party")
    )
    return {
        o.pk: next(
            (own[o.path[:end]] for end in range(len(o.path), 0, -o.steplen) if o.path[:end] in own),
            "",
        )
        for o in orgs
    }


def org_q(*, kinds=(), category: str = "", within: str = "") -> Q:
    """Organizations of one of ``kinds`` (all when empty) labelled ``category`` (any when "");
    ``within`` is the path of the subtree being counted, which bounds the labels read."""
    q = Q()
    if kinds:
        q &= Q(kind__in=list(kinds))
    if category:
        q &= _labelled_q(category, within)
    return q


def _labelled_q(category: str, within: str) -> Q:
    # The two planners want opposite forms (bench/README.md, Statistics, the organizations
    # table): SQLite walks the organizations anyway and probes each one's labels by the unique
    # index, where a list would cost a city more. PostgreSQL runs such a probe inside every
    # conditional count as a subplan per row, one per organization at the root, and builds a
    # list once as a hashed subplan, which costs a city nothing more.
    labels = Organization.categories.through.objects.filter(organizationcategory__name=category)
    if connection.vendor == "sqlite":
        return Q(Exists(labels.filter(organization_id=OuterRef("pk"))))
    if within:
        labels = labels.filter(subtree_q(within, "organization__path"))
    return Q(pk__in=labels.values("organization_id"))


def organizations_at(
    *, scope: Scope, org: Organization, on: date, kinds=(), category: str = ""
) -> QuerySet[Organization]:
    """The nodes under ``org`` (itself excluded) established on or before ``on`` and not
    dissolved by then (STATS.md: organizations at D), of ``kinds`` and ``category``."""
    orgs = organizations(scope=scope, on=on).filter(subtree_q(org.path)).exclude(pk=org.pk)
    return orgs.filter(org_q(kinds=kinds, category=category, within=org.path))


def category_names() -> list[str]:
    """Every organization category, in order: statistics list each one, zeros included."""
    return list(OrganizationCategory.objects.order_by("name").values_list("name", flat=True))


def get_org(*, scope: Scope, pk) -> Organization:
    return get_in_scope_or_404(Organization.objects.all(), scope, "path", pk=pk)


def scope_roots(*, scope: Scope) -> list[Organization]:
    """The top nodes the user sees: the tree's roots for a superuser, else their scope nodes."""
    if scope.everything:
        return list(Organization.objects.get_root_nodes())
    return list(Organization.objects.filter(path__in=scope.paths).order_by("path"))


def default_org(*, scope: Scope) -> Organization | None:
    roots = scope_roots(scope=scope)
    return roots[0] if roots else None


def chosen_org(*, scope: Scope, value: str | None) -> Organization | None:
    """The organization a list's ``?org=`` names (404 outside the scope), else the scope's first
    node; None for a user without one. A value that is not an id answers 400."""
    pk = parse_id(value, "org")
    if pk is not None:
        return get_org(scope=scope, pk=pk)
    return default_org(scope=scope)


def children(*, scope: Scope, org: Organization, on: date | None) -> QuerySet[Organization]:
    """The direct children of ``org`` within the scope (current ones when ``on`` is given)."""
    kids = organizations(scope=scope, on=on).filter(subtree_q(org.path), depth=org.depth + 1)
    return kids.order_by("path")


def subtree(*, scope: Scope, org: Organization, on: date | None) -> QuerySet[Organization]:
    return organizations(scope=scope, on=on).filter(subtree_q(org.path)).order_by("path")


# A list's "所在组织" choice offers at most this many organizations (the root of the 1M bench
# tree has 60,000: 2.5 MB of options, and half its roster page's time).
CHOICE_LIMIT = 500


def top_levels(
    nodes: QuerySet[Organization], *, limit: int | None = None, keep: int | None = None
) -> tuple[QuerySet[Organization], bool]:
    """The levels of ``nodes`` (a subtree) from the top down while together they number at
    most ``limit``, and ``keep`` (a primary key) among them whatever its depth: the chosen
    one stays chosen. Also whether a level was left out."""
    limit = CHOICE_LIMIT if limit is None else limit
    # Level by level, each read no further than the room left (the (depth, path) index): the
    # root's fourth level, 3,000 nodes, is never read whole, nor its 56,000 branches.
    nodes = nodes.order_by("path")
    depth = nodes.values_list("depth", flat=True).first()  # the top node comes first
    kept = 0
    while depth is not None:
        level = nodes.filter(depth=depth).order_by()[: max(limit - kept, 0) + 1].count()
        if not level:
            break
        if kept + level > limit and kept:
            return nodes.filter(Q(depth__lt=depth) | Q(pk=keep)), True
        kept += level
        depth += 1
    return nodes, False


def ancestors_in_scope(*, scope: Scope, org: Organization) -> list[Organization]:
    """The breadcrumb from the user's scope node down to ``org``."""
    paths = [org.path[: i * org.steplen] for i in range(1, org.depth)]
    return list(organizations(scope=scope).filter(path__in=paths).order_by("path"))


# member_counts: nodes down to this depth, at most MANY_NODES of one depth, are counted one by
# one through the figure store; the others by one grouped query a depth, in one range around
# them all past MANY_NODES.
STORED_DEPTH = 2
MANY_NODES = 50


def member_counts(*, scope: Scope, nodes, on: date) -> dict[int, int]:
    """Members on ``on`` in each node's subtree: through the figure store for the top two
    levels (STORED_DEPTH, at most MANY_NODES of a depth), else one grouped query a depth.

    Reads the spells through the reverse relation, so the tree needs no import of ``people``.
    """
    result: dict[int, int] = {node.pk: 0 for node in nodes}
    by_length: dict[int, dict[str, int]] = {}
    for node in nodes:
        by_length.setdefault(len(node.path), {})[node.path] = node.pk
    for length, paths in by_length.items():
        if len(paths) <= MANY_NODES and length <= STORED_DEPTH * Organization.steplen:
            # The root and its provinces: each one's count through the figure store
            # (tongxin.core.tally.aggregate), read instead of counted until the data changes;
            # the root's is 890,000 members and about a second in the 1M bench tree. Below
            # them one grouped query costs less than a store look-up a node (a city's 10
            # counties, 10k bench tree: 1.9 ms grouped on a quiet machine, 42 ms one by one
            # at load 10).
            for path, pk in paths.items():
                result[pk] = _stored_count(scope=scope, path=path, on=on)
            continue
        q = Q()
        if len(paths) > MANY_NODES:
            # One range around them all (rows of other nodes are left out below): an OR of
            # every branch of a large tree is too deep for SQLite (1,000 terms at most).
            common = os.path.commonprefix(list(paths))
            common = common[: len(common) - len(common) % Organization.steplen]
            if common:
                q = subtree_q(common)
        else:
            for path in paths:
                q |= subtree_q(path)
        rows = (
            organizations(scope=scope)
            .filter(q)
            .filter(in_force_q("spells__", on))
            .annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(n=Count("spells__person", distinct=True))
            .order_by()
        )
        for row in rows:
            if row["prefix"] in paths:
                result[paths[row["prefix"]]] = row["n"]
    return result


def _stored_count(*, scope: Scope, path: str, on: date) -> int:
    """``member_counts`` of one node, through the figure store."""
    spells = organizations(scope=scope).filter(subtree_q(path)).filter(in_force_q("spells__", on))
    return tally.aggregate(spells, n=Count("spells__person", distinct=True))["n"]
