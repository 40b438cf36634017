from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0002_add_fields')]

    operations = [
        migrations.AlterField(  # want: changing-column-type
            model_name='customer',
            name='age',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AlterField(  # want: setting-not-null
            model_name='customer',
            name='nickname',
            field=models.CharField(max_length=50),
        ),
        migrations.AlterField(  # want: none
            model_name='customer',
            name='name',
            field=models.CharField(max_length=100, help_text='Full name'),
        ),
    ]
