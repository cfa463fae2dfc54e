#!/usr/bin/env bash
# Smoke test of leadkit_ab (ctest: leadkit_ab_smoke): two copies of one
# library compare as equals on tiny inputs, and bad arguments are refused
# with a usage error (exit 2) that names the argument.
#   ab_smoke.sh LEADKIT_AB LIBLEADKIT WORKDIR
set -euo pipefail
ab=$1 lib=$2 work=$3
mkdir -p "$work"
cp "$lib" "$work/a.so"
out=$("$ab" "$work/a.so" "$lib" persona 32 3 1 100 3)
grep -q 'B/A  median of 3 round ratios' <<<"$out" || { echo "persona: unexpected output: $out"; exit 1; }
out=$("$ab" "$work/a.so" "$lib" logistic 1 1000 3)
grep -q 'B/A  median of 3 round ratios' <<<"$out" || { echo "logistic: unexpected output: $out"; exit 1; }
out=$("$ab" "$work/a.so" "$lib" scorecard 2 1000 3)
grep -q 'B/A  median of 3 round ratios' <<<"$out" || { echo "scorecard: unexpected output: $out"; exit 1; }
out=$("$ab" "$work/a.so" "$lib" engagement 2 5000 3)
grep -q 'B/A  median of 3 round ratios' <<<"$out" || { echo "engagement: unexpected output: $out"; exit 1; }
out=$("$ab" "$work/a.so" "$lib" stream 1000 5000 3)
grep -q 'B/A  median of 3 round ratios' <<<"$out" || { echo "stream: unexpected output: $out"; exit 1; }
set +e
err=$("$ab" "$work/a.so" "$lib" stream 0 5000 3 2>&1); rc=$?
set -e
[[ $rc == 2 && $err == *"CHUNK: expected a whole number in [1, "* ]] || { echo "bad CHUNK: rc=$rc $err"; exit 1; }
set +e
err=$("$ab" "$work/a.so" "$lib" engagement 1 0 3 2>&1); rc=$?
set -e
[[ $rc == 2 && $err == *"EVENTS: expected a whole number in [1, "* ]] || { echo "bad EVENTS: rc=$rc $err"; exit 1; }
set +e
err=$("$ab" "$work/a.so" "$lib" persona 32 33 1 100 3 2>&1); rc=$?
set -e
[[ $rc == 2 && $err == *"k: expected a whole number in [1, 32], got '33'"* ]] || { echo "bad k: rc=$rc $err"; exit 1; }
set +e
err=$("$ab" "$work/missing.so" "$lib" logistic 1 1000 3 2>&1); rc=$?
set -e
[[ $rc == 1 && $err == *"cannot load $work/missing.so"* ]] || { echo "missing library: rc=$rc $err"; exit 1; }
echo "leadkit_ab: ok"
