#!/usr/bin/env bash
# Drives `migsafe lsp` with real clients: headless Neovim and a Node client built on
# vscode-languageserver-protocol. Works on a fresh Debian machine as root: installs
# neovim with apt when nvim is missing, and the Node packages with npm ci.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v nvim >/dev/null; then
  echo "== installing neovim"
  apt-get update -qq && apt-get install -y -qq neovim >/dev/null
fi
if ! command -v node >/dev/null; then
  echo "== installing nodejs and npm"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi

bin=$(mktemp -d)/migsafe
echo "== building $bin"
go build -o "$bin" ./cmd/migsafe

failed=0
echo "== neovim $(nvim --version | head -1)"
editors/neovim/test/run.sh "$bin" || failed=$((failed+$?))

echo "== node $(node --version): vscode-languageserver-protocol client"
(cd tests/node && npm ci --no-audit --no-fund --silent && MIGSAFE_BIN=$bin node --test) || failed=$((failed+1))

if [ $failed -ne 0 ]; then
  echo "editor tests: $failed failing group(s)"
  exit 1
fi
echo "editor tests: all passed"
