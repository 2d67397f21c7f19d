"""What the batch commands share: the account a command acts as."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def acting_user(username: str | None):
    """The user named ``username`` (``--user``), else the first active superuser; the command's
    scope and its audit entries are that user's. CommandError in Chinese when there is none."""
    users = get_user_model().objects
    if username:
        account = users.filter(username=username).first()
    else:
        account = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if account is None:
        raise CommandError(
            f"找不到用户“{username}”" if username else "没有可用的超级用户，请用 --user 指定"
        )
    return account
