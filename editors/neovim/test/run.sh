#!/usr/bin/env bash
# Runs the headless Neovim LSP test cases against a migsafe binary.
# usage: run.sh MIGSAFE_BIN [main|setup|badsetup|concurrently|split|splitdir|restart|rename]...   (default: all)
set -u
bin=$1; shift
cases=("$@"); [ ${#cases[@]} -eq 0 ] && cases=(main setup badsetup concurrently split splitdir restart rename)
here=$(cd "$(dirname "$0")" && pwd)
failed=0
for c in "${cases[@]}"; do
  result=$(mktemp)
  MIGSAFE_BIN=$bin MIGSAFE_RESULT=$result MIGSAFE_CASE=$c \
    timeout 60 nvim --headless -u NONE -c "luafile $here/lsp_test.lua" >/dev/null 2>"$result.err"
  rc=$?
  status=$(cat "$result" 2>/dev/null)
  if [ $rc -eq 0 ] && [ "$status" = PASS ]; then
    echo "ok   neovim $c"
  else
    echo "FAIL neovim $c (exit $rc): ${status:-no result written}"
    sed 's/^/     /' "$result.err" | head -20
    failed=$((failed+1))
  fi
  rm -f "$result" "$result.err"
done
exit $failed
