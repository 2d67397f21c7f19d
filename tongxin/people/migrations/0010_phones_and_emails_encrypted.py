"""Phones and e-mails encrypted at rest (AES-GCM), as the ID numbers are since 0006.

Neither is ever searched or sorted, so neither needs a lookup hash. The columns are widened
first and encrypted after; backwards the values are decrypted while the columns are still wide.
"""

import django.core.validators
from django.db import migrations

import tongxin.core.fieldcrypt

COLUMNS = ("phone", "email")


def encrypt_values(apps, schema_editor):
    for column in COLUMNS:
        tongxin.core.fieldcrypt.rewrite_column(
            schema_editor.connection, "people_person", column, "text"
        )


def decrypt_values(apps, schema_editor):
    for column in COLUMNS:
        tongxin.core.fieldcrypt.rewrite_column(
            schema_editor.connection, "people_person", column, "text", decrypt_only=True
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0009_honor")]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["name_pinyin", "pk"],
                "permissions": [("reveal_personal_data", "查看完整的身份证号、手机号和电子邮箱")],
                "verbose_name": "人员",
                "verbose_name_plural": "人员",
            },
        ),
        migrations.AlterField(
            model_name="person",
            name="email",
            field=tongxin.core.fieldcrypt.EncryptedEmailField(
                blank=True, max_length=254, verbose_name="电子邮箱"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=tongxin.core.fieldcrypt.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[
                    django.core.validators.RegexValidator(
                        "^1[3-9]\\d{9}$", code="mobile", message="手机号码应为以1开头的11位数字"
                    )
                ],
                verbose_name="手机",
            ),
        ),
        migrations.RunPython(encrypt_values, decrypt_values),
    ]
