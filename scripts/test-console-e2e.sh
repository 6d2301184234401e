#!/usr/bin/env bash
# End-to-end tests of the web console: Debian's Chromium, driven by
# playwright-core, against a real `atende serve` serving console/dist (see
# docs/console.md). Needs build/atende (scripts/build.sh or scripts/test.sh
# builds it). Installs chromium, chromium-driver and fonts-noto-color-emoji
# with apt-get when missing (root, or sudo), builds the console, then
# runs `npm run test:e2e` in console/. Screenshots land in docs/console/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x build/atende ]]; then
  echo "test-console-e2e: build/atende is missing; build it first (scripts/build.sh)" >&2
  exit 2
fi

# The browser, and a color emoji font so that the screenshots show the
# reactions and icons as an agent's browser does.
if [[ ! -x /usr/bin/chromium || ! -d /usr/share/fonts/truetype/noto ]] ||
   ! fc-list 2>/dev/null | grep -q NotoColorEmoji; then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    SUDO=(sudo)
  fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq \
    chromium chromium-driver fonts-noto-color-emoji
fi

./scripts/build-console.sh
cd console
exec npm run --silent test:e2e
