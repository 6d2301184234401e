#!/usr/bin/env bash
# fuzz.sh: the libFuzzer targets of tests/fuzz, built with AddressSanitizer
# and UndefinedBehaviorSanitizer into ./build-fuzz.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   explore: each target (default all)
#                                           for SECONDS (default 60)
#   scripts/fuzz.sh --check                 the test command's short run
#
# Targets: envelope (input decoders, simdjson against nlohmann), whatsapp
# (Meta's webhook mapping), codec (journal, snapshot and input records),
# cursor (list cursors), csv (contact import).
#
# Explore keeps a growing corpus in build-fuzz/corpus/<target>, starting from
# tests/fuzz/seeds/<target> (and, for whatsapp and envelope, the WhatsApp
# fixtures), and writes any crashing input to build-fuzz/crashes/<target>/.
# A crash found this way is fixed and its input added to
# tests/fuzz/regressions/<target>/, which every run replays first.
#
# --check is deterministic (seed 1, RUNS mutations per target, default
# 20000): the same inputs on every machine, so a failure is a finding, never
# luck. It replays the regressions and the seeds, then mutates.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD

check=0
seconds=60
if [[ ${1:-} == --check ]]; then
  check=1
  shift
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
all=(envelope whatsapp codec cursor csv)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
runs=${RUNS:-20000}

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DATENDE_FUZZ=ON -DATENDE_WERROR=OFF >/dev/null
cmake --build build-fuzz --target fuzz -j "$(nproc 2>/dev/null || echo 2)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${targets[@]}"; do
  bin=build-fuzz/fuzz/fuzz_$t
  [[ -x $bin ]] || { echo "fuzz: no target '$t' (one of: ${all[*]})" >&2; exit 2; }
  seeds=("$here/tests/fuzz/seeds/$t")
  if [[ $t == whatsapp || $t == envelope ]]; then
    seeds+=("$here/tests/fixtures/whatsapp")
    [[ -d $here/../shared/fixtures/whatsapp ]] && seeds+=("$here/../shared/fixtures/whatsapp")
  fi
  existing=()
  for d in "${seeds[@]}"; do [[ -d $d ]] && existing+=("$d"); done
  regressions=$here/tests/fuzz/regressions/$t
  crashes=build-fuzz/crashes/$t
  mkdir -p "$crashes"
  # The regressions, each input once.
  if [[ -d $regressions ]] && compgen -G "$regressions/*" >/dev/null; then
    if ! "$bin" "$regressions"/* >"build-fuzz/$t-regressions.log" 2>&1; then
      echo "fuzz: $t fails on a regression input (build-fuzz/$t-regressions.log)" >&2
      failed=1
      continue
    fi
  fi
  if [[ $check == 1 ]]; then
    work=$(mktemp -d)
    start=$(date +%s)
    if "$bin" -seed=1 -runs="$runs" -max_len=8192 -use_value_profile=1 \
        -artifact_prefix="$crashes/" "$work" "${existing[@]}" \
        >"build-fuzz/$t.log" 2>&1; then
      echo "fuzz: $t: $runs runs, no failure ($(( $(date +%s) - start )) s)"
    else
      echo "fuzz: $t FAILED; input in $crashes/, log in build-fuzz/$t.log" >&2
      tail -30 "build-fuzz/$t.log" >&2
      failed=1
    fi
    rm -rf "$work"
  else
    corpus=build-fuzz/corpus/$t
    mkdir -p "$corpus"
    echo "fuzz: $t for $seconds s (corpus $corpus)"
    "$bin" -max_total_time="$seconds" -max_len=8192 -use_value_profile=1 \
      -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$corpus" "${existing[@]}" 2>&1 | tail -12 || failed=1
  fi
done
exit $failed
