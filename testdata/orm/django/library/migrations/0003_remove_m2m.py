from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('library', '0002_m2m')]

    operations = [
        migrations.RemoveField(  # want: dropping-table, removing-used-object
            model_name='book',
            name='genres',
        ),
    ]
