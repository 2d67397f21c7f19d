"""Training records for the cadres tests, written through the training app's services (the
rule 不培训不上岗 reads them)."""

from datetime import date, timedelta
from decimal import Decimal

from tongxin.training import services as training_services
from tongxin.training.models import TrainingClass


def train(world, person, *, end: date) -> None:
    """``person`` completed a five-day 中青年骨干培训班 of the city ending on ``end``."""
    training_class = training_services.class_create(
        training_class=TrainingClass(
            name="中青年骨干培训班",
            org=world.city,
            level="own",
            class_type="young_backbone",
            start=end - timedelta(days=4),
            end=end,
            hours=Decimal("20"),
        ),
        daily_sessions=True,
    )
    (enrollment,) = training_services.enrollment_add(
        training_class=training_class, people=[person], on=training_class.start
    )
    training_services.completion_record(
        training_class=training_class, outcomes={enrollment.pk: ("completed", "passed")}, on=end
    )
