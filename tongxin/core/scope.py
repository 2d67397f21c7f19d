"""The one scoping helper: every query a user causes is limited to the subtrees they work in.

A scope is a set of organization paths (treebeard materialized paths). A subtree is the range of
paths ``[P, P')`` where ``P'`` is ``P`` with its last character incremented: an index range scan on
SQLite and PostgreSQL alike (a ``LIKE 'P%'`` would scan the table; see DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404


def path_upper_bound(path: str) -> str:
    """The smallest path greater than every path that starts with ``path``."""
    return path[:-1] + chr(ord(path[-1]) + 1)


def subtree_q(path: str, field: str = "path") -> Q:
    """Q for the rows whose ``field`` (a materialized path) lies in the subtree at ``path``."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})


def _outermost(paths) -> tuple[str, ...]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    """The subtrees a user may work in, and what they may do there (``caps``, see
    tongxin.accounts.roles). ``everything`` is the superuser's whole tree."""

    paths: tuple[str, ...] = ()
    everything: bool = False
    caps: frozenset[str] = frozenset()

    @classmethod
    def of(cls, paths, caps=frozenset()) -> Scope:
        return cls(paths=_outermost(paths), caps=frozenset(caps))

    @classmethod
    def for_user(cls, user) -> Scope:
        """The scope of ``user``: their scope nodes and capabilities (the user model answers
        both, from its roles: tongxin.accounts.roles)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        caps = user.capabilities()
        if user.is_superuser:
            return cls(everything=True, caps=caps)
        if not user.works_on_records():
            # Administrators (三权分立) and users without a business role see no records.
            return cls(caps=caps)
        return cls.of(user.scope_paths(), caps)

    def can(self, cap: str) -> bool:
        return cap in self.caps

    def require(self, cap: str) -> None:
        """Refuse (403) unless this scope's user holds ``cap``."""
        if cap not in self.caps:
            raise PermissionDenied("您的角色没有这项操作的权限")

    def q(self, field: str = "path") -> Q:
        """Q limiting rows whose ``field`` is an organization path to this scope."""
        if self.everything:
            # Always true, and still true inside an OR: a bare Q() is empty and drops out of
            # `scope.q() | Q(...)`, which would narrow the whole tree to the other side. Django
            # compiles this to no condition at all.
            return ~Q(pk__in=[])
        if not self.paths:
            return Q(pk__in=[])
        q = Q()
        for path in self.paths:
            q |= subtree_q(path, field)
        return q

    def filter(self, queryset: QuerySet, field: str = "path") -> QuerySet:
        return queryset.filter(self.q(field))

    def contains_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)

    def narrow(self, path: str) -> Scope:
        """This scope limited to the subtree at ``path`` (empty if ``path`` is outside it)."""
        if self.contains_path(path):
            return Scope(paths=(path,), caps=self.caps)
        inner = tuple(p for p in self.paths if p.startswith(path))
        return Scope(paths=inner, caps=self.caps)

    def __bool__(self) -> bool:
        return self.everything or bool(self.paths)


def get_in_scope_or_404(queryset: QuerySet, scope: Scope, field: str, **lookup):
    """One record by ``lookup`` if it lies in ``scope`` (through ``field``); else 404."""
    try:
        return scope.filter(queryset, field).distinct().get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("记录不存在或不在您的管理范围内") from exc
