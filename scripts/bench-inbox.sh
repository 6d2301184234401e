#!/usr/bin/env bash
# bench-inbox.sh: the inbox at the peer's shape, through the public API.
#
#   scripts/bench-inbox.sh [CONVERSATIONS]      (default 1000000)
#
# Builds atende (scripts/install-deps.sh, scripts/build.sh; wrk is installed
# too), starts `atende serve` on a fresh data directory and loads, through
# the HTTP API only, a deterministic tenant "bench" of the shape the
# PostgreSQL figures in BENCHMARKS.md were taken on:
#   - 10 teams (manual distribution), 20 channels (channel k's default team
#     is team k mod 10), 200 agents (agent j in team j mod 10);
#   - one contact and one conversation per customer i (0 <= i < N), in
#     channel i mod 20; 10 contact tags on 40 % of the contacts (customer i
#     has tag "tag-<(i/10) mod 10>" when i mod 10 < 4);
#   - per 1000 customers: 150 open (assigned), 45 waiting, 805 finished
#     (assigned, then finished), the agent being one of the team's 20.
# Loading: `contact.upsert` and `message.received` envelopes in arrays of
# 10,000 (`POST /v1/events`), then bulk transfers to agents and bulk finishes
# of 500 ids (`POST /v1/conversations/bulk`), 4 requests in flight.
#
# Then it runs wrk (8 connections, DURATION seconds each) on each shape:
#   mine           GET /v1/conversations?view=mine            (an agent)
#   unassigned     GET /v1/conversations?view=unassigned      (an agent)
#   unassigned-admin                 ?view=unassigned         (the admin)
#   channel        GET /v1/conversations?channel=ch-07        (the admin)
#   tag            GET /v1/conversations?tag=tag-3            (the admin)
#   team           GET /v1/conversations?team=team-4          (the admin)
#   assignment     POST /v1/conversations/{id}/transfer {agent}: open
#                  conversations handed to another agent of their team
#   message        POST /v1/events, one message.received from a customer
#                  with an open conversation
#   webhook        POST /v1/webhooks/whatsapp, Meta's payload of one text
#                  message from such a customer, signed (X-Hub-Signature-256)
#                  under the app secret: the path of `message` behind Meta's
#                  format. The bodies are made and signed before the run
#                  (python3), 7,000 per second of DURATION, each with its
#                  own wamid.
# and prints requests/s, p50 and p99 for each (for writes also the mean
# fsync of the WAL during the shape and the commit cycles each covered, from
# the engine's /metrics), the load time, the process
# RSS per conversation, and the restart: time until /healthz answers after
# a clean stop, and the first transfer after it.
#
# Environment: ATENDE_BIN (skip the build, use this binary), DATA (reuse a
# loaded data directory), DURATION (default 15), CONNECTIONS (default 8),
# PARALLEL (load requests in flight, default 4), KEEP=1 keeps the temp dir,
# SHAPES (space-separated subset of the shapes above).
set -euo pipefail

N=${1:-1000000}
[[ $N =~ ^[0-9]+$ && $N -ge 1000 ]] || { echo "CONVERSATIONS must be an integer >= 1000" >&2; exit 2; }
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-8}
PARALLEL=${PARALLEL:-4}
SHAPES=${SHAPES:-"mine unassigned unassigned-admin channel tag team assignment message webhook"}
here=$(cd "$(dirname "$0")/.." && pwd)

if [[ -z ${ATENDE_BIN:-} ]]; then
  "$here/scripts/install-deps.sh" >&2
  "$here/scripts/build.sh" >&2
  BIN=$here/build/atende
else
  BIN=$ATENDE_BIN
fi
[[ -x $BIN ]] || { echo "no engine binary at $BIN" >&2; exit 2; }
for tool in wrk curl jq python3; do
  if ! command -v "$tool" >/dev/null; then
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$tool" >&2
  fi
done

