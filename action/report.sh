#!/usr/bin/env bash
# The report step of the migsafe GitHub Action (action.yml), runnable anywhere:
# checks the migrations a pull request changes and writes what the other steps post.
#
# Environment:
#   MIGSAFE_BIN   the migsafe binary                        (default: migsafe)
#   BASE          the pull request's base commit or ref     (required)
#   GITHUB_BASE_REF  the base branch, set by GitHub: its merge-base with HEAD stands in
#                 for a BASE no longer in the clone (the branch was force-pushed)
#   HEAD          the commit reviewed                        (default: HEAD)
#   PATHS         space-separated directories or files that hold migrations (default: .)
#   FAIL_ON       block, flag or never                       (default: block)
#   OUT           directory for the outputs                  (default: $RUNNER_TEMP/migsafe or ./migsafe-report)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   set by GitHub; written when present
#
# Writes to OUT: files.txt (the migrations checked), deleted.txt (the migrations the
# pull request deletes: named in the comment), report.json, report.sarif,
# comment.md (at most 65,536 characters, with the hidden marker the comment step finds
# it by), summary.md (the full report for the job summary) and exit-code (migsafe
# check's: 0, 1 for findings at or above FAIL_ON, 2 for an error). It exits 2 on its
# own errors and 0 otherwise: the action fails the job after it has posted.
set -euo pipefail
bin=${MIGSAFE_BIN:-migsafe}
base=${BASE:?BASE (the pull request base commit) is required}
head=${HEAD:-HEAD}
paths=${PATHS:-.}
fail_on=${FAIL_ON:-block}
out=${OUT:-${RUNNER_TEMP:+$RUNNER_TEMP/migsafe}}
out=${out:-migsafe-report}
marker='<!-- migsafe-pr-comment -->'
mkdir -p "$out"

if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  # The pull request's base.sha is the base branch's tip when the event fired: after a
  # force-push of that branch no ref holds it, so even fetch-depth: 0 does not fetch
  # it. The branch as it is now, where it meets the head, is the base then.
  ref=${GITHUB_BASE_REF:+origin/$GITHUB_BASE_REF}
  if [ -n "$ref" ] && mb=$(git merge-base "$ref" "$head" 2>/dev/null); then
    echo "::warning title=migsafe::base $base is not in this clone (was $GITHUB_BASE_REF force-pushed?): comparing with its merge-base with $ref, $mb" >&2
    base=$mb
  else
    echo "migsafe: base $base is not in this clone; check out with fetch-depth: 0 (actions/checkout)${ref:+, or $ref was force-pushed and shares no history with the head}" >&2
    exit 2
  fi
fi
# migrations FILE...: the paths that name migrations: .sql files, and the Ruby, Python,
# JavaScript and TypeScript files of a migration directory (db/migrate, migrations,
# versions), which is where migsafe reads ORM migrations (engine/orm.Candidate: a
# Rails project's db/migrate/*.rb were never checked). A helper module among them is
# checked too, and reported as no migration.
migrations() {
  grep -E '\.sql$|(^|/)([Mm]igrate|[Mm]igrations?|[Vv]ersions)/([^/]+/)*[^/]+\.(rb|py|js|cjs|mjs|ts|mts|cts)$' \
    | grep -vE '(^|/)__init__\.py$|\.d\.ts$|\.(test|spec)\.[^/]*$'
}
# The migrations the pull request adds or changes (renames count as changes),
# relative to the repository root, which is where the job runs.
# shellcheck disable=SC2086
git diff --name-only --diff-filter=ACMR -z "$base...$head" -- $paths \
  | tr '\0' '\n' | migrations | while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done > "$out/files.txt" || true
count=$(wc -l < "$out/files.txt" | tr -d ' ')
# Deleted migrations have nothing to check, but a reviewer must hear of them: where a
# migration has run, deleting its file undoes nothing.
# shellcheck disable=SC2086
git diff --name-only --diff-filter=D -z "$base...$head" -- $paths \
  | tr '\0' '\n' | migrations > "$out/deleted.txt" || true
