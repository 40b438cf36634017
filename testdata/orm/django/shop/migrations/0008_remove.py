from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('shop', '0007_run_sql')]

    operations = [
        migrations.RemoveField(  # want: dropping-column, removing-used-object
            model_name='customer',
            name='about',
        ),
        migrations.DeleteModel(  # want: dropping-table, removing-used-object
            name='Order',
        ),
    ]
