#!/usr/bin/env bash
# Builds release archives of migsafe for Linux and their checksums:
#   scripts/release.sh v1.2.3 [OUTDIR]          (default OUTDIR: dist/)
#   RELEASE_ARCHES="amd64" scripts/release.sh v1.2.3
# migsafe links PostgreSQL's parser (pg_query_go) with cgo, so every architecture
# needs a C compiler for it: gcc for the host's, aarch64-linux-gnu-gcc (Debian's
# gcc-aarch64-linux-gnu) for arm64 on an amd64 machine. The version, the commit and its
# time are linked in with -ldflags, so `migsafe version` and SARIF's driver.version
# name them even where Go records no VCS information (a worktree, -buildvcs=false).
# The binaries are linked statically (the C library too, Go's own DNS resolver and user
# lookup: netgo, osusergo): dynamically linked on Debian 12 they needed glibc 2.34, so
# they failed to start on Ubuntu 20.04, Debian 11, RHEL 8 and Amazon Linux 2 CI images
# ("version GLIBC_2.34 not found"). The script refuses a binary that is not static.
set -euo pipefail
version=${1:?usage: scripts/release.sh VERSION [OUTDIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$root/dist}
arches=${RELEASE_ARCHES:-amd64 arm64}
cd "$root"

case $version in
  v[0-9]*) ;;
  *) echo "release: version $version should look like v1.2.3" >&2; exit 2 ;;
esac
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "release: the work tree has uncommitted changes; commit them first" >&2
  exit 2
fi
revision=$(git rev-parse HEAD)
committed=$(git log -1 --format=%cI)
ldflags="-s -w -X main.buildVersion=$version -X main.buildRevision=$revision -X main.buildTime=$committed -linkmode external -extldflags -static"
host=$(go env GOARCH)

mkdir -p "$out"
archives=()
for arch in $arches; do
  cc=gcc
  if [ "$arch" != "$host" ]; then
    case $arch in
      arm64) cc=aarch64-linux-gnu-gcc ;;
      amd64) cc=x86_64-linux-gnu-gcc ;;
      *) echo "release: no C cross compiler known for $arch" >&2; exit 2 ;;
    esac
  fi
  if ! command -v "$cc" >/dev/null; then
    echo "release: linux/$arch needs the C compiler $cc (Debian: apt-get install gcc-${cc%-gcc}); or set RELEASE_ARCHES" >&2
    exit 2
  fi
  name=migsafe_${version#v}_linux_$arch
  stage=$(mktemp -d)/$name
  mkdir -p "$stage"
  echo "== building $name with $cc"
  CGO_ENABLED=1 GOOS=linux GOARCH=$arch CC=$cc go build -trimpath -tags netgo,osusergo -ldflags "$ldflags" -o "$stage/migsafe" ./cmd/migsafe
  # A static ELF has no program interpreter (PT_INTERP): readelf and ldd read it so.
  if LC_ALL=C readelf -l "$stage/migsafe" 2>/dev/null | grep -q 'Requesting program interpreter'; then
    echo "release: linux/$arch binary is dynamically linked; it would need the build machine's C library" >&2
    exit 1
  fi
  if [ "$arch" = "$host" ]; then
    got=$("$stage/migsafe" version | sed -n 1p)
    case $got in
      "migsafe $version"*) echo "   $got" ;;
      *) echo "release: the built binary says \"$got\", not $version" >&2; exit 1 ;;
    esac
  fi
  cp README.md "$stage/"
  [ -f LICENSE ] && cp LICENSE "$stage/"
  tar -C "$(dirname "$stage")" -czf "$out/$name.tar.gz" "$name"
  archives+=("$name.tar.gz")
done
(cd "$out" && sha256sum "${archives[@]}" > SHA256SUMS && cat SHA256SUMS)
echo "release $version ($revision): ${#archives[@]} archive(s) and SHA256SUMS in $out"
