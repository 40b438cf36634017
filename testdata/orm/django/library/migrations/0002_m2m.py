from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('library', '0001_initial')]

    operations = [
        migrations.AddField(  # want: none
            model_name='book',
            name='genres',
            field=models.ManyToManyField(related_name='books', to='library.Genre'),
        ),
        migrations.AddField(  # want: none
            model_name='book',
            name='related',
            field=models.ManyToManyField(blank=True, to='library.Book'),
        ),
    ]
