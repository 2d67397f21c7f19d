from django.apps import AppConfig


class IoConfig(AppConfig):
    name = "tongxin.io"
    label = "io"
    verbose_name = "导入导出"
