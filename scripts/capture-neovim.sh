#!/usr/bin/env bash
# Captures what a Neovim user sees with the plugin (docs/neovim-screen.txt): the
# diagnostics on a migration, then the code-action menu on its line. Neovim runs in a
# detached tmux session, loaded exactly as the README says, on a copy of
# examples/golang-migrate; tmux capture-pane reads the screen.
#   scripts/capture-neovim.sh [OUT]        (needs nvim and tmux)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/neovim-screen.txt}
work=$(mktemp -d)
trap 'tmux kill-session -t migsafe-capture 2>/dev/null || true; rm -rf "$work"' EXIT

go build -C "$root" -o "$work/bin/migsafe" ./cmd/migsafe
mkdir -p "$work/project"
cp -r "$root/examples/golang-migrate" "$root/examples/migsafe.toml" "$work/project/"
cat > "$work/init.lua" <<LUA
vim.opt.runtimepath:append('$root/editors/neovim')
vim.opt.signcolumn = 'yes'
vim.opt.number = true
vim.opt.swapfile = false
require('migsafe').setup({ cmd = { '$work/bin/migsafe', 'lsp' } })
LUA
cd "$work/project"
file=golang-migrate/000002_add_phone.up.sql
tmux new-session -d -s migsafe-capture -x 110 -y 24 "nvim -u $work/init.lua $file"
sleep 3 # start, analyse, publish
{
  echo "\$ nvim $file    # diagnostics (virtual text; E/W signs; BLOCK sorted first)"
  echo
  tmux capture-pane -p -t migsafe-capture
} > "$work/screen1"
tmux send-keys -t migsafe-capture ':2' Enter ':lua vim.lsp.buf.code_action()' Enter
sleep 2
{
  echo
  echo "\$ :lua vim.lsp.buf.code_action()    # on line 2: the fixes, the split into phased migrations, ignores"
  echo
  tmux capture-pane -p -t migsafe-capture
} > "$work/screen2"
tmux send-keys -t migsafe-capture Escape ':qa!' Enter
cat "$work/screen1" "$work/screen2" | sed -e 's/[[:space:]]*$//' > "$out"
echo "wrote $out"
