from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class StatsConfig(AppConfig):
    name = "tongxin.stats"
    label = "stats"
    verbose_name = "统计分析"

    def ready(self):
        from tongxin.core import tally

        from . import cache, checks  # noqa: F401  (checks registers the settings check)

        # Every section's aggregates are kept until the data they count changes.
        tally.use_store(cache.aggregate)

        # After every app's tables exist (this app is the last), and again after ``flush``.
        pre_migrate.connect(cache.uninstalled, sender=self)
        post_migrate.connect(cache.installed, sender=self)
        # The stored default sentences of the work report follow the code's, unless edited.
        from .report import stored

        post_migrate.connect(stored.after_migrate, sender=self)
