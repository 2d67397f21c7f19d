from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "tongxin.coverage"
    label = "coverage"
    verbose_name = "两新组织党群共建"
