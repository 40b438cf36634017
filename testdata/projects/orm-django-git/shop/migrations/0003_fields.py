from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0002_orders')]

    operations = [
        # Order is created by 0002, pending on this branch too: new and empty.
        migrations.AddField(  # want: none
            model_name='order',
            name='note',
            field=models.TextField(),
        ),
        migrations.AddIndex(  # want: none
            model_name='order',
            index=models.Index(fields=['total'], name='shop_order_total_idx'),
        ),
        # Customer is deployed (on main).
        migrations.AddField(  # want: adding-required-column
            model_name='customer',
            name='phone',
            field=models.CharField(max_length=20),
        ),
        migrations.AddIndex(  # want: require-concurrent-index-creation, statements-after-access-exclusive
            model_name='customer',
            index=models.Index(fields=['name'], name='shop_customer_name_idx'),
        ),
    ]
