import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial'), ('users', '0001_initial')]

    operations = [
        migrations.CreateModel(  # want: none
            name='Order',
            fields=[
                ('id', models.BigAutoField(primary_key=True)),
                ('total', models.IntegerField()),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='users.account')),
            ],
        ),
    ]
