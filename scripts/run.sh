#!/usr/bin/env bash
# Installs what atende needs, builds it and the web console, and starts
# `atende serve` on the embedded log: data in ./data, HTTP (API and console)
# on 127.0.0.1:8080. Extra arguments go to `atende serve` (see
# `build/atende serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
./scripts/build-console.sh
exec ./build/atende serve --data ./data --listen 127.0.0.1:8080 "$@"
