#!/usr/bin/env bash
# Installs what atende needs, builds it and runs every test (ctest: unit,
# HTTP end-to-end over loopback, crash/restart).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 -j "$(nproc 2>/dev/null || echo 2)" "$@"
