#!/usr/bin/env bash
# Smoke test of leadkit_ab (ctest: leadkit_ab_smoke): two copies of one
# library compare as equals on tiny inputs, and bad arguments are refused
# with a usage error (exit 2) that names the argument.
#   ab_smoke.sh LEADKIT_AB LIBLEADKIT WORKDIR
set -euo pipefail
ab=$1 lib=$2 work=$3
mkdir -p "$work"
cp "$lib" "$work/a.so"

# compares WORKLOAD ARGS...: both copies run and a B/A ratio is printed.
compares() {
  local out
  out=$("$ab" "$work/a.so" "$lib" "$@")
  grep -q 'B/A  median of 3 round ratios' <<<"$out" || { echo "$1: unexpected output: $out"; exit 1; }
}
# refused RC MESSAGE LIB WORKLOAD ARGS...: exits with RC, MESSAGE on stderr.
refused() {
  local want=$1 message=$2 rc=0 err
  shift 2
  err=$("$ab" "$1" "$lib" "${@:2}" 2>&1) || rc=$?
  [[ $rc == "$want" && $err == *"$message"* ]] || { echo "expected exit $want with '$message': rc=$rc $err"; exit 1; }
}

compares persona 32 3 1 100 3
compares logistic 1 1000 3
compares scorecard 2 1000 3
compares engagement 2 5000 3
compares stream 1000 5000 3
refused 2 "CHUNK: expected a whole number in [1, " "$work/a.so" stream 0 5000 3
refused 2 "EVENTS: expected a whole number in [1, " "$work/a.so" engagement 1 0 3
refused 2 "k: expected a whole number in [1, 32], got '33'" "$work/a.so" persona 32 33 1 100 3
refused 1 "cannot load $work/missing.so" "$work/missing.so" logistic 1 1000 3
echo "leadkit_ab: ok"
