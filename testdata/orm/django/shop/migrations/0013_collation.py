# db_collation: Django writes COLLATE after the column's type, and a collation
# changed by AlterField is ALTER COLUMN ... TYPE ... COLLATE (the whole column is
# locked and its indexes rebuilt, though the type is the same).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0012_tag_bigint')]

    operations = [
        migrations.AlterField(  # want: changing-column-type, narrowing-type-change
            model_name='tag',
            name='label',
            field=models.CharField(db_collation='C', max_length=40),
        ),
        migrations.AddField(
            model_name='tag',
            name='sort_key',
            field=models.CharField(db_collation='C', max_length=100, null=True),
        ),
    ]
