#!/usr/bin/env bash
# Runs the README's walk-through exactly as written (the first ```sh block of
# README.md) against a fresh `atende serve`, only on a free port instead of
# 8080, and checks what it printed. Usage: readme_walkthrough.sh ATENDE README
set -euo pipefail
atende=$(realpath "$1")
readme=$(realpath "$2")
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cd "$work"
"$atende" serve --data ./data --listen 127.0.0.1:$port >serve.log 2>&1 &
echo $! >pid
for _ in $(seq 1 100); do
  curl -sf "localhost:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1 # waiting for a process to listen; no test logic depends on time
done
grep -q "root token (stored in ./data/root-token, shown once)" serve.log
awk '/^```sh$/{f=1;next} /^```$/{if(f)exit} f' "$readme" | sed "s/localhost:8080/localhost:$port/g" >walk.sh
bash -euo pipefail walk.sh >out.txt
cat out.txt
fail() { echo "FAIL: $1"; exit 1; }
grep -q '"status": "open"' out.txt || fail "take did not open the conversation"
grep -q '"assignee": "ana"' out.txt || fail "ana is not the assignee"
grep -q '"status": "finished"' out.txt || fail "finish did not finish it"
grep -q '"reason": "solved"' out.txt || fail "reason not recorded"
grep -q '"finished": *1\|"all": 1' out.txt || fail "finished list does not count it"
grep -q 'Olá Maria, posso ajudar!' out.txt || fail "reply not in messages"
grep -q 'Oi, preciso de ajuda' out.txt || fail "inbound message not in messages"
echo "readme walk-through: 1 passed, 0 failed"
