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
    # The groups come with a migration; made again here if a database flush removed them.
    granted = [Group.objects.get_or_create(name=Role(r).label)[0] for r in sorted(roles)]
    kept = user.groups.exclude(name__in=Role.labels)
    user.groups.set([*kept, *granted])
    user._tongxin_roles = frozenset(roles)
