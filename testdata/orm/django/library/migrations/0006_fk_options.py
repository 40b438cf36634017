import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('library', '0005_delete')]

    operations = [
        migrations.AddField(  # want: none
            model_name='book',
            name='editor',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='library.author'),
        ),
        migrations.AddField(  # want: require-concurrent-index-creation, statements-after-access-exclusive
            model_name='book',
            name='genre',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, to='library.genre'),
        ),
    ]
