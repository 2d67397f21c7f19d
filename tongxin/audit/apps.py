from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tongxin.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from . import checks, registration, signals  # noqa: F401

        registration.register_models()
        signals.connect()
