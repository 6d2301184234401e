#!/usr/bin/env bash
# bench-kafka.sh: ingest throughput through Kafka (inbound envelopes/s
# applied by the engine), one engine instance on the in-memory dev broker.
#
#   scripts/bench-kafka.sh [N] [SYNC]
#     N     envelopes to produce (default 100000)
#     SYNC  engine.sync: true (fsync per commit cycle, default) or false
#
# Environment: ATENDE_BIN (default build/atende next to this script),
# TENANTS (default 8, a multiple of 4: each partition gets TENANTS/4),
# CUSTOMERS (distinct `from` numbers per tenant, default 1000),
# POLL (seconds between /metrics polls, default 0.2), TIMEOUT (seconds any
# wait may take, default 120), KEEP=1 keeps the temp dir (logs, data),
# VERBOSE=1 prints every poll (seconds since produce start, applied, lag).
#
# Steps: start `atende devbroker`, start `atende serve --kafka`, wait until
# it owns all 4 partitions, create the tenants (team + channel each) over
# HTTP, generate N `message.received` envelopes (tenant|json lines, keyed by
# tenant; tenants chosen so murmur2 spreads them evenly over the
# partitions), produce them with kcat (lz4) while polling /metrics.
# Throughput = N / (time the applied count first rose above the baseline ..
# time it reached baseline + N). The mock broker silently keeps only ~5 MiB
# per partition, so the produced count is checked against the watermarks.
set -euo pipefail

N=${1:-100000}
SYNC=${2:-true}
TENANTS=${TENANTS:-8}
CUSTOMERS=${CUSTOMERS:-1000}
POLL=${POLL:-0.2}
TIMEOUT=${TIMEOUT:-120}
PARTS=4
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${ATENDE_BIN:-$here/build/atende}

case $SYNC in true|false) ;; *) echo "SYNC must be true or false" >&2; exit 2 ;; esac
[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "N must be a positive integer" >&2; exit 2; }
(( TENANTS % PARTS == 0 )) || { echo "TENANTS must be a multiple of $PARTS" >&2; exit 2; }
[[ -x $BIN ]] || { echo "no engine binary at $BIN" >&2; exit 2; }
command -v kcat >/dev/null || { echo "kcat not found" >&2; exit 2; }

T=$(mktemp -d /tmp/bench-kafka.XXXXXX)
BROKER_PID=
ENGINE_PID=
KCAT_PID=

stop() { # stop PID: SIGTERM, up to 10 s, then SIGKILL
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  echo "pid $pid did not stop on SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop "$KCAT_PID"
  stop "$ENGINE_PID"
  stop "$BROKER_PID"
  if [[ $rc -ne 0 && -s $T/engine.err ]]; then
    echo "--- engine stderr (last 20 lines) ---" >&2
    tail -n 20 "$T/engine.err" >&2 || true
  fi
  if [[ ${KEEP:-0} == 1 || $rc -ne 0 ]]; then
    echo "temp dir kept: $T" >&2
  else
    rm -rf "$T"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench-kafka: $*" >&2; exit 1; }
now() { date +%s.%N; }
# wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.1 s.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || die "timed out after ${limit}s waiting for $what"
    [[ -z $ENGINE_PID ]] || kill -0 "$ENGINE_PID" 2>/dev/null || die "engine exited"
    sleep 0.1
  done
}

# ---- input: tenants spread evenly over the partitions, and the envelopes.
python3 - "$N" "$TENANTS" "$CUSTOMERS" "$PARTS" "$T" <<'EOF'
import sys, datetime, os
n, tenants, customers, parts, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

def murmur2(b):  # Kafka's Java partitioner hash
    m, h = 0x5bd1e995, (0x9747b28c ^ len(b)) & 0xffffffff
    for i in range(0, len(b) - len(b) % 4, 4):
        k = int.from_bytes(b[i:i + 4], "little")
        k = (k * m) & 0xffffffff; k ^= k >> 24; k = (k * m) & 0xffffffff
        h = ((h * m) & 0xffffffff) ^ k
    r, t = len(b) % 4, len(b) - len(b) % 4
    if r == 3: h ^= b[t + 2] << 16
    if r >= 2: h ^= b[t + 1] << 8
    if r >= 1: h ^= b[t]; h = (h * m) & 0xffffffff
    h ^= h >> 13; h = (h * m) & 0xffffffff; h ^= h >> 15
    return h

