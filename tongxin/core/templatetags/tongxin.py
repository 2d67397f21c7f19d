from django import template

from tongxin.core.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_id(value, revealed=False):
    return value if revealed else mask_id_number(value)


@register.filter
def masked_phone(value, revealed=False):
    return value if revealed else mask_phone(value)
