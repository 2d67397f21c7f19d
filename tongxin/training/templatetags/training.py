from django import template

from tongxin.training.selectors import format_hours

register = template.Library()


@register.filter
def hours(value):
    """Hours without a trailing ".0": 12, 1.5."""
    return format_hours(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
