#!/usr/bin/env bash
# Installs pre-commit (Debian's package; PyPI is not reachable) for the test of
# .pre-commit-hooks.yaml, idempotently.
set -euo pipefail
command -v pre-commit >/dev/null && exit 0
echo "== installing pre-commit"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends pre-commit >/dev/null