deleted=$(wc -l < "$out/deleted.txt" | tr -d ' ')
# deletion_note FILE [WHICH]: the comment's note on the deleted migrations listed in FILE.
deletion_note() {
  local n
  n=$(wc -l < "$1" | tr -d ' ')
  [ "$n" -gt 0 ] || return 0
  printf '\n## Deleted migrations\n\nThis pull request deletes %s migration(s)%s:\n\n' "$n" "${2:-}"
  while IFS= read -r f; do printf -- '- `%s`\n' "$f"; done < "$1"
  printf '\nDeleting a migration undoes nothing where it has already run: those databases keep its changes, and runners that compare the applied history with the files (Flyway'"'"'s validate, for one) report it missing. Undo it with a new migration instead.\n'
}
note=$(deletion_note "$out/deleted.txt")
note=${note:+$note$'\n'} # $(...) drops the last newline

if [ "$count" -eq 0 ]; then
  if [ "$deleted" -gt 0 ]; then
    printf '%s\n# migsafe: ✅ no migrations to check\n\nThis pull request adds or changes no migration (`.sql`, or an ORM'"'"'s in its migrations directory) under `%s`.\n%s' "$marker" "$paths" "$note" > "$out/comment.md"
  else
    printf '%s\n# migsafe: ✅ no migrations changed\n\nThis pull request changes no migration (`.sql`, or an ORM'"'"'s in its migrations directory) under `%s`.\n' "$marker" "$paths" > "$out/comment.md"
  fi
  cp "$out/comment.md" "$out/summary.md"
  printf '{"version": 1, "files": [], "summary": {"files": 0, "block": 0, "flag": 0, "verdict": "SAFE TO SHIP"}}\n' > "$out/report.json"
  "$bin" check --format sarif --stdin-filename empty.sql < /dev/null > "$out/report.sarif" || true
  echo 0 > "$out/exit-code"
  verdict="SAFE TO SHIP"
else
  # --base tells migsafe which migrations are pending (tables they create are new and
  # empty); older binaries without it still check the files.
  base_flag=()
  if "$bin" check -h 2>&1 | grep -q -- '-base'; then
    base_flag=(--base "$base")
  else
    echo "migsafe: this migsafe has no check --base; migrations are checked without the pull request's base" >&2
  fi
  mapfile -t files < "$out/files.txt"
  run() { # run FORMAT FILE [ENV...]: one report; the exit code of the json run is the verdict's
    local format=$1 file=$2; shift 2
    set +e
    env "$@" "$bin" check "${base_flag[@]}" --fail-on "$fail_on" --format "$format" "${files[@]}" > "$file" 2> "$out/$format.err"
    local code=$?
    set -e
    if [ $code -eq 2 ]; then
      echo "migsafe check --format $format failed:" >&2
      cat "$out/$format.err" >&2
    fi
    return $code
  }
  code=0
  run json "$out/report.json" || code=$?
  echo "$code" > "$out/exit-code"
  if [ "$code" -eq 2 ]; then
    exit 2
  fi
  # check --base reports a deleted migration of a set it reads (deleted-deployed-
  # migration, naming the path): the note names only the others, or the comment named
  # those twice.
  while IFS= read -r f; do
    grep -qF -- "\"message\": \"the migration $f is in " "$out/report.json" || echo "$f"
  done < "$out/deleted.txt" > "$out/deleted-unreported.txt"
  which=""
  if [ "$(wc -l < "$out/deleted-unreported.txt")" -lt "$deleted" ]; then
    which=" besides those the report names"
  fi
  note=$(deletion_note "$out/deleted-unreported.txt" "$which")
  note=${note:+$note$'\n'}
  note_bytes=$(printf '%s' "$note" | wc -c | tr -d ' ')
  run sarif "$out/report.sarif" || true
  # The note on deleted migrations comes out of the comment's 65,536.
  run markdown "$out/comment.md" MIGSAFE_COMMENT_MARKER="$marker" MIGSAFE_MARKDOWN_LIMIT=$((65536 - note_bytes)) || true
  # The job summary holds up to 1 MiB: the full report, not the comment's cap.
  run markdown "$out/summary.md" MIGSAFE_MARKDOWN_LIMIT=1000000 || true
  if [ -n "$note" ]; then
    printf '%s' "$note" | tee -a "$out/comment.md" >> "$out/summary.md"
  fi
  verdict=$(sed -n 's/^  "summary": {.*"verdict": "\([^"]*\)".*/\1/p; s/^    "verdict": "\([^"]*\)"$/\1/p' "$out/report.json" | tail -1)
fi

echo "migsafe: $count migration(s) checked: $verdict"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "verdict=$verdict"
    echo "exit-code=$(cat "$out/exit-code")"
    echo "files=$count"
    echo "comment=$out/comment.md"
    echo "sarif=$out/report.sarif"
    echo "json=$out/report.json"
  } >> "$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$out/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
