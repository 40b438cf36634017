# A nullable blank text field made NOT NULL without a default of its own: Django sets
# '' as the column default for the ALTER and drops it after, but backfills nothing
# (only a field default makes the four-way alteration), so the SET NOT NULL fails
# on any NULL row.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0016_condition_none')]

    operations = [
        migrations.AddField(  # want: none
            model_name='tag',
            name='note',
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AlterField(  # want: setting-not-null
            model_name='tag',
            name='note',
            field=models.CharField(blank=True, max_length=20),
        ),
    ]
