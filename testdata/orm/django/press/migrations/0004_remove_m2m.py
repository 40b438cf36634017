from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('press', '0003_rename_self')]

    operations = [
        migrations.RemoveField(  # want: dropping-table, removing-used-object
            model_name='periodical',
            name='publishers',
        ),
        migrations.RemoveField(  # want: dropping-table, removing-used-object
            model_name='writer',
            name='magazines',
        ),
        migrations.RemoveField(  # want: dropping-table, removing-used-object
            model_name='subject',
            name='related',
        ),
    ]
