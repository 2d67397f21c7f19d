import re

from django.db import migrations, models


def initialise(apps, schema_editor):
    """A counter for every prefix + year already used by a procedure's numbers, at the highest
    sequence given; heads not found here are counted the first time they are used."""
    Person = apps.get_model("people", "Person")
    Procedure = apps.get_model("recruitment", "Procedure")
    Counter = apps.get_model("recruitment", "MembershipNoCounter")
    prefixes = set(Procedure.objects.values_list("membership_no_prefix", flat=True)) | {""}
    numbers = list(Person.objects.exclude(membership_no="").values_list("membership_no", flat=True))
    last: dict[str, int] = {}
    for prefix in prefixes:
        pattern = re.compile(rf"^{re.escape(prefix)}(\d{{4}})(\d{{4,}})$")
        for number in numbers:
            found = pattern.match(number)
            if found:
                head = f"{prefix}{found[1]}"
                last[head] = max(last.get(head, 0), int(found[2]))
    Counter.objects.bulk_create(Counter(head=h, last=n) for h, n in sorted(last.items()))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0012_membership_no_unique"),
        ("recruitment", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="MembershipNoCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "head",
                    models.CharField(max_length=30, unique=True, verbose_name="编号前缀与年份"),
                ),
                ("last", models.PositiveIntegerField(default=0, verbose_name="已用到的序号")),
            ],
            options={
                "verbose_name": "成员编号计数",
                "verbose_name_plural": "成员编号计数",
            },
        ),
        migrations.RunPython(initialise, migrations.RunPython.noop),
    ]
