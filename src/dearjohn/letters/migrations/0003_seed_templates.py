from django.db import migrations


def seed(apps, schema_editor):
    from dearjohn.letters.seeding import seed_templates

    seed_templates(apps.get_model("letters", "LetterTemplate"))


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0002_templates_batches_suppressions"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
