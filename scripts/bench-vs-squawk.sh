#!/usr/bin/env bash
# migsafe against squawk, like for like, over the same real migrations:
#
#   scripts/bench-vs-squawk.sh [CORPUS_DIR] [RUNS]
#
# Both tools get the same file list on the command line and write to /dev/null, in the
# same format: `migsafe check --format json` against `squawk --reporter json`, and
# migsafe's text against squawk's default (text) reporter. The runs are paired: each
# round runs all four commands back to back (the order alternating from round to round),
# so the two tools of a pair see the same machine load, and the ratio is taken per round.
# Wall time, CPU time (user + system) and peak resident memory come from wait4(2) for
# each process. It ends with the parse floor: pg_query's own cost over the same files
# (go test ./engine/migration -bench CorpusFloor), the part of migsafe's time no
# change outside the C parser can remove.
#
# CORPUS_DIR defaults to the first shared/corpus found walking up from the repository
# (../shared/corpus beside it); RUNS to 20. squawk comes from its npm package (squawk-cli
# ships the native binary; the binary is run directly, never through node), installed
# into MIGSAFE_BENCH_CACHE (default ~/.cache/migsafe-bench), as scripts/bench-lsp.sh does.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-}
if [ -z "$corpus" ]; then
	dir=$root
	while [ "$dir" != / ] && [ ! -d "$dir/shared/corpus" ]; do dir=$(dirname "$dir"); done
	corpus=$dir/shared/corpus
fi
runs=${2:-20}
cache=${MIGSAFE_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migsafe-bench}
squawk_version=${SQUAWK_VERSION:-2.66.0}

if [ ! -d "$corpus" ]; then
	echo "bench-vs-squawk: no corpus at $corpus (pass one as the first argument)" >&2
	exit 2
fi

prefix=$cache/squawk-$squawk_version
find_squawk() { find "$prefix/node_modules" -path '*/bin/squawk' -type f ! -path '*/js/*' 2>/dev/null | head -n1 || true; }
squawk=$(find_squawk)
if [ -z "$squawk" ]; then
	echo "installing squawk-cli@$squawk_version into $prefix" >&2
	mkdir -p "$prefix"
	npm install --prefix "$prefix" --no-audit --no-fund --silent "squawk-cli@$squawk_version" >&2
	squawk=$(find_squawk)
fi
if [ -z "$squawk" ] || ! "$squawk" --version >/dev/null 2>&1; then
	echo "bench-vs-squawk: squawk-cli installed no runnable native binary under $prefix" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
migsafe=$work/migsafe
go build -C "$root" -o "$migsafe" ./cmd/migsafe

find "$corpus" -name '*.sql' -type f | sort >"$work/files"
echo "files: $(wc -l <"$work/files") .sql files, $(xargs -a "$work/files" -d '\n' cat | wc -c) bytes, under $corpus"
echo "migsafe: $("$migsafe" version | head -n1)   squawk: $("$squawk" --version)   cpus: $(nproc)"

python3 - "$work/files" "$runs" "$migsafe" "$squawk" <<'PY'
import os, statistics, subprocess, sys, time

files = open(sys.argv[1]).read().split("\n")[:-1]
runs, migsafe, squawk = int(sys.argv[2]), sys.argv[3], sys.argv[4]
commands = {
    ("json", "migsafe"): [migsafe, "check", "--format", "json", "--fail-on", "never"] + files,
    ("json", "squawk"): [squawk, "--reporter", "json"] + files,
    ("text", "migsafe"): [migsafe, "check", "--format", "text", "--fail-on", "never"] + files,
    ("text", "squawk"): [squawk] + files,
}

def run(argv):
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=null, stderr=null)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code < 0 or (argv[0] == migsafe and code != 0):
        sys.exit(f"bench-vs-squawk: {os.path.basename(argv[0])} exited {code}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024

order = list(commands)
samples = {k: [] for k in commands}
for r in range(2 + runs):  # two warm-up rounds
    for k in (order if r % 2 == 0 else order[::-1]):
        s = run(commands[k])
        if r >= 2:
            samples[k].append(s)

med = statistics.median
print(f"\n{runs} paired rounds; medians (wall and CPU in ms, peak RSS in MiB)")
print(f"{'format':<7}{'tool':<9}{'wall':>9}{'CPU':>9}{'peak RSS':>10}")
for fmt in ("json", "text"):
    for tool in ("migsafe", "squawk"):
        s = samples[(fmt, tool)]
        print(f"{fmt:<7}{tool:<9}{med(x[0] for x in s)*1000:>9.1f}{med(x[1] for x in s)*1000:>9.1f}{max(x[2] for x in s):>10.1f}")
print()
for fmt in ("json", "text"):
    m, s = samples[(fmt, "migsafe")], samples[(fmt, "squawk")]
    wall = med(a[0] / b[0] for a, b in zip(m, s))
    cpu = med(a[1] / b[1] for a, b in zip(m, s))
    mem = max(a[2] for a in m) / max(b[2] for b in s)
    print(f"{fmt}: migsafe/squawk wall {wall:.2f}x, CPU {cpu:.2f}x, peak memory {mem:.2f}x "
          f"(wall per round: {min(a[0]/b[0] for a, b in zip(m, s)):.2f}x to {max(a[0]/b[0] for a, b in zip(m, s)):.2f}x)")
PY

echo
echo "parse floor over the same files (ms per pass over all of them, on $(nproc) goroutines):"
(cd "$root" && MIGSAFE_CORPUS=$corpus go test ./engine/migration -run '^$' -bench CorpusFloor -benchtime 20x) |
	awk '/^Benchmark/ { name = $1; sub(/^BenchmarkCorpusFloor\//, "", name); sub(/-[0-9]+$/, "", name); printf "  %-22s %8.1f ms\n", name, $3 / 1e6 }'
