"""The stored default sentences remember which default they came from (report.stored).

Rows stored before this migration carry no digest. A row whose content is one of the defaults
the code has shipped (every version of ``report/defaults.py`` up to this migration, digests
below, computed as ``report.stored.digest``) was not edited: it gets that digest, so that the
sync after ``migrate`` brings it to the current default. Any other row was edited in the back
office and keeps a blank digest: it is kept as it is.
"""

import hashlib
import json

from django.db import migrations, models

# slot -> the digests of its default in each shipped version (d5d766c … 622e1a6).
SHIPPED = {
    "organizations": (
        "3a8d480866f7ace31f4a3c08e7dff59e",
        "33a25bdca0947b066e90c8e97c830283",
        "baa90294df12224329376f8a037217e0",
        "f43b549e0438ceba54c20e427fe11348",
    ),
    "members": ("7fae22cece9ec2b7746a0547ef7bcf48",),
    "members_education": ("671b2ed29f8af3875ddbfd8ecbb421a0",),
    "members_titles": ("7a959b26856492784b872af47f46b568", "20d8b53a30dbe3ffeb7dbbf10facd587"),
    "members_upper_middle": ("20b81cc087d0185187efc665db417b1d",),
    "members_ranks": ("c9f5464e363c07f4b989bfc0b9032d29",),
    "political": ("72de87bbc1b3d52eb5d17cf6758ef7e0",),
    "new_members": ("81e165d8a3e6f7d7562202014abe2eaa",),
    "recruitment_quality": ("7a8507f53f23d9172706b30125f277b3",),
    "in_progress": ("5ccb4ab3e3a6f4f5b58545edcb578a5a",),
    "flows": ("c2568ab47244b66fb56cba35a7ade69d",),
    "pools": ("3e2b5c77f2eeb6dfd3e1dfb909a5714e",),
    "pools_flow": ("3d8d321addf44324444c5a343166bf1e",),
    "non_party_files": ("88530608625a6aed2f56b49b836bc3c7", "21bee0d45cac11e274407705bd22f2ce"),
    "non_party_reserves": ("7739df6913c3418218bdb8677e5c0217",),
    "non_party_entered": ("18203ab74430b14d421bac7aca72625c",),
    "classes": ("591d6c3c669ab94a5a93494eb36d7706", "c7215f669658db030de4677d152c187f"),
    "hours": ("54b06f74814f619c2cee0ba2cddc08cb",),
    "terms": ("94167298bcaf2dc6e8a8e28242c3d2d1",),
    "liaison": ("2c8cd130853791d9e80542d472eefbe0",),
    "activities": ("c71293dbcd482a066132908600992972",),
    "contributions": ("5ee1fc8db2decf8bf2188562efd76050",),
    "adoption": ("ff54b8c4ea47ebe7eef874e639d2d224",),
    "scored": ("1f90fba66dad8fe0f3cdedc8ed3214e7",),
    "awards": ("19825b92567ed30f54178a6b632aeb3c",),
    "honours": ("890224abc723923bdb983b4e3827d8dc",),
    "registered": ("d2c7f94816497267449a5e8009d152a9",),
    "party_covered": ("87b132e05194980c2ee3ebe724376a60",),
    "mass": ("f7e696252eb4d40bda8f9a6e1c255530",),
}


def _digest(row):
    data = json.dumps(
        [row.part, row.topic, row.order, row.text, row.what, row.when_missing],
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def mark_shipped(apps, schema_editor):
    ReportSentence = apps.get_model("stats", "ReportSentence")
    for row in ReportSentence.objects.filter(party=""):
        found = _digest(row)
        if found in SHIPPED.get(row.slot, ()):
            row.default_digest = found
            row.save(update_fields=["default_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_report_sentence"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportsentence",
            name="default_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="默认句子指纹"
            ),
        ),
        migrations.RunPython(mark_shipped, migrations.RunPython.noop),
    ]
