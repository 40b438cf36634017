from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(  # want: none
            name='Account',
            fields=[
                ('id', models.BigAutoField(primary_key=True)),
                ('email', models.CharField(max_length=200)),
            ],
        ),
    ]
