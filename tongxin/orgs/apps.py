from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgsConfig(AppConfig):
    name = "tongxin.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self):
        from .kinds import ensure_default_kinds

        post_migrate.connect(ensure_default_kinds, sender=self)
