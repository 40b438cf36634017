from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('shop', '0008_remove')]

    operations = [
        migrations.RemoveIndex(  # want: require-concurrent-index-deletion, dropping-index
            model_name='customer',
            name='shop_customer_name_idx',
        ),
        migrations.RenameModel(  # want: renaming-table
            old_name='Customer',
            new_name='Client',
        ),
    ]
