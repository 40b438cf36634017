from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('library', '0007_alter_fk')]

    operations = [
        migrations.RenameModel(  # want: adding-foreign-key-constraint, renaming-table, statements-after-access-exclusive
            old_name='Genre',
            new_name='Category',
        ),
    ]
