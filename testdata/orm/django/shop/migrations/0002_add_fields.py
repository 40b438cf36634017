from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]

    operations = [
        migrations.AddField(  # want: none
            model_name='customer',
            name='bio',
            field=models.TextField(null=True),
        ),
        migrations.AddField(  # want: adding-required-column
            model_name='customer',
            name='phone',
            field=models.CharField(max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(  # want: none
            model_name='customer',
            name='plan',
            field=models.CharField(default='free', max_length=10),
        ),
        # Django adds the column with its foreign key inline and no default: every row
        # holds NULL, so PostgreSQL checks no row (10 and 15: nothing read). It builds the
        # index at the end of the migration, inside the same transaction, under the ADD
        # COLUMN's lock.
        migrations.AddField(  # want: require-concurrent-index-creation, statements-after-access-exclusive
            model_name='order',
            name='referrer',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to='shop.customer', related_name='+'),
        ),
    ]
