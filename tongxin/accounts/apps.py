from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def ensure_role_groups(sender, using="default", **kwargs):
    """The role groups, also after a flush (tests with transaction=True flush the database
    and send post_migrate, as Django does for its permissions), not only at the migration."""
    from django.contrib.auth.models import Group

    from .roles import Role

    for label in Role.labels:
        Group.objects.using(using).get_or_create(name=label)


class AccountsConfig(AppConfig):
    name = "tongxin.accounts"
    label = "accounts"
    verbose_name = "用户"

    def ready(self):
        post_migrate.connect(ensure_role_groups, sender=self)


class TongxinAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Tongxin's site: who may enter is decided by role, not ``is_staff``."""

    default_site = "tongxin.accounts.admin_site.TongxinAdminSite"
    default = False
