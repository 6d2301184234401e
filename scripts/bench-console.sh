#!/usr/bin/env bash
# bench-console.sh: how fast the agents' console paints a big inbox.
#
#   scripts/bench-console.sh [CONVERSATIONS]      (default 100000)
#
# Starts `atende serve` (build/atende, or ATENDE_BIN) on a fresh data
# directory, loads CONVERSATIONS waiting conversations of distinct
# customers into one team through `POST /v1/events` (arrays of 10,000),
# signs an agent of that team into the built console in Debian's Chromium
# (1280×720) and prints: the page reload until the first rows and the tab
# count are painted (RUNS times, default 5), changing the order until the
# other end's rows are painted, scrolling to the end until each next page
# of 50 is painted (20 pages), and the rows, DOM elements and JS heap
# after that. Needs build/atende and Chromium (scripts/test-console-e2e.sh
# installs it); builds the console first. Figures: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || { echo "bench-console: CONVERSATIONS must be a positive integer" >&2; exit 2; }
if [[ ! -x ${ATENDE_BIN:-build/atende} ]]; then
  echo "bench-console: ${ATENDE_BIN:-build/atende} is missing; build it first (scripts/build.sh)" >&2
  exit 2
fi
if [[ ! -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]]; then
  echo "bench-console: Chromium is missing; scripts/test-console-e2e.sh installs it" >&2
  exit 2
fi
./scripts/build-console.sh
cd console
CONVERSATIONS=$N exec npm run --silent bench
