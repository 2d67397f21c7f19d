"""Writes on users: roles are granted here, where the 三权分立 rule is kept."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .roles import Role, role_conflict


@transaction.atomic
def grant_roles(user, roles) -> None:
    """Make ``roles`` (keys of ``Role``) the roles ``user`` holds; refuse a forbidden mix."""
    roles = {Role(r).value for r in roles}
    if reason := role_conflict(roles):
        raise ValidationError(reason)
    labels = {Role(r).label for r in roles}
    role_groups = Group.objects.filter(name__in=Role.labels)
    kept = user.groups.exclude(pk__in=role_groups)
    user.groups.set([*kept, *role_groups.filter(name__in=labels)])
    user._tongxin_roles = frozenset(roles)
