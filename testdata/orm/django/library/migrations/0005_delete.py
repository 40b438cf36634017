from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('library', '0004_through')]

    operations = [
        migrations.RemoveField(  # want: none
            model_name='book',
            name='credited',
        ),
        migrations.DeleteModel(  # want: dropping-table, removing-used-object
            name='Credit',
        ),
        migrations.RemoveField(  # want: dropping-table, removing-used-object
            model_name='book',
            name='authors',
        ),
    ]
