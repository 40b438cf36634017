import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('press', '0006_alter_model_table')]

    operations = [
        # Renaming a foreign key's column drops the key and adds it again, named after
        # the new column.
        migrations.RenameField(  # want: adding-foreign-key-constraint, renaming-column, statements-after-access-exclusive
            model_name='critique',
            old_name='publisher',
            new_name='source',
        ),
        migrations.AlterField(  # want: adding-foreign-key-constraint
            model_name='critique',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='press.writer'),
        ),
    ]
