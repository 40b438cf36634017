#!/usr/bin/env bash
# Language server latency and memory: migsafe against squawk's server, same edits,
# same run. Prints p50/p95 of didChange -> diagnostics on a 1,000-statement migration
# over 100 edits, and RSS (from /proc) with 1,000 more open migration files.
#   BENCH_EDITS=100 BENCH_FILES=1000 scripts/bench-lsp.sh
# squawk comes from the npm package squawk-cli (it ships the native binary), installed
# into a cache directory; its server answers pull diagnostics only, so it is timed as
# didChange + textDocument/diagnostic, and migsafe is timed both ways, all with default
# settings. migsafe's pull logs its analyses (-v), so the bench compares the pull's p50
# with the analysis time itself (parse, history, rules and the protocol diagnostics of
# the edited version), and prints each pull minus its own version's analysis and the
# server's span of a pull (edit received -> answer made): what is left is the
# client's (vscode-jsonrpc, as in VS Code: it parses every answer).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${MIGSAFE_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migsafe-bench}
squawk_version=${SQUAWK_VERSION:-2.66.0}

bin=$(mktemp -d)/migsafe
go build -C "$root" -o "$bin" ./cmd/migsafe

squawk="$cache/squawk-$squawk_version/node_modules/.bin/squawk"
if [ ! -x "$squawk" ]; then
  mkdir -p "$cache/squawk-$squawk_version"
  npm install --prefix "$cache/squawk-$squawk_version" --no-audit --no-fund --silent "squawk-cli@$squawk_version"
fi
echo "squawk: $("$squawk" --version)"

cd "$root/tests/node"
[ -d node_modules ] || npm ci --no-audit --no-fund --silent
log=$(mktemp)
log2=$(mktemp)
log3=$(mktemp)
# migsafe-d0 is the same pull with no debounce at all: the latency of analysis and
# transport alone, which the default pull must match. Pulls send the result id of the
# answer they hold, as VS Code's client does (an edit that changes no diagnostic is
# answered "unchanged"); pull-noid sends none, so every answer comes in full.
# migsafe-raw is the default pull through a minimal client (one write per message)
# rather than vscode-jsonrpc: the server's latency without that library's own cost.
node bench.mjs "migsafe:push=$bin lsp" "migsafe:pull=$bin lsp --log-file $log -v" "migsafe-raw:pull:raw=$bin lsp --log-file $log3 -v" "migsafe:pull-noid=$bin lsp --log-file $log2 -v" "migsafe-d0:pull=$bin lsp --debounce 0" "squawk:pull=$squawk server"
