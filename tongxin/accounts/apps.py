from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "tongxin.accounts"
    label = "accounts"
    verbose_name = "用户"


class TongxinAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Tongxin's site: who may enter is decided by role, not ``is_staff``."""

    default_site = "tongxin.accounts.admin_site.TongxinAdminSite"
    default = False
