from django import template

from tongxin.core.masking import mask_email, mask_id_number, mask_phone

register = template.Library()


# Always masked: a full value reaches a page only through the audited reveal (people:reveal).
@register.filter
def masked_id(value):
    return mask_id_number(value)


@register.filter
def masked_phone(value):
    return mask_phone(value)


@register.filter
def masked_email(value):
    return mask_email(value)
