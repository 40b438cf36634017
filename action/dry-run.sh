#!/usr/bin/env bash
# A local dry run of the migsafe action: builds a pull request as a git repository
# (testdata/action/base as the base commit, testdata/action/head added on top), runs the
# report step on it as the action does, and prints the comment the API step would post,
# without network.
#   action/dry-run.sh [EXTRA_MIGRATION...]   (extra files are added to the head commit)
#   MIGSAFE_BIN=/path/to/migsafe action/dry-run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${MIGSAFE_BIN:-}
if [ -z "$bin" ]; then
  bin=$work/migsafe
  go build -C "$root" -o "$bin" ./cmd/migsafe
fi

repo=$work/repo
mkdir -p "$repo"
cp -r "$root/testdata/action/base/." "$repo/"
cd "$repo"
git init -q -b main
git -c user.name=base -c user.email=base@example.com add -A
git -c user.name=base -c user.email=base@example.com commit -qm base
base=$(git rev-parse HEAD)
git checkout -q -b feature
cp -r "$root/testdata/action/head/." "$repo/"
n=3
for extra in "$@"; do
  cp "$extra" "db/migrations/V${n}__$(basename "$extra" | sed 's/^V[0-9_]*__//')"
  n=$((n+1))
done
git -c user.name=head -c user.email=head@example.com add -A
git -c user.name=head -c user.email=head@example.com commit -qm "add phone"
head=$(git rev-parse HEAD)

# What GitHub sets for a pull_request workflow, and what action.yml passes.
export GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/shop GITHUB_RUN_ID=4242 \
  GITHUB_SHA=0000000000000000000000000000000000000000 MIGSAFE_COMMIT=$head \
  GITHUB_OUTPUT=$work/github-output GITHUB_STEP_SUMMARY=$work/step-summary
MIGSAFE_BIN=$bin BASE=$base HEAD=$head PATHS=db/migrations OUT=$work/out "$root/action/report.sh"
echo "-- outputs: $(tr '\n' ' ' < "$work/github-output")"
echo "-- checked: $(tr '\n' ' ' < "$work/out/files.txt")"
DRY_RUN=1 BODY_FILE=$work/out/comment.md PR_NUMBER=7 node "$root/action/comment.mjs"
if [ -n "${DRY_RUN_KEEP:-}" ]; then
  mkdir -p "$DRY_RUN_KEEP" && cp -r "$work/out/." "$work/github-output" "$work/step-summary" "$DRY_RUN_KEEP/"
fi
