# Non-null blank string fields beyond CharField and TextField: Django adds them with
# DEFAULT '' (the field's effective default), then drops the default, so existing
# rows get '' and the NOT NULL holds.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0013_collation')]

    operations = [
        migrations.AddField(  # want: none
            model_name='tag',
            name='icon',
            field=models.FileField(blank=True, upload_to='icons'),
        ),
        migrations.AddField(  # want: none
            model_name='tag',
            name='template',
            field=models.FilePathField(blank=True, path='/srv/templates'),
        ),
    ]
