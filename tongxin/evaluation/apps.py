from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tongxin.evaluation"
    label = "evaluation"
    verbose_name = "考评表彰"
