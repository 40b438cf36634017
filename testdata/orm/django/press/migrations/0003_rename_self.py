from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('press', '0002_rename_model')]

    operations = [
        # A many-to-many field to its own model: both columns of its through table are
        # named after the model. (With another model's relation to it as well, the
        # order Django alters them in when unapplying follows Python's string hashing,
        # so this model has no other.)
        migrations.RenameModel(  # want: adding-foreign-key-constraint, adding-foreign-key-constraint, renaming-column, renaming-column, renaming-table, renaming-table, statements-after-access-exclusive
            old_name='Topic',
            new_name='Subject',
        ),
    ]
