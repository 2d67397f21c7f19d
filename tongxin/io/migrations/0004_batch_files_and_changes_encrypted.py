"""Uploaded workbooks, their error lists (which quote cells: ID numbers among them) and the
values an import replaced, encrypted at rest like the ID numbers themselves."""

from django.db import migrations

import tongxin.core.fieldcrypt

COLUMNS = (
    ("io_importbatch", "content", "blob"),
    ("io_importbatch", "errors", "json"),
    ("io_importbatch", "warnings", "json"),
    ("io_batchchange", "before", "json"),
)


def encrypt(apps, schema_editor):
    for table, column, kind in COLUMNS:
        tongxin.core.fieldcrypt.rewrite_column(schema_editor.connection, table, column, kind)


def decrypt(apps, schema_editor):
    for table, column, kind in COLUMNS:
        tongxin.core.fieldcrypt.rewrite_column(
            schema_editor.connection, table, column, kind, decrypt_only=True
        )


class Migration(migrations.Migration):
    dependencies = [("io", "0003_undo_in_the_background")]

    operations = [
        migrations.AlterModelOptions(
            name="batchchange",
            options={"verbose_name": "导入变更记录", "verbose_name_plural": "导入变更记录"},
        ),
        migrations.AlterField(
            model_name="batchchange",
            name="before",
            field=tongxin.core.fieldcrypt.EncryptedJSONField(
                default=dict, verbose_name="变更前的值"
            ),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="content",
            field=tongxin.core.fieldcrypt.EncryptedBinaryField(verbose_name="文件内容"),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="errors",
            field=tongxin.core.fieldcrypt.EncryptedJSONField(default=list, verbose_name="错误"),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="warnings",
            field=tongxin.core.fieldcrypt.EncryptedJSONField(default=list, verbose_name="提示"),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
