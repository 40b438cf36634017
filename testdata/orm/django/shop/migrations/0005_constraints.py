from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0004_index_concurrently')]

    operations = [
        migrations.AddIndex(  # want: require-concurrent-index-creation
            model_name='customer',
            index=models.Index(fields=['name'], name='shop_customer_name_idx'),
        ),
        migrations.AddConstraint(  # want: constraint-missing-not-valid
            model_name='customer',
            constraint=models.CheckConstraint(check=models.Q(age__gte=0), name='customer_age_nonnegative'),
        ),
        migrations.AddConstraint(  # want: adding-unique-constraint
            model_name='customer',
            constraint=models.UniqueConstraint(fields=['name', 'phone'], name='customer_name_phone_uniq'),
        ),
        migrations.AlterUniqueTogether(  # want: adding-unique-constraint, statements-after-access-exclusive
            name='order',
            unique_together={('customer', 'created')},
        ),
    ]
