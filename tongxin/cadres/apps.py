from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "tongxin.cadres"
    label = "cadres"
    verbose_name = "干部人才"
