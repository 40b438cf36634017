# AddIndexConcurrently in an atomic migration: Django refuses it, PostgreSQL would too.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('failing', '0001_initial')]

    operations = [
        AddIndexConcurrently(  # want: concurrently-in-transaction
            model_name='thing',
            index=models.Index(fields=['label'], name='failing_thing_label_idx'),
        ),
    ]
