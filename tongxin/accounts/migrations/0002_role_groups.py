"""One group per role (tongxin.accounts.roles): roles are granted as group memberships."""

from django.db import migrations

ROLE_NAMES = ["组织部工作人员", "领导", "支部主委", "只读", "系统管理员", "安全管理员", "审计管理员"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
