import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('press', '0004_remove_m2m')]

    operations = [
        # The model's own foreign key keeps the name it was created with: altering it
        # later drops it under that name.
        migrations.RenameModel(  # want: renaming-table
            old_name='Review',
            new_name='Critique',
        ),
        migrations.AlterField(  # want: adding-foreign-key-constraint, statements-after-access-exclusive
            model_name='critique',
            name='publisher',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='press.writer'),
        ),
        migrations.AddField(  # want: none
            model_name='writer',
            name='books',
            field=models.ManyToManyField(to='press.publisher'),
        ),
    ]
