from django.db import migrations

# Columns that only ever hold ASCII (digits and X; lower-case pinyin letters). Under the
# database's locale collation (ICU zh-Hans-CN in our deployments) PostgreSQL can use their
# indexes neither for "starts with" (the pinyin search: LIKE 'zm%') nor cheaply: every index
# insert compares through ICU. Byte-wise "C" orders these values exactly as the locale does
# and serves both. SQLite compares byte-wise already.
#
# The collation is set here rather than with db_collation, which SQLite would refuse ("C" is
# not a SQLite collation). A later AlterField of one of these columns must keep it.
COLUMNS = (("id_number", 18), ("name_pinyin", 200), ("name_initials", 50))


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column, length in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE people_person ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"'
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0003_spell_keys_without_own_index")]
    operations = [migrations.RunPython(binary_collation, migrations.RunPython.noop)]
