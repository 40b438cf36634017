# RunPython with a reverse: Django can unapply the migration (no missing-down), and
# its down runs Python migsafe does not see (no empty-down either).
from django.db import migrations


def forwards(apps, schema_editor):
    pass


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('shop', '0009_rename_model')]

    operations = [
        migrations.RunPython(forwards, reverse_code=backwards),  # want: none
        migrations.RunPython(forwards, migrations.RunPython.noop),  # want: none
    ]
# want-problem: RunPython runs Python code
# want-problem: RunPython runs Python code
