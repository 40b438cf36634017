from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('press', '0001_initial')]

    operations = [
        # Django renames the model's table, the through tables of its many-to-many
        # fields (not one with a db_table) and their column named after the model, and
        # the column of another model's many-to-many through table pointing at it, each
        # column's foreign key dropped before and added after.
        migrations.RenameModel(  # want: adding-foreign-key-constraint, adding-foreign-key-constraint, adding-foreign-key-constraint, renaming-column, renaming-column, renaming-column, renaming-table, renaming-table, statements-after-access-exclusive
            old_name='Magazine',
            new_name='Periodical',
        ),
    ]
