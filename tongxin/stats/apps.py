from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "tongxin.stats"
    label = "stats"
    verbose_name = "统计分析"

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings check)
