"""The organization tree as the pages draw it: scope roots and the open branch.

Member counts are not computed here: the page asks for them in a second request
(``views.tree_counts``), so that a page about one city never waits for a national count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tongxin.core.scope import Scope

from . import selectors
from .models import Organization


@dataclass
class TreeNode:
    org: Organization
    children: list[TreeNode] | None = None  # None: not loaded yet (fetched on demand)
    has_children: bool = False
    selected: bool = False
    is_current: bool = True


@dataclass
class Tree:
    roots: list[TreeNode] = field(default_factory=list)

    def node_ids(self) -> list[int]:
        ids: list[int] = []
        stack = list(self.roots)
        while stack:
            node = stack.pop()
            ids.append(node.org.pk)
            stack.extend(node.children or ())
        return sorted(ids)


def _nodes(orgs: list[Organization], on: date, selected) -> list[TreeNode]:
    return [
        TreeNode(
            org=org,
            has_children=org.numchild > 0,
            selected=selected is not None and org.pk == selected.pk,
            is_current=org.is_current(on),
        )
        for org in orgs
    ]


def children_of(
    *, scope: Scope, org: Organization, on: date, show_dissolved: bool
) -> list[TreeNode]:
    kids = list(selectors.children(scope=scope, org=org, on=None if show_dissolved else on))
    return _nodes(kids, on, None)


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
                item.children = _nodes(kids, on, selected)
                expand(item.children)

    top = _nodes(roots, on, selected)
    expand(top)
    return Tree(roots=top)
