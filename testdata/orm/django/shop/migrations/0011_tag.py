from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0010_run_python_reversible')]

    operations = [
        migrations.CreateModel(  # want: none
            name='Tag',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=40)),
            ],
        ),
    ]
