#!/usr/bin/env bash
# Installs the ORMs the ORM oracle test (engine/orm TestOracle) runs against migsafe's
# front ends. Idempotent: what is already there is left alone.
#
#   Rails     Debian's ruby-activerecord and ruby-pg (ActiveRecord 6.1)
#   Django    Debian's python3-django and python3-psycopg2 (Django 3.2)
#   Alembic   Debian's python3-alembic (Alembic 1.8, SQLAlchemy 1.4)
#   Knex, TypeORM, Sequelize   npm ci in engine/orm/oracle/node (versions pinned in its
#             package.json and package-lock.json)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

have_python() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }

missing=()
command -v ruby >/dev/null && ruby -e 'require "active_record"; require "pg"' >/dev/null 2>&1 || missing+=(ruby-activerecord ruby-pg)
have_python django || missing+=(python3-django)
have_python psycopg2 || missing+=(python3-psycopg2)
have_python alembic || missing+=(python3-alembic)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
	echo "orms: installing ${missing[*]} with apt-get"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
else
	echo "orms: ActiveRecord, Django, Alembic present"
fi

cd "$repo/engine/orm/oracle/node"
if [ -d node_modules/knex ] && [ -d node_modules/typeorm ] && [ -d node_modules/sequelize ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
	echo "orms: Knex, TypeORM, Sequelize present"
else
	echo "orms: npm ci (Knex, TypeORM, Sequelize)"
	npm ci --no-audit --no-fund --silent
fi
