#!/usr/bin/env bash
# Runs the Emacs (eglot) test of `migsafe lsp`: run.sh MIGSAFE_BIN
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(MIGSAFE_BIN=$1 timeout 60 emacs --batch -l "$here/migsafe-test.el" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q '^PASS' <<<"$out"; then
  echo "ok   emacs $(emacs --version | head -1 | sed 's/GNU Emacs //') eglot: $(grep '^PASS' <<<"$out")"
  exit 0
fi
echo "FAIL emacs (exit $rc)"
sed 's/^/     /' <<<"$out" | tail -30
exit 1
