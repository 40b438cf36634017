import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('library', '0006_fk_options')]

    operations = [
        migrations.AlterField(  # want: adding-foreign-key-constraint, require-concurrent-index-creation, statements-after-access-exclusive
            model_name='book',
            name='editor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='library.genre'),  # want: changing-column-type, narrowing-type-change
        ),
        migrations.AlterField(  # want: adding-foreign-key-constraint
            model_name='book',
            name='genre',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to='library.genre'),
        ),
    ]