T=$(mktemp -d /tmp/bench-inbox.XXXXXX)
D=${DATA:-$T/data}
ENGINE_PID=
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
cleanup() {
  local rc=$?
  stop_engine
  if [[ ${KEEP:-0} == 1 || $rc -ne 0 ]]; then
    echo "temp dir kept: $T" >&2
  else
    rm -rf "$T"
  fi
}
stop_engine() {
  if [[ -n $ENGINE_PID ]] && kill -0 "$ENGINE_PID" 2>/dev/null; then
    kill -TERM "$ENGINE_PID" 2>/dev/null || true
    wait "$ENGINE_PID" 2>/dev/null || true
  fi
  ENGINE_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
log() { echo "bench-inbox: $*" >&2; }

start_engine() {
  ATENDE_ROOT_TOKEN=root ATENDE_WHATSAPP_APP_SECRET=bench-app-secret \
    "$BIN" serve --data "$D" --listen "127.0.0.1:$PORT" \
    >>"$T/engine.out" 2>>"$T/engine.err" &
  ENGINE_PID=$!
  for ((k = 0; k < 6000; k++)); do
    curl -sf "$URL/healthz" >/dev/null && return 0
    kill -0 "$ENGINE_PID" 2>/dev/null || { cat "$T/engine.err" >&2; exit 1; }
    sleep 0.05
  done
  echo "engine did not become healthy" >&2
  exit 1
}

# post PATH FILE TOKEN: POST a JSON file, fail on a non-2xx answer.
post() {
  curl -sf -X POST "$URL$1" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' --data-binary "@$2"
}
export -f post
export URL

load() {
  log "loading $N conversations into $D"
  local t0 t1
  t0=$(now_ms)
  echo '{"id":"bench","name":"Bench","timezone":"America/Sao_Paulo"}' >"$T/tenant.json"
  ADMIN=$(post /v1/tenants "$T/tenant.json" root | jq -r .admin.token)
  echo "$ADMIN" >"$D/bench-admin-token"
  for ((t = 0; t < 10; t++)); do
    echo "{\"id\":\"team-$t\",\"name\":\"Equipe $t\",\"distribution\":\"manual\",\"max_per_agent\":100000}" >"$T/x.json"
    post /v1/teams "$T/x.json" "$ADMIN" >/dev/null
  done
  for ((c = 0; c < 20; c++)); do
    printf '{"id":"ch-%02d","kind":"whatsapp","name":"Número %d","phone":"55119990000%02d","phone_number_id":"1065403522429%02d","default_team":"team-%d"}\n' \
      "$c" "$c" "$c" "$c" $((c % 10)) >"$T/x.json"
    post /v1/channels "$T/x.json" "$ADMIN" >/dev/null
  done
  : >"$D/bench-agent-tokens"
  for ((j = 0; j < 200; j++)); do
    printf '{"id":"a%03d","name":"Atendente %d","role":"agent","teams":["team-%d"]}\n' "$j" "$j" $((j % 10)) >"$T/x.json"
    post /v1/agents "$T/x.json" "$ADMIN" | jq -r '"\(.id) \(.token)"' >>"$D/bench-agent-tokens"
  done
  t1=$(now_ms)
  log "configuration: $((t1 - t0)) ms"

  # Envelopes: arrays of 10,000 (an upsert before the message of a tagged
  # customer). The message's time spreads the history over 30 days.
  local base=$(( $(date +%s) - 30 * 86400 ))
  mkdir -p "$T/events"
  awk -v n="$N" -v base="$base" -v dir="$T/events" '
    function iso(s) { return strftime("%Y-%m-%dT%H:%M:%S.000Z", s, 1) }
    BEGIN {
      per = 10000; k = 0; f = ""
      for (i = 0; i < n; i++) {
        phone = sprintf("55119%08d", i)
        at = iso(base + int(i * 2592000 / n))
        env = ""
        need = (i % 10 < 4) ? 2 : 1
        if (i % 10 < 4) {
          env = sprintf("{\"id\":\"u-%d\",\"type\":\"contact.upsert\",\"tenant\":\"bench\",\"at\":\"%s\",\"data\":{\"phone\":\"%s\",\"name\":\"Cliente %d\",\"tags\":[\"tag-%d\"]}},", i, at, phone, i, int(i / 10) % 10)
        }
        env = env sprintf("{\"id\":\"w-%d\",\"type\":\"message.received\",\"tenant\":\"bench\",\"at\":\"%s\",\"data\":{\"channel\":\"ch-%02d\",\"from\":\"%s\",\"name\":\"Cliente %d\",\"message_id\":\"w-%d\",\"kind\":\"text\",\"text\":\"Oi, preciso de ajuda com o pedido %d\"}}", i, at, i % 20, phone, i, i, i)
        # The envelopes of one customer stay in one array, and no array
        # holds more than `per` (the API takes at most 10,000).
        if (f == "" || k + need > per) {
          if (f != "") { print "]" > f; close(f) }
          f = sprintf("%s/%06d.json", dir, i); printf "[" > f; k = 0; sep = ""
        }
        k += need
        printf "%s%s", sep, env > f; sep = ","
      }
      if (f != "") { print "]" > f; close(f) }
    }'
  local t2
  t2=$(now_ms)
  # The conversation of each customer: "i conversation-id".
  find "$T/events" -name '*.json' | sort |
    xargs -P "$PARALLEL" -I{} bash -c 'post /v1/events {} "$0" | jq -r ".results[] | select(.id | startswith(\"w-\")) | \"\(.id[2:]) \(.conversation)\"" > {}.out' "$ADMIN"
  cat "$T"/events/*.out | sort -n >"$D/bench-conversations"
  local t3
  t3=$(now_ms)
  log "events: $(wc -l <"$D/bench-conversations") conversations in $((t3 - t2)) ms"

  # Bulk transfers (grouped by agent) and bulk finishes, 500 ids a request.
  mkdir -p "$T/bulk"
  awk -v dir="$T/bulk" '
    # Ids are kept in arrays and joined once per request: appending to one
    # growing string would copy it at every id.
    {
      i = $1; c = $2; r = i % 1000
      if (r >= 150 && r < 195) next
      team = (i % 20) % 10
      agent = sprintf("a%03d", team + 10 * (int(i / 20) % 20))
      ids[agent, cnt[agent]++] = c
      if (r >= 195) fins[nf++] = c
    }
    function ids_of(first, last, a,   s, k) {
      s = ""
      for (k = first; k < last; k++) {
        s = s (k > first ? "," : "") "\"" (a == "" ? fins[k] : ids[a, k]) "\""
      }
      return s
    }
    END {
      m = 0
      for (a in cnt) {
        for (p = 0; p < cnt[a]; p += 500) {
          f = sprintf("%s/t%06d.json", dir, m++)
          last = p + 500 < cnt[a] ? p + 500 : cnt[a]
          printf "{\"action\":\"transfer\",\"agent\":\"%s\",\"ids\":[%s]}\n", a, ids_of(p, last, a) > f; close(f)
        }
      }
      for (p = 0; p < nf; p += 500) {
        f = sprintf("%s/f%06d.json", dir, m++)
        last = p + 500 < nf ? p + 500 : nf
        printf "{\"action\":\"finish\",\"ids\":[%s]}\n", ids_of(p, last, "") > f; close(f)
      }
    }' "$D/bench-conversations"
  local t4
  t4=$(now_ms)
  find "$T/bulk" -name 't*.json' | sort |
    xargs -P "$PARALLEL" -I{} bash -c 'post /v1/conversations/bulk {} "$0" | jq -r "[.results[] | select(.ok | not)] | length" > {}.out' "$ADMIN"
  local t5
  t5=$(now_ms)
  find "$T/bulk" -name 'f*.json' | sort |
    xargs -P "$PARALLEL" -I{} bash -c 'post /v1/conversations/bulk {} "$0" | jq -r "[.results[] | select(.ok | not)] | length" > {}.out' "$ADMIN"
  local t6 failed
  t6=$(now_ms)
  failed=$(cat "$T"/bulk/*.out | awk '{s += $1} END {print s + 0}')
  log "bulk: transfers $((t5 - t4)) ms, finishes $((t6 - t5)) ms, $failed items refused"
  LOAD_MS=$((t6 - t0))
  echo "$LOAD_MS" >"$D/bench-load-ms"
}

if [[ ! -d $D/db ]]; then
  mkdir -p "$D"
  start_engine
  load
else
  start_engine
  LOAD_MS=$(cat "$D/bench-load-ms" 2>/dev/null || echo "?")
fi
ADMIN=$(cat "$D/bench-admin-token")
AGENT=$(awk '$1 == "a000" {print $2}' "$D/bench-agent-tokens")

counts=$(curl -sf "$URL/v1/conversations?limit=1" -H "Authorization: Bearer $ADMIN" | jq -c .counts)
finished=$(curl -sf "$URL/v1/conversations?limit=1&status=finished" -H "Authorization: Bearer $ADMIN" | jq -c .counts.all)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$ENGINE_PID/status")
log "loaded: open/waiting counts $counts, finished $finished, RSS $((rss_kb / 1024)) MiB"

# Lua for the writes: the open conversations with their team, one per line.
awk '{r = $1 % 1000; if (r < 150) printf "%s %d %d\n", $2, ($1 % 20) % 10, $1}' \
  "$D/bench-conversations" >"$T/open.txt"
cat >"$T/writes.lua" <<'LUA'
-- Each thread takes every threads-th open conversation: no two threads
-- touch one conversation, so every request is a real change.
local shape = os.getenv("SHAPE")
local run = os.getenv("RUN") -- unique per run: a repeated shape is new input
local token = os.getenv("TOKEN")
local open, nthreads, counter = {}, tonumber(os.getenv("THREADS")), 0
local created = 0
me = 0 -- set per thread by setup()
function setup(thread)
  thread:set("me", created)
  created = created + 1
end
local signed = {} -- webhook: {signature, body}, this thread's
function init(args)
  if shape == "webhook" then
    for line in io.lines(os.getenv("WEBHOOKS") .. "-" .. me) do
      local sig, body = line:match("^(%x+)\t(.*)$")
      signed[#signed + 1] = {sig, body}
    end
    return
  end
  local k = 0
  for line in io.lines(os.getenv("OPEN")) do
    if k % nthreads == me then
      local c, team, i = line:match("(%S+) (%S+) (%S+)")
      open[#open + 1] = {c, tonumber(team), tonumber(i)}
    end
    k = k + 1
  end
end
local headers = {["Authorization"] = "Bearer " .. token,
                 ["Content-Type"] = "application/json"}
function request()
  counter = counter + 1
  if shape == "webhook" then
    local w = signed[(counter - 1) % #signed + 1]
    return wrk.format("POST", "/v1/webhooks/whatsapp",
                      {["Content-Type"] = "application/json",
                       ["X-Hub-Signature-256"] = "sha256=" .. w[1]}, w[2])
  end
  local o = open[(counter - 1) % #open + 1]
  if shape == "assignment" then
    -- visit v of this conversation: the next agent of its team, never the
    -- current one
    local v = math.floor((counter - 1) / #open) + 1
    local slot = (math.floor(o[3] / 20) + v) % 20
    local agent = string.format("a%03d", o[2] + 10 * slot)
    return wrk.format("POST", "/v1/conversations/" .. o[1] .. "/transfer",
                      headers, '{"agent":"' .. agent .. '"}')
  end
  local id = string.format("live-%s-%d-%d", run, me, counter)
  local body = string.format('{"id":"%s","type":"message.received","tenant":"bench","at":"%s","data":{"channel":"ch-%02d","from":"55119%08d","message_id":"%s","kind":"text","text":"Mais uma pergunta"}}',
    id, os.date("!%Y-%m-%dT%H:%M:%S.000Z"), o[3] % 20, o[3], id)
  return wrk.format("POST", "/v1/events", headers, body)
end
LUA

# Signed webhook bodies, one file per wrk thread: customer i of an open
# conversation writes to the number of channel i mod 20.
make_webhooks() {
  python3 - "$T/open.txt" "$T/webhooks" $((DURATION * 7000)) "$1" <<'PY'
import hashlib, hmac, json, sys, time
open_path, out, count, run = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
customers = [int(line.split()[2]) for line in open(open_path)]
files = [open(f"{out}-{t}", "w") for t in range(2)]
now = int(time.time())
for k in range(count):
    i = customers[k % len(customers)]
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{
        "id": "310000000000001", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "551199900000%02d" % (i % 20),
                         "phone_number_id": "1065403522429%02d" % (i % 20)},
            "contacts": [{"profile": {"name": "Cliente %d" % i},
                          "wa_id": "55119%08d" % i}],
            "messages": [{"from": "55119%08d" % i,
                          "id": "wamid.BENCH%s.%010d" % (run, k),
                          "timestamp": str(now), "type": "text",
                          "text": {"body": "Mais uma pergunta"}}]}}]}]},
        separators=(",", ":"), ensure_ascii=False)
    sig = hmac.new(b"bench-app-secret", body.encode(), hashlib.sha256).hexdigest()
    files[k % 2].write(sig + "\t" + body + "\n")
PY
}

# wal_stats: "FSYNCS SECONDS CYCLES" — the WAL fsyncs so far, their total
# time and the commit cycles, summed over partitions (GET /metrics).
wal_stats() {
  curl -s "$URL/metrics" | awk '
    /^atende_wal_sync_seconds_count/ {n += $NF}
    /^atende_wal_sync_seconds_sum/ {s += $NF}
    /^atende_commits_total/ {c += $NF}
    END {printf "%d %.6f %d\n", n, s, c}'
}

# run_shape NAME: wrk on one shape; prints "name req/s p50 p99 non2xx
# fsync cycles/fsync": the mean fsync of the WAL during the shape, measured
# by the engine in the same run (it bounds the write rate: with C
# connections at most C writes wait for one fsync), and how many commit
# cycles each fsync made durable.
run_shape() {
  local name=$1 path token script="" run before after
  run=$(now_ms)
  before=$(wal_stats)
  case $name in
    mine) path="/v1/conversations?view=mine"; token=$AGENT ;;
    unassigned) path="/v1/conversations?view=unassigned"; token=$AGENT ;;
    unassigned-admin) path="/v1/conversations?view=unassigned"; token=$ADMIN ;;
    channel) path="/v1/conversations?channel=ch-07"; token=$ADMIN ;;
    tag) path="/v1/conversations?tag=tag-3"; token=$ADMIN ;;
    team) path="/v1/conversations?team=team-4"; token=$ADMIN ;;
    assignment|message) path="/"; token=$ADMIN; script="$T/writes.lua" ;;
    webhook) path="/"; token=""; script="$T/writes.lua"; make_webhooks "$run" ;;
    *) echo "unknown shape $name" >&2; return 1 ;;
  esac
  local out
  if [[ -n $script ]]; then
    out=$(SHAPE=$name RUN=$run TOKEN=$token OPEN=$T/open.txt WEBHOOKS=$T/webhooks THREADS=2 \
      wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "$URL$path")
  else
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
      -H "Authorization: Bearer $token" "$URL$path")
  fi
  echo "$out" >"$T/wrk-$name.txt"
  if [[ $name == webhook ]]; then
    # Every payload must have been applied, none kept as unrouted.
    local kept
    kept=$(curl -s "$URL/v1/webhooks/whatsapp/unrouted?limit=1" \
      -H "Authorization: Bearer root" | jq '.items | length')
    [[ $kept == 0 ]] || { echo "webhook payloads were not applied (unrouted: $kept)" >&2; return 1; }
  fi
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  after=$(wal_stats)
  local fsync
  fsync=$(awk -v b="$before" -v a="$after" 'BEGIN {
    split(b, x, " "); split(a, y, " "); n = y[1] - x[1]
    if (n <= 0) { print "- | -"; exit }
    printf "%.2f ms | %.2f", (y[2] - x[2]) * 1000 / n, (y[3] - x[3]) / n }')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${bad:-0}" "$fsync"
}

echo
echo "atende bench-inbox: $N conversations, $CONNECTIONS connections, ${DURATION}s per shape, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load through the API: ${LOAD_MS} ms; RSS after load: $((rss_kb / 1024)) MiB ($((rss_kb * 1024 / N)) B per conversation)"
echo
echo "| shape | req/s | p50 | p99 | non-2xx | fsync (mean) | cycles per fsync |"
echo "|---|---|---|---|---|---|---|"
for s in $SHAPES; do
  run_shape "$s"
done

# Restart: a clean stop, then the time until /healthz answers, and the first
# write after it (a transfer) with its latency.
stop_engine
t0=$(now_ms)
start_engine
t1=$(now_ms)
first=$(head -1 "$T/open.txt")
conv=${first%% *}
team=$(awk '{print $2}' <<<"$first")
echo "{\"agent\":\"a$(printf %03d $((team + 10 * 19)))\"}" >"$T/x.json"
t2=$(now_ms)
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/conversations/$conv/transfer" \
  -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' --data-binary "@$T/x.json")
t3=$(now_ms)
echo
echo "restart after a clean stop: healthy in $((t1 - t0)) ms; first transfer $((t3 - t2)) ms (HTTP $code)"
grep -h 'views rebuilt' "$T/engine.err" | tail -1 || true
