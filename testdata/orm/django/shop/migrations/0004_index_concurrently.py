from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [('shop', '0003_alter_fields')]

    operations = [
        AddIndexConcurrently(  # want: none
            model_name='order',
            index=models.Index(fields=['created'], name='shop_order_created_idx'),
        ),
        AddIndexConcurrently(  # want: none
            model_name='order',
            index=models.Index(fields=['-total'], name='shop_order_total_idx', condition=models.Q(total__gt=0)),
        ),
        # The index is created above, in this migration: dropping it breaks nothing.
        RemoveIndexConcurrently(  # want: none
            model_name='order',
            name='shop_order_total_idx',
        ),
    ]
