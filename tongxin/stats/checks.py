"""``manage.py check`` refuses a 中上层人士 rule setting it cannot read."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from tongxin.people.population import upper_middle_rule


@register()
def upper_middle_settings(app_configs, **kwargs):
    try:
        upper_middle_rule()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="tongxin.stats.E001")]
    return []
