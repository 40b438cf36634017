# A condition comparing a field with None: Django writes IS NULL.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0015_contrib_foreign_keys')]

    operations = [
        migrations.AddConstraint(  # want: require-concurrent-index-creation
            model_name='tag',
            constraint=models.UniqueConstraint(condition=models.Q(('group', None)), fields=('label',), name='shop_tag_label_ungrouped'),
        ),
    ]