per = {p: [] for p in range(parts)}
i = 0
while any(len(v) < tenants // parts for v in per.values()):
    t = f"t{i}"; p = (murmur2(t.encode()) & 0x7fffffff) % parts
    if len(per[p]) < tenants // parts: per[p].append(t)
    i += 1
ts = [t for j in range(tenants // parts) for p in range(parts) for t in [per[p][j]]]
with open(os.path.join(d, "tenants"), "w") as f:
    f.write("\n".join(ts) + "\n")

at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
run = os.path.basename(d).split(".")[-1]
with open(os.path.join(d, "input"), "w") as f:
    out = []
    for k in range(n):
        t = ts[k % tenants]
        frm = "55319%08d" % (10000000 + (k // tenants) % customers)
        mid = f"{run}-{k}"
        out.append(f'{t}|{{"id":"{mid}","type":"message.received","tenant":"{t}","at":"{at}",'
                   f'"data":{{"channel":"wa","from":"{frm}","name":"Maria","message_id":"{mid}",'
                   f'"kind":"text","text":"Oi"}}}}\n')
        if len(out) >= 10000:
            f.writelines(out); out = []
    f.writelines(out)
EOF
mapfile -t TENANT_IDS <"$T/tenants"

# ---- broker
"$BIN" devbroker --partitions "$PARTS" --bootstrap-file "$T/boot" \
  </dev/null >"$T/broker.out" 2>"$T/broker.err" &
BROKER_PID=$!
wait_for 30 "the dev broker's bootstrap file" test -s "$T/boot"
BOOT=$(head -n 1 "$T/boot")

# ---- engine
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
cat >"$T/atende.conf" <<EOF
engine.tick_seconds = 0
engine.sync = $SYNC
EOF
ATENDE_ROOT_TOKEN=root "$BIN" serve --kafka "$BOOT" --data "$T/data" \
  --listen "127.0.0.1:$PORT" --config "$T/atende.conf" \
  </dev/null >"$T/engine.out" 2>"$T/engine.err" &
ENGINE_PID=$!
wait_for "$TIMEOUT" "the engine to listen" grep -qs 'listening on' "$T/engine.out"
owns_all() { [[ $(grep -cs 'partition [0-9]* assigned here' "$T/engine.err") -ge $PARTS ]]; }
wait_for "$TIMEOUT" "the engine to own all $PARTS partitions" owns_all

# ---- tenants, each with a team and a WhatsApp channel
post() { # post TOKEN PATH BODY -> body on stdout; fails unless 201
  local out code
  out=$(curl -sS -m 30 -w $'\n%{http_code}' -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' -X POST "$URL$2" -d "$3")
  code=${out##*$'\n'}
  [[ $code == 201 ]] || die "POST $2 $3 answered $code: ${out%$'\n'*}"
  printf '%s\n' "${out%$'\n'*}"
}
i=0
for t in "${TENANT_IDS[@]}"; do
  body=$(post root /v1/tenants "{\"id\":\"$t\",\"name\":\"Tenant $t\"}")
  tok=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body")
  [[ -n $tok ]] || die "no admin token in: $body"
  post "$tok" /v1/teams '{"id":"support","name":"Support","distribution":"manual"}' >/dev/null
  post "$tok" /v1/channels "{\"id\":\"wa\",\"kind\":\"whatsapp\",\"name\":\"Sales\",\"phone\":\"55119999$(printf %05d $i)\",\"phone_number_id\":\"pn-$t\",\"default_team\":\"support\"}" >/dev/null
  i=$((i + 1))
done

# metrics: one line "applied duplicate rejected inbound_lag conversations"
metrics() {
  curl -sS -m 10 "$URL/metrics" | awk '
    /^atende_inputs_applied_total\{/   { a += $NF }
    /^atende_inputs_duplicate_total\{/ { d += $NF }
    /^atende_inputs_rejected_total\{/  { r += $NF }
    /^atende_kafka_consumer_lag\{topic="[^"]*inbound"/ { l += $NF }
    /^atende_conversations /           { c = $NF }
    END { printf "%d %d %d %d %d\n", a, d, r, l, c }'
}
# settled: nothing left to apply on the commands topic either
settled() {
  local lag
  lag=$(curl -sS -m 10 "$URL/metrics" | awk '/^atende_kafka_consumer_lag\{/ { s += $NF } END { print s + 0 }')
  [[ $lag == 0 ]]
}
wait_for "$TIMEOUT" "the setup commands to be applied" settled
read -r base_a base_d base_r _ _ < <(metrics)

# ---- produce while polling /metrics
input_bytes=$(stat -c %s "$T/input")
(
  s=$(now)
  rc=0
  kcat -b "$BOOT" -P -t atende.inbound -K '|' -X partitioner=murmur2_random \
    -z lz4 -X linger.ms=50 -X batch.num.messages=10000 <"$T/input" 2>"$T/kcat.err" || rc=$?
  echo "$s $(now) $rc" >"$T/kcat.time"
) &
KCAT_PID=$!
t_produce=$(now)

target=$((base_a + N))
t_first='' t_end='' last_a=$base_a last_change=$SECONDS
deadline=$((SECONDS + TIMEOUT))
while :; do
  read -r a d r lag conv < <(metrics)
  t=$(now)
  echo "$t $((a - base_a)) $lag" >>"$T/samples"
  if [[ -z $t_first && $a -gt $base_a ]]; then t_first=$t; fi
  if ((a >= target)); then t_end=$t; break; fi
  if ((a != last_a)); then last_a=$a last_change=$SECONDS; fi
  ((SECONDS < deadline)) || die "timed out after ${TIMEOUT}s: applied $((a - base_a)) of $N (inbound lag $lag, duplicates $((d - base_d)), rejected $((r - base_r)))"
  if [[ -s $T/kcat.time ]] && ((SECONDS - last_change >= 15)); then
    die "no progress for 15 s after producing: applied $((a - base_a)) of $N, inbound lag $lag (records dropped by the broker?)"
  fi
  kill -0 "$ENGINE_PID" 2>/dev/null || die "engine exited"
  sleep "$POLL"
done
wait "$KCAT_PID" || true
KCAT_PID=
read -r ks ke krc <"$T/kcat.time"
[[ $krc == 0 ]] || die "kcat failed ($krc): $(cat "$T/kcat.err")"

# ---- checks: records kept by the broker, lag drained, nothing rejected
hw=0 per_part=
for ((p = 0; p < PARTS; p++)); do
  o=$(kcat -b "$BOOT" -Q -t "atende.inbound:$p:-1" | awk '{ print $NF }')
  per_part+=" p$p=$o"
  hw=$((hw + o))
done
wait_for 30 "the inbound lag to reach 0" settled
read -r a d r lag conv < <(metrics)
rss_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$ENGINE_PID/status")

dur=$(awk -v a="$t_first" -v b="$t_end" 'BEGIN { printf "%.2f", b - a }')
rate=$(awk -v n="$N" -v a="$t_first" -v b="$t_end" 'BEGIN { printf "%.0f", n / (b - a) }')
e2e=$(awk -v a="$t_produce" -v b="$t_end" 'BEGIN { printf "%.2f", b - a }')
e2e_rate=$(awk -v n="$N" -v a="$t_produce" -v b="$t_end" 'BEGIN { printf "%.0f", n / (b - a) }')
kdur=$(awk -v a="$ks" -v b="$ke" 'BEGIN { printf "%.2f", b - a }')
krate=$(awk -v n="$N" -v a="$ks" -v b="$ke" 'BEGIN { printf "%.0f", n / (b - a) }')

echo "input: $N envelopes, $TENANTS tenants x $CUSTOMERS customers, $((input_bytes / 1024)) KiB uncompressed"
echo "broker: inbound high watermarks$per_part (total $hw)"
echo "produce (kcat, lz4): $N envelopes in $kdur s = $krate/s"
echo "engine: applied $((a - base_a)), duplicates $((d - base_d)), rejected $((r - base_r)), inbound lag $lag, conversations $conv, peak RSS $((rss_kb / 1024)) MiB"
echo "produce start -> all applied: $e2e s = $e2e_rate/s"
others=$(grep -Ev 'partition [0-9]+ (restored|assigned here)|listening on' "$T/engine.err" || true)
if [[ -n $others ]]; then
  echo "engine stderr (other than restored/assigned), $(wc -l <<<"$others") lines:"
  head -n 10 <<<"$others" | sed 's/^/  /'
fi
if [[ ${VERBOSE:-0} == 1 ]]; then
  awk -v s="$t_produce" '{ printf "  %6.2f s  applied %7d  inbound lag %7d\n", $1 - s, $2, $3 }' "$T/samples"
fi
[[ $hw == "$N" ]] || echo "WARNING: the broker holds $hw inbound records, not $N"
echo "kafka ingest: $N envelopes in $dur s = $rate/s (sync=$SYNC, $PARTS partitions, 1 instance)"
