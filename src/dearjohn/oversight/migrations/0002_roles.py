"""Create the program's roles as groups with their permissions (see oversight/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from dearjohn.oversight.roles import sync_roles

    sync_roles(apps, strict=False)  # later migrations' permissions come with the post_migrate sync


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("oversight", "0001_initial"),
        ("evidence", "0001_initial"),
        ("vehicles", "0001_initial"),
        ("cases", "0001_initial"),
        ("letters", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
