#!/usr/bin/env bash
# Drives `migsafe lsp` with real clients and builds the editor integrations:
# headless Neovim through the plugin (editors/neovim), batch Emacs through eglot
# (editors/emacs), a Node client built on vscode-languageserver-protocol (tests/node),
# and the VS Code extension (editors/vscode: npm ci, the .vsix, its node tests).
# Works on a fresh Debian machine as root: installs neovim, emacs-nox with elpa-eglot
# (scripts/install-emacs.sh) and nodejs with apt when missing, the Node packages with
# npm ci from the lockfiles.
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
scripts/install-emacs.sh

bin=$(mktemp -d)/migsafe
echo "== building $bin"
go build -o "$bin" ./cmd/migsafe

failed=0
timed() { # timed NAME CMD...: runs a group, reports its time, counts a failure
  local name=$1 start=$SECONDS; shift
  if "$@"; then
    echo "   ($name: $((SECONDS - start)) s)"
  else
    echo "   ($name FAILED after $((SECONDS - start)) s)"
    failed=$((failed+1))
  fi
}

echo "== neovim $(nvim --version | head -1): require('migsafe').setup{}"
timed neovim editors/neovim/test/run.sh "$bin"

echo "== emacs $(emacs --version | head -1): eglot"
timed emacs editors/emacs/test/run.sh "$bin"

echo "== node $(node --version): vscode-languageserver-protocol client"
timed node-client bash -c "cd tests/node && npm ci --no-audit --no-fund --silent && MIGSAFE_BIN=$bin node --test"

echo "== VS Code extension: npm ci, npm run package, node tests"
vscode() {
  cd editors/vscode
  rm -f migsafe.vsix
  npm ci --no-audit --no-fund --silent
  npm run --silent package >/dev/null
  # The .vsix holds the extension and its runtime dependency, not tests or vsce.
  python3 - migsafe.vsix <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["extension/extension.js", "extension/settings.js", "extension/fixall.js", "extension/restart.js", "extension/package.json",
        "extension/LICENSE.txt", "extension/node_modules/vscode-languageclient/package.json"]
missing = [n for n in need if n not in names]
unwanted = [n for n in names if n.startswith(("extension/test/", "extension/node_modules/@vscode/vsce/"))]
if missing or unwanted:
    sys.exit(f"migsafe.vsix: missing {missing}, unwanted {unwanted[:5]}")
print(f"   migsafe.vsix: {len(names)} files")
PY
  MIGSAFE_BIN=$bin node --test test/
}
timed vscode-extension bash -c "$(declare -f vscode); bin=$bin; vscode"

if [ $failed -ne 0 ]; then
  echo "editor tests: $failed failing group(s)"
  exit 1
fi
echo "editor tests: all passed"
