#!/usr/bin/env bash
# Installs the migration runners the real-runner suite (tests/runners) drives through
# their own command lines. Idempotent: a runner at its pinned version is left alone.
#
#   goose v3.30.0, golang-migrate v4.20.1, dbmate v2.28.0   from the Go module proxy,
#                     built into ${MIGSAFE_RUNNERS:-~/.cache/migsafe/runners}
#   sqitch, DBD::Pg   from Debian's packages (sqitch, libdbd-pg-perl)
#   psql              comes with PostgreSQL 15 (scripts/install-postgres.sh)
#
# Flyway, Prisma and Diesel need a JVM, Node's engines or Rust and do not install from
# these registries; the suite emulates their documented behaviour (tests/runners/emulated.go).
set -euo pipefail
export PATH="/usr/local/go/bin:$PATH"

dir="${MIGSAFE_RUNNERS:-${XDG_CACHE_HOME:-$HOME/.cache}/migsafe/runners}"
mkdir -p "$dir"

goose_version=v3.30.0
migrate_version=v4.20.1
dbmate_version=v2.28.0

have() { [ -x "$dir/$1" ] && [ -f "$dir/$1.version" ] && [ "$(cat "$dir/$1.version")" = "$2" ]; }

if have goose "$goose_version"; then
	echo "goose $goose_version: present"
else
	echo "goose $goose_version: building"
	# Only the PostgreSQL driver: the other drivers cost minutes of compiling.
	GOBIN="$dir" go install -tags 'no_clickhouse no_libsql no_mssql no_mysql no_sqlite3 no_vertica no_ydb no_duckdb no_spanner no_starrocks no_turso' \
		"github.com/pressly/goose/v3/cmd/goose@$goose_version"
	echo "$goose_version" >"$dir/goose.version"
fi

if have migrate "$migrate_version"; then
	echo "golang-migrate $migrate_version: present"
else
	echo "golang-migrate $migrate_version: building"
	GOBIN="$dir" go install -tags postgres "github.com/golang-migrate/migrate/v4/cmd/migrate@$migrate_version"
	echo "$migrate_version" >"$dir/migrate.version"
fi

if have dbmate "$dbmate_version"; then
	echo "dbmate $dbmate_version: present"
else
	echo "dbmate $dbmate_version: building"
	# `go install dbmate@version` fails: the proxy does not serve dbmate's version list,
	# which go install reads for deprecations. A module that requires it builds it.
	build=$(mktemp -d)
	trap 'rm -rf "$build"' EXIT
	cat >"$build/go.mod" <<MOD
module dbmatebuild

go 1.24

require github.com/amacneil/dbmate/v2 $dbmate_version
MOD
	printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/amacneil/dbmate/v2"\n' >"$build/tools.go"
	(cd "$build" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 && GOFLAGS=-mod=mod go build -o "$dir/dbmate" github.com/amacneil/dbmate/v2)
	echo "$dbmate_version" >"$dir/dbmate.version"
fi

if command -v sqitch >/dev/null && perl -MDBD::Pg -e1 2>/dev/null; then
	echo "sqitch: present ($(sqitch --version))"
else
	echo "sqitch: installing sqitch and libdbd-pg-perl with apt-get"
	as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqitch libdbd-pg-perl >/dev/null
fi
