"""The example rubric of CODES.md (民革, one province) as the default reward rules, in force from
2000; an administrator changes them in the back office (奖励办法). Values are copied here, not
imported, so that this migration means the same whatever the code says later."""

from django.db import migrations

YEAR = 2000
DEFAULTS = (
    # (kind, rung, points, note); rung "" = for submitting it
    ("proposal", "", 4, "提交提案"),
    ("proposal", "collective", 3, "采纳为集体提案"),
    ("proposal", "key", 10, "列为重点提案或大会发言"),
    ("proposal", "centre", 15, "被党派中央采用"),
    ("social_report", "", 2, "报送社情民意信息"),
    ("social_report", "province", 3, "被省政协或统战部采用"),
    ("social_report", "centre", 5, "被党派中央采用"),
    ("social_report", "national_cppcc", 10, "被全国政协采用"),
    ("social_report", "instruction_province", 10, "获部级领导批示"),
    ("social_report", "instruction_national", 20, "获国家领导人批示"),
    ("article", "", 3, "发表理论文章"),
)


def add_defaults(apps, schema_editor):
    RewardRule = apps.get_model("branchwork", "RewardRule")
    for kind, rung, points, note in DEFAULTS:
        RewardRule.objects.get_or_create(
            year=YEAR, kind=kind, rung=rung, defaults={"points": points, "note": note}
        )


def remove_defaults(apps, schema_editor):
    RewardRule = apps.get_model("branchwork", "RewardRule")
    for kind, rung, _points, _note in DEFAULTS:
        RewardRule.objects.filter(year=YEAR, kind=kind, rung=rung).delete()


class Migration(migrations.Migration):
    dependencies = [("branchwork", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
