from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "tongxin.training"
    label = "training"
    verbose_name = "教育培训"
