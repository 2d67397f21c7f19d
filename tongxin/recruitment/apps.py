from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecruitmentConfig(AppConfig):
    name = "tongxin.recruitment"
    label = "recruitment"
    verbose_name = "组织发展"

    def ready(self):
        from .defaults import ensure_default_procedure

        post_migrate.connect(ensure_default_procedure, sender=self)
