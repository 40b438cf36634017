import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('library', '0003_remove_m2m')]

    operations = [
        migrations.CreateModel(  # want: none
            name='Credit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(max_length=20)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='library.author')),
                ('book', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='library.book')),
            ],
        ),
        migrations.AddField(  # want: none
            model_name='book',
            name='credited',
            field=models.ManyToManyField(related_name='credits', through='library.Credit', to='library.Author'),
        ),
    ]
