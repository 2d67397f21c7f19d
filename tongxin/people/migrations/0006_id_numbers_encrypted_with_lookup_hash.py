"""ID numbers encrypted at rest (AES-GCM), found and kept unique through a keyed hash.

The number's column now holds ciphertext, which is never compared or sorted, so it no longer
needs the binary collation of 0004; the hash column, which the unique index compares on every
insert, gets it instead (on PostgreSQL; SQLite compares byte-wise already).
"""

from django.db import migrations, models

import tongxin.core.fieldcrypt
import tongxin.core.idnumber


def hash_column_binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE people_person ALTER COLUMN id_number_hash TYPE varchar(64) COLLATE "C"'
        )


def encrypt_numbers(apps, schema_editor):
    tongxin.core.fieldcrypt.rewrite_column(
        schema_editor.connection, "people_person", "id_number", "text", hash_column="id_number_hash"
    )


def decrypt_numbers(apps, schema_editor):
    tongxin.core.fieldcrypt.rewrite_column(
        schema_editor.connection,
        "people_person",
        "id_number",
        "text",
        hash_column="id_number_hash",
        decrypt_only=True,
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_id_number_lookups_use_the_partial_index")]

    operations = [
        migrations.RemoveConstraint(model_name="person", name="person_unique_id_number"),
        migrations.AddField(
            model_name="person",
            name="id_number_hash",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="身份证号查找哈希",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=tongxin.core.fieldcrypt.EncryptedCharField(
                blank=True,
                hash_field="id_number_hash",
                max_length=18,
                validators=[tongxin.core.idnumber.validate_id_number],
                verbose_name="身份证号",
            ),
        ),
        migrations.RunPython(hash_column_binary_collation, migrations.RunPython.noop),
        migrations.RunPython(encrypt_numbers, decrypt_numbers),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("id_number_hash", ""), _negated=True),
                fields=("id_number_hash",),
                name="person_unique_id_number_hash",
                violation_error_message="该身份证号已登记",
            ),
        ),
    ]
