"""The Django oracle: for each migration file given, in the order given, prints the
SQL `manage.py sqlmigrate` shows for it (forwards, against the database migrated up
to the migration before it) and `sqlmigrate --backwards` (after applying it), as JSON
on stdout. The apps are the folders above each file's migrations/ directory (with
Django's contenttypes and auth).

    python3 django_oracle.py SOCKET_DIR DATABASE FILE...
"""
import io
import json
import os
import sys

socket, database, files = sys.argv[1], sys.argv[2], sys.argv[3:]
apps = []
roots = set()
for f in files:
    app_dir = os.path.dirname(os.path.dirname(os.path.abspath(f)))
    roots.add(os.path.dirname(app_dir))
    if os.path.basename(app_dir) not in apps:
        apps.append(os.path.basename(app_dir))
sys.path[:0] = sorted(roots)

import django
from django.conf import settings

settings.configure(
    # Django's own apps, for the fixtures' foreign keys to their models.
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"] + apps,
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "HOST": socket,
                           "NAME": database, "USER": "postgres"}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    USE_TZ=True,
)
django.setup()
from django.core.management import call_command


def sqlmigrate(app, name, backwards=False):
    out = io.StringIO()
    try:
        call_command("sqlmigrate", app, name, backwards=backwards, stdout=out)
    except Exception as e:  # the ORM refuses the migration: report why
        return [], str(e).splitlines()[0]
    return [out.getvalue()], ""


results = []
for f in files:
    app = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(f))))
    name = os.path.splitext(os.path.basename(f))[0]
    r = {"file": f}
    r["up"], err = sqlmigrate(app, name)
    if err:
        r["upError"] = err
    else:
        call_command("migrate", app, name, verbosity=0)
        r["down"], err = sqlmigrate(app, name, backwards=True)
        if err:
            r["downError"] = err
    results.append(r)
print(json.dumps(results))
