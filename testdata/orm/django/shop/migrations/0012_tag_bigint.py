# An AutoField primary key widened to BigAutoField (DEFAULT_AUTO_FIELD changed):
# Django changes the column to bigint, a rewrite, and recreates its sequence.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0011_tag')]

    operations = [
        migrations.AlterField(  # want: changing-column-type
            model_name='tag',
            name='id',
            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
    ]
