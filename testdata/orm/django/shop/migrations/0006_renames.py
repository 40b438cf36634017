from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('shop', '0005_constraints')]

    operations = [
        migrations.RenameField(  # want: renaming-column
            model_name='customer',
            old_name='bio',
            new_name='about',
        ),
        migrations.AlterModelTable(  # want: renaming-table
            name='order',
            table='shop_order',
        ),
    ]
