#!/usr/bin/env bash
# Times `migsafe check` against squawk over the same real migrations.
#
#   scripts/bench-vs-squawk.sh [CORPUS_DIR] [RUNS]
#
# CORPUS_DIR defaults to the first shared/corpus found walking up from the repository
# (../shared/corpus beside it); RUNS to 10.
# squawk comes from its npm package (squawk-cli ships a native binary) installed under
# .cache/squawk; hyperfine is used when installed (apt package hyperfine), otherwise a
# plain timing loop. Both tools get the same file list and write to /dev/null; squawk's
# exit code is ignored (it exits non-zero when it finds something), and so is
# migsafe's (--fail-on never).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-}
if [ -z "$corpus" ]; then
	dir=$root
	while [ "$dir" != / ] && [ ! -d "$dir/shared/corpus" ]; do dir=$(dirname "$dir"); done
	corpus=$dir/shared/corpus
fi
runs=${2:-10}
cache=$root/.cache

if [ ! -d "$corpus" ]; then
	echo "bench-vs-squawk: no corpus at $corpus (pass one as the first argument)" >&2
	exit 2
fi

squawk=$(find "$cache/squawk/node_modules" -path '*/bin/squawk' -type f ! -path '*/js/*' 2>/dev/null | head -n1 || true)
if [ -z "$squawk" ]; then
	echo "installing squawk-cli into $cache/squawk" >&2
	npm install --silent --prefix "$cache/squawk" squawk-cli >&2
	squawk=$(find "$cache/squawk/node_modules" -path '*/bin/squawk' -type f ! -path '*/js/*' | head -n1)
fi
if [ -z "$squawk" ] || ! "$squawk" --version >/dev/null 2>&1; then
	echo "bench-vs-squawk: squawk-cli installed no runnable native binary under $cache/squawk" >&2
	exit 2
fi

mkdir -p "$cache/bin"
migsafe=$cache/bin/migsafe
(cd "$root" && go build -o "$migsafe" ./cmd/migsafe)

list=$cache/bench-files.txt
find "$corpus" -name '*.sql' -type f | sort >"$list"
count=$(wc -l <"$list")
echo "files: $count .sql files under $corpus"
echo "migsafe: $("$migsafe" version | head -n1)   squawk: $("$squawk" --version)"
echo "cpus: $(nproc)"

migsafe_cmd="xargs -a $list -d '\n' $migsafe check --format json --fail-on never >/dev/null"
squawk_cmd="xargs -a $list -d '\n' $squawk >/dev/null 2>&1 || true"

if command -v hyperfine >/dev/null; then
	json=$cache/bench-hyperfine.json
	hyperfine --warmup 2 --runs "$runs" --export-json "$json" \
		-n migsafe "$migsafe_cmd" -n squawk "$squawk_cmd"
	python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
m, s = r["migsafe"]["mean"], r["squawk"]["mean"]
print(f"migsafe {m*1000:.1f} ms, squawk {s*1000:.1f} ms (mean of {len(r['migsafe']['times'])} runs): "
      f"migsafe takes {m/s:.2f}x squawk's time")
PY
else
	time_runs() {
		local start end
		start=$(date +%s%N)
		for _ in $(seq "$runs"); do bash -c "$1"; done
		end=$(date +%s%N)
		echo $(((end - start) / runs / 1000000))
	}
	bash -c "$migsafe_cmd"
	bash -c "$squawk_cmd"
	m=$(time_runs "$migsafe_cmd")
	s=$(time_runs "$squawk_cmd")
	echo "migsafe ${m} ms, squawk ${s} ms (mean of $runs runs)"
	awk -v m="$m" -v s="$s" 'BEGIN { if (s > 0) printf "migsafe takes %.2fx squawk'"'"'s time\n", m / s }'
fi
