#!/usr/bin/env bash
# End-to-end tests of the web console: Debian's Chromium, driven by
# playwright-core, against a real `atende serve` serving console/dist (see
# docs/console.md). Needs build/atende (scripts/build.sh or scripts/test.sh
# builds it). Installs chromium and chromium-driver with apt-get when
# /usr/bin/chromium is missing (root, or sudo), builds the console, then
# runs `npm run test:e2e` in console/. Screenshots land in docs/console/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x build/atende ]]; then
  echo "test-console-e2e: build/atende is missing; build it first (scripts/build.sh)" >&2
  exit 2
fi

if [[ ! -x /usr/bin/chromium ]]; then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    SUDO=(sudo)
  fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq chromium chromium-driver
fi

./scripts/build-console.sh
cd console
exec npm run --silent test:e2e
