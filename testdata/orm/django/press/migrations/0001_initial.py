import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(  # want: none
            name='Publisher',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40)),
            ],
        ),
        migrations.CreateModel(  # want: none
            name='Magazine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=80)),
                ('publishers', models.ManyToManyField(to='press.Publisher')),
                ('sponsors', models.ManyToManyField(db_table='press_sponsorship', related_name='sponsored', to='press.Publisher')),
            ],
        ),
        migrations.CreateModel(  # want: none
            name='Writer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40)),
                ('magazines', models.ManyToManyField(to='press.Magazine')),
            ],
        ),
        migrations.CreateModel(  # want: none
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('publisher', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='press.publisher')),
            ],
        ),
        migrations.CreateModel(  # want: none
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('related', models.ManyToManyField(blank=True, to='press.Topic')),
            ],
        ),
    ]
