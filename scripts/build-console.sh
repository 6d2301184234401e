#!/usr/bin/env bash
# Builds the web console (console/) into console/dist, which `atende serve`
# serves at `/`. Installs its npm packages exactly as package-lock.json pins
# them (`npm ci`) when node_modules is missing or older than the lockfile.
# Needs Node.js >= 20.19 and npm (Vite 8's minimum).
set -euo pipefail
cd "$(dirname "$0")/../console"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "build-console: Node.js >= 20.19 and npm are needed (not found)" >&2
  exit 2
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'; then
  echo "build-console: Node.js >= 20.19 is needed, found $(node --version)" >&2
  exit 2
fi
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # The registry sometimes drops a download midway (EIDLETIMEOUT): npm's own
  # retries do not cover a broken body, so the whole install is tried again.
  for attempt in 1 2 3; do
    if npm ci --no-audit --no-fund --loglevel=error --fetch-retries=5; then
      break
    fi
    if [[ $attempt -eq 3 ]]; then
      echo "build-console: npm ci failed 3 times" >&2
      exit 1
    fi
    echo "build-console: npm ci failed (attempt $attempt of 3); trying again" >&2
    sleep $((attempt * 10))
  done
fi
npm run --silent build
