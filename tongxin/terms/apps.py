from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "tongxin.terms"
    label = "terms"
    verbose_name = "届次与换届"
