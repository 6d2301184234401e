#!/usr/bin/env bash
# bench-replay.sh: replay speed from the journal (`atende replay`), on data
# written by the engine itself.
#
#   scripts/bench-replay.sh [N] [TENANTS]
#     N        events to write, about (default 1000000)
#     TENANTS  tenants they are spread over (default 4); each is one
#              `atende loadgen --scenario ingest` run, i.e. a team, 3
#              channels, 10 agents and N/TENANTS inbound messages over
#              CUSTOMERS customers (default 1000)
#
# Environment: ATENDE_BIN (default build/atende next to this script),
# DATA (reuse this data directory: skip the writing when it already holds
# data), KEEP=1 keeps the temp dir.
#
# Steps: `atende serve` on a fresh data directory, the loadgen runs, a clean
# stop (SIGTERM), then, each timed by the tool itself (its last stderr line):
#   walk    `replay --data D`: every entry read and checked (framing,
#           checksum, seq, hash chain) and decoded
#   export  `replay --data D --json > /dev/null`: the same, writing JSON lines
#   verify  `replay --data D --verify`: the above, plus the replay into the
#           entities and the views and the comparison with the live store
set -euo pipefail

N=${1:-1000000}
TENANTS=${2:-4}
CUSTOMERS=${CUSTOMERS:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${ATENDE_BIN:-$here/build/atende}
[[ -x $BIN ]] || { echo "no engine binary at $BIN" >&2; exit 2; }
[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "N must be a positive integer" >&2; exit 2; }

T=$(mktemp -d /tmp/bench-replay.XXXXXX)
D=${DATA:-$T/data}
ENGINE_PID=
cleanup() {
  local rc=$?
  if [[ -n $ENGINE_PID ]] && kill -0 "$ENGINE_PID" 2>/dev/null; then
    kill -TERM "$ENGINE_PID" 2>/dev/null || true
    wait "$ENGINE_PID" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 || $rc -ne 0 ]]; then
    echo "temp dir kept: $T" >&2
  else
    rm -rf "$T"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -d $D/db ]]; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ATENDE_ROOT_TOKEN=root "$BIN" serve --data "$D" --listen "127.0.0.1:$PORT" \
    >"$T/engine.out" 2>"$T/engine.err" &
  ENGINE_PID=$!
  for ((i = 0; i < 300; i++)); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    kill -0 "$ENGINE_PID" 2>/dev/null || { cat "$T/engine.err" >&2; exit 1; }
    sleep 0.1
  done
  per=$((N / TENANTS))
  for ((t = 0; t < TENANTS; t++)); do
    echo "writing tenant $((t + 1))/$TENANTS: $per messages" >&2
    "$BIN" loadgen --root-token root --url "http://127.0.0.1:$PORT" \
      --scenario ingest --events "$per" --conversations "$CUSTOMERS" \
      >"$T/loadgen.$t.out" 2>/dev/null
    grep -h "ingest" "$T/loadgen.$t.out" >&2 || true
  done
  kill -TERM "$ENGINE_PID"
  wait "$ENGINE_PID" || true
  ENGINE_PID=
fi

run() { # run NAME ARGS...: the tool's own timing line
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  "$BIN" replay --data "$D" "$@" >"$T/$name.out" 2>"$T/$name.err" || {
    echo "$name failed:" >&2; tail -n 5 "$T/$name.out" "$T/$name.err" >&2; exit 1; }
  end=$(date +%s.%N)
  printf '%-7s %s (wall %.2f s)\n' "$name" \
    "$(grep '^replay: .* in ' "$T/$name.err" | tail -n 1)" \
    "$(echo "$end - $start" | bc)"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")"
echo "data: $(du -sh "$D" | cut -f1), $TENANTS tenants"
run walk
run export --json
run verify --verify
tail -n 1 "$T/verify.out"
