from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "tongxin.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from tongxin.core.dbfiles import restrict_database_files

        connection_created.connect(restrict_database_files, dispatch_uid="tongxin_db_file_modes")
        from . import extensions  # noqa: F401  (registers the hooks check)
