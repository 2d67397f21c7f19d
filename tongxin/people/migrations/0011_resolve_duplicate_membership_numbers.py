"""Before membership numbers become unique: a number held by more than one person stays with
the first of them (earliest admitted, then first entered); each other holder gets the number
with ``-2``, ``-3`` … after it and a line in their 备注 saying so, and ``migrate`` prints it."""

from django.db import migrations
from django.db.models import Count


def resolve(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    shared = (
        Person.objects.exclude(membership_no="")
        .values("membership_no")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("membership_no", flat=True)
    )
    for number in list(shared):
        holders = list(Person.objects.filter(membership_no=number).order_by("admitted_on", "pk"))
        first, others = holders[0], holders[1:]
        suffix = 2
        for person in others:
            while Person.objects.filter(membership_no=f"{number}-{suffix}").exists():
                suffix += 1
            person.membership_no = f"{number}-{suffix}"
            line = (
                f"成员编号 {number} 与 {first.name}（编号保留）重复，"
                f"升级时改为 {person.membership_no}，请核对后改正"
            )
            person.note = f"{person.note}\n{line}".strip()
            person.save(update_fields=["membership_no", "note"])
            print(f"\n  {person.name}（人员 {person.pk}）：{line}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_phones_and_emails_encrypted"),
    ]

    operations = [
        migrations.RunPython(resolve, migrations.RunPython.noop),
    ]
