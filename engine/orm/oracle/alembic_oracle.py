"""The Alembic oracle: for each revision file given, prints the SQL Alembic's offline
mode (`alembic upgrade --sql`, Debian's python3-alembic) generates for upgrading from
its down_revision to it and for downgrading back, as JSON on stdout. Offline mode
needs no database; the dialect is PostgreSQL's.

    python3 alembic_oracle.py FILE...
"""
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

ENV = '''
from alembic import context
context.configure(url="postgresql://", literal_binds=True, dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
'''

files = sys.argv[1:]
work = tempfile.mkdtemp(prefix="alembic-oracle-")
try:
    with open(os.path.join(work, "env.py"), "w") as f:
        f.write(ENV)
    with open(os.path.join(work, "script.py.mako"), "w") as f:
        f.write("")
    versions = os.path.join(work, "versions")
    os.mkdir(versions)
    for f in files:
        shutil.copy(f, versions)
    cfg = Config()
    cfg.set_main_option("script_location", work)
    script = ScriptDirectory.from_config(cfg)
    results = []
    for f in files:
        name = os.path.basename(f)
        rev = next(s for s in script.walk_revisions() if os.path.basename(s.path) == name)
        down = rev.down_revision or "base"
        if isinstance(down, tuple):
            down = down[0]
        r = {"file": f}
        for key, fn, arg in (("up", command.upgrade, "%s:%s" % (down, rev.revision)),
                             ("down", command.downgrade, "%s:%s" % (rev.revision, down))):
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    fn(cfg, arg, sql=True)
                r[key] = [out.getvalue()]
            except Exception as e:
                r[key] = [out.getvalue()]
                r[key + "Error"] = str(e).splitlines()[0] if str(e) else type(e).__name__
        results.append(r)
    print(json.dumps(results))
finally:
    shutil.rmtree(work)
