#!/usr/bin/env bash
# Installs what the Emacs test needs, idempotently: Debian's emacs-nox and elpa-eglot
# (eglot 1.9 on bookworm's Emacs 28; Emacs 29+ ships eglot itself).
set -euo pipefail
# Without -Q, batch Emacs loads Debian's site-start, which puts elpa-eglot on load-path.
if command -v emacs >/dev/null && emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; then
  exit 0
fi
echo "== installing emacs-nox and elpa-eglot"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends emacs-nox elpa-eglot >/dev/null
