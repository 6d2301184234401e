#!/usr/bin/env bash
# Installs what atende needs, builds it and the web console, and runs every
# test: the console's unit tests (vitest), its end-to-end tests in Chromium
# against a real `atende serve` (scripts/test-console-e2e.sh; here without
# rewriting the screenshots of docs/console), then ctest (unit, HTTP
# end-to-end over loopback, crash/restart), and a short deterministic run of
# every fuzz target under AddressSanitizer and UndefinedBehaviorSanitizer
# (scripts/fuzz.sh --check).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
./scripts/build-console.sh
(cd console && npm test --silent)
E2E_SCREENSHOTS=${E2E_SCREENSHOTS:-0} ./scripts/test-console-e2e.sh
(cd build && ctest --output-on-failure --timeout 900 -j "$(nproc 2>/dev/null || echo 2)" "$@")
./scripts/fuzz.sh --check
