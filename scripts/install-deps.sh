#!/usr/bin/env bash
# Installs the Debian packages atende builds, runs and tests with.
# Idempotent: packages already installed are skipped, and apt-get runs only
# when something is missing. Needs root (or sudo) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libcaf-dev           # actors (CAF 0.17)
  librdkafka-dev       # Kafka client and mock cluster
  librocksdb-dev       # log, snapshots, journal
  nlohmann-json3-dev   # JSON documents
  libsimdjson-dev      # JSON on the ingest hot path
  libabsl-dev          # flat hash maps for the views' million-entry indexes
  libboost-dev         # Boost.Beast/Asio: HTTP server
  libssl-dev           # SHA-256, HMAC, random tokens, sealed secrets
  libcurl4-openssl-dev # HTTPS client: sending through Meta's Graph API
  tzdata               # IANA time zones (tenant timezone)
  libcctz-dev          # local time in a zone: pause rules, business hours
  libgtest-dev libgmock-dev libbenchmark-dev
  libclang-rt-14-dev   # libFuzzer, for the fuzz targets (scripts/fuzz.sh)
  kcat curl jq         # outside Kafka client; HTTP client and JSON for the walk-through
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
