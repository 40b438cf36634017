from django.db import migrations


def backfill(apps, schema_editor):
    Customer = apps.get_model('shop', 'Customer')
    Customer.objects.filter(plan='').update(plan='free')


class Migration(migrations.Migration):
    dependencies = [('shop', '0006_renames')]

    operations = [
        migrations.RunSQL(  # want: none
            "SET lock_timeout = '5s'",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(  # want: unbatched-backfill
            "UPDATE shop_customer SET plan = 'free' WHERE plan IS NULL",
            reverse_sql="UPDATE shop_customer SET plan = NULL WHERE plan = 'free'",
        ),
        migrations.RunSQL(  # want: missing-down-migration
            "CREATE TABLE shop_audit (id bigserial PRIMARY KEY, note text)",
        ),
        migrations.RunPython(backfill),  # want: missing-down-migration
    ]
# want-problem: RunPython runs Python code
