"""The default recommendation steps (民主推荐 → 组织考察 → 讨论决定 → 公示 → 任用): data that an
administrator may change, or replace for one committee with steps of its own."""

from django.db import migrations

from tongxin.cadres.defaults import DEFAULT_STEPS


def add_steps(apps, schema_editor):
    Step = apps.get_model("cadres", "RecommendationStep")
    if Step.objects.filter(org__isnull=True).exists():
        return
    for name, order, role in DEFAULT_STEPS:
        Step.objects.create(org=None, name=name, order=order, role=role)


def remove_steps(apps, schema_editor):
    apps.get_model("cadres", "RecommendationStep").objects.filter(org__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(add_steps, remove_steps)]
