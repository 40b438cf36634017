"""The Django oracle: for each migration file given, in the order given, applies it with
`migrate` against the database migrated up to the migration before it, then unapplies
it (migrating its app back to the migration before it) and applies it again, and
prints the SQL Django's schema editor executed each way, as JSON on stdout. The apps
are the folders above each file's migrations/ directory (with Django's contenttypes
and auth).

    python3 django_oracle.py SOCKET_DIR DATABASE FILE...

The statements are recorded as the schema editor executes them (its
django.db.backends.schema log, written before each statement runs), with their
parameters quoted as `sqlmigrate` quotes them. `sqlmigrate` itself is not the oracle:
it executes nothing, so the constraint names it looks up in the database (the foreign
keys an AlterField or a RenameModel drops) are those of the schema before the
migration, and a table the migration renames earlier on is not found under its new
name: for a RenameModel it shows no foreign key dropped on the model's own
many-to-many tables, which `migrate` does drop and add again.
"""
import json
import logging
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
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

# Quotes parameters the way the schema editor does when it collects SQL (sqlmigrate).
quoter = connection.schema_editor(collect_sql=True)


class Recorder(logging.Handler):
    """Keeps the statements the schema editor logs while recording is on."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.sql = None

    def emit(self, record):
        if self.sql is None or not hasattr(record, "sql"):
            return
        sql, params = str(record.sql), getattr(record, "params", None)
        if params is not None:
            sql = sql % tuple(map(quoter.quote_value, params))
        self.sql.append(sql if sql.rstrip().endswith(";") else sql + ";")


recorder = Recorder()
schema_log = logging.getLogger("django.db.backends.schema")
schema_log.addHandler(recorder)
schema_log.setLevel(logging.DEBUG)
schema_log.propagate = False


def migrate(app, target):
    """Migrates app to target, returning the statements executed and the error, if any."""
    recorder.sql = []
    try:
        call_command("migrate", app, target, verbosity=0)
        err = ""
    except Exception as e:  # the ORM refuses the migration: report why
        err = str(e).splitlines()[0] if str(e) else type(e).__name__
    sql, recorder.sql = recorder.sql, None
    return ["\n".join(sql)] if sql else [], err


def parents(app, name):
    """The migrations name depends on (its parents in the graph)."""
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    return sorted(graph.node_map[(app, name)].parents)


def previous(app, name):
    """The migration of app before name, or "zero"."""
    same = [p[1] for p in parents(app, name) if p[0] == app]
    return same[-1] if same else "zero"


# The table of applied migrations, and the migrations of other apps each fixture
# depends on (contenttypes and auth), are made before its SQL is recorded: sqlmigrate
# showed the migration's own statements only.
MigrationRecorder(connection).ensure_schema()
results = []
for f in files:
    app = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(f))))
    name = os.path.splitext(os.path.basename(f))[0]
    for dep_app, dep in parents(app, name):
        if dep_app != app:
            call_command("migrate", dep_app, dep, verbosity=0)
    r = {"file": f}
    r["up"], err = migrate(app, name)
    if err:
        r["upError"] = err
    else:
        r["down"], err = migrate(app, previous(app, name))
        if err:
            r["downError"] = err
        else:
            call_command("migrate", app, name, verbosity=0)
    results.append(r)
print(json.dumps(results))
