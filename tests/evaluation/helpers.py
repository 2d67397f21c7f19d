"""Builders for evaluation tests."""

from decimal import Decimal

from tongxin.evaluation import services
from tongxin.evaluation.models import Rubric, RubricItem


def rubric_with(org, *items) -> Rubric:
    """A rubric of ``items``: (title, calculator, params, max points) tuples."""
    rubric = Rubric.objects.create(org=org, name="测试细则")
    for order, (title, calculator, params, cap) in enumerate(items, start=1):
        services.rubric_item_save(
            item=RubricItem(
                rubric=rubric,
                order=order,
                title=title,
                calculator=calculator,
                params=params,
                max_points=None if cap is None else Decimal(cap),
            )
        )
    return rubric
