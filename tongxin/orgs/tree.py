"""The organization tree as the pages draw it: scope roots, the open branch, member counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tongxin.core.scope import Scope

from . import selectors
from .models import Organization


@dataclass
class TreeNode:
    org: Organization
    count: int = 0
    children: list[TreeNode] | None = None  # None: not loaded yet (fetched on demand)
    has_children: bool = False
    selected: bool = False
    is_current: bool = True


@dataclass
class Tree:
    roots: list[TreeNode] = field(default_factory=list)


def _nodes(
    scope: Scope, orgs: list[Organization], on: date, selected, open_paths
) -> list[TreeNode]:
    counts = selectors.member_counts(scope=scope, nodes=orgs, on=on)
    items = []
    for org in orgs:
        item = TreeNode(
            org=org,
            count=counts.get(org.pk, 0),
            has_children=org.numchild > 0,
            selected=selected is not None and org.pk == selected.pk,
            is_current=org.is_current(on),
        )
        items.append(item)
    return items


def children_of(
    *, scope: Scope, org: Organization, on: date, show_dissolved: bool
) -> list[TreeNode]:
    kids = list(selectors.children(scope=scope, org=org, on=None if show_dissolved else on))
    return _nodes(scope, kids, on, None, set())


def build(*, scope: Scope, selected: Organization | None, on: date, show_dissolved=False) -> Tree:
    """Roots of the scope with the branch down to ``selected`` opened."""
    roots = selectors.scope_roots(scope=scope)
    open_paths = {r.path for r in roots}
    if selected is not None:
        open_paths |= {selected.path[: i * selected.steplen] for i in range(1, selected.depth + 1)}

    def expand(items: list[TreeNode]) -> None:
        for item in items:
            if item.org.path in open_paths and item.has_children:
                kids = list(
                    selectors.children(scope=scope, org=item.org, on=None if show_dissolved else on)
                )
                item.children = _nodes(scope, kids, on, selected, open_paths)
                expand(item.children)

    top = _nodes(scope, roots, on, selected, open_paths)
    expand(top)
    return Tree(roots=top)
