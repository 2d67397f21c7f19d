from django.db import migrations


def binary_path_collation(apps, schema_editor):
    # Subtree queries compare paths as ranges (path >= P AND path < P'), which only holds under
    # a byte-wise collation; PostgreSQL's default locale collation orders '0-9A-Z' differently.
    # SQLite compares text byte-wise already.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE orgs_organization ALTER COLUMN path TYPE varchar(255) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(binary_path_collation, migrations.RunPython.noop)]
