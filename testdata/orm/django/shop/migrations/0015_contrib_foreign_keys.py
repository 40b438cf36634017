# Foreign keys to models of Django's own apps, whose migrations are not in the
# project: their tables are django_content_type and auth_group (not
# contenttypes_contenttype, auth_group), their keys integer (AutoField). Django adds
# a nullable foreign key inline (ADD COLUMN ... REFERENCES), which checks no row.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('shop', '0014_blank_string_fields'),
    ]

    operations = [
        migrations.AddField(  # want: require-concurrent-index-creation, statements-after-access-exclusive
            model_name='tag',
            name='content_type',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype'),
        ),
        migrations.AddField(  # want: require-concurrent-index-creation
            model_name='tag',
            name='group',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to='auth.group'),
        ),
    ]
