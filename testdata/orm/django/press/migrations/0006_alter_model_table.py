import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('press', '0005_rename_referencing')]

    operations = [
        # A new db_table renames the model's many-to-many tables too; the keys keep
        # their names, so altering one pointing at it drops it under its old name.
        migrations.AlterModelTable(  # want: renaming-table, renaming-table
            name='writer',
            table='press_authors',
        ),
        migrations.AlterField(  # want: adding-foreign-key-constraint, statements-after-access-exclusive
            model_name='critique',
            name='publisher',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='press.publisher'),
        ),
    ]
