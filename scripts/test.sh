#!/usr/bin/env bash
# Installs what atende needs, builds it and the web console, and runs every
# test: the console's unit tests (vitest), then ctest (unit, HTTP end-to-end
# over loopback, crash/restart).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
./scripts/build-console.sh
(cd console && npm test --silent)
cd build
ctest --output-on-failure --timeout 900 -j "$(nproc 2>/dev/null || echo 2)" "$@"
