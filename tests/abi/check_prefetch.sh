#!/usr/bin/env bash
# Checks that the hot loops of a built libleadkit really issue their software
# prefetches. GCC deletes calls to an out-of-line function that does nothing
# but prefetch (it counts as side-effect free), which silently removed every
# prefetch from the kernels once; kernels/prefetch.hpp now forces inlining,
# and this test keeps it that way.
#
#   check_prefetch.sh libleadkit.so
set -euo pipefail
lib="$1"
command -v objdump >/dev/null || { echo "check_prefetch: objdump not found"; exit 1; }
# Every function whose demangled name matches one of these must contain a
# prefetch instruction; each pattern must match at least one function.
# A lambda local to a matching function (one GCC chose not to inline:
# "persona_rows(...)::{lambda(...)#1}::operator()") is not the function.
# Loops that live in a lambda are checked by any_patterns: at least one of
# the functions matching each of those must prefetch.
patterns=(
  'leadkit::kernels::[a-z0-9_]+::linear_rows\('
  'leadkit::kernels::[a-z0-9_]+::multi_dot_rows\('
  'leadkit::kernels::[a-z0-9_]+::persona_rows\('
  'leadkit::engine::Scorecard::score_tile\('
  'leadkit::engine::PointsModel::score_rows\('
)
any_patterns=(
  # The engagement batch pass: a thread-pool task of EngagementModel::score.
  'leadkit::engine::EngagementModel::score\(.*\)( const)?::\{lambda'
)
report=$(objdump -d -C --no-show-raw-insn "$lib" | awk '
  /^[0-9a-f]+ <.*>:$/ { if (fn != "") print n "\t" fn; fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); n = 0; next }
  /prefetch/ { n++ }
  END { if (fn != "") print n "\t" fn }')
fail=0
for p in "${patterns[@]}"; do
  matches=$(grep -P "^[0-9]+\t${p}" <<<"$report" | grep -vP '\)( const)?::\{lambda' || true)
  if [[ -z "$matches" ]]; then
    echo "check_prefetch: no function matches /${p}/ in ${lib}"
    fail=1
    continue
  fi
  while IFS=$'\t' read -r n fn; do
    if [[ "$n" -eq 0 ]]; then
      echo "check_prefetch: ${fn%%(*} issues no prefetch"
      fail=1
    else
      echo "check_prefetch: ${fn%%(*}: ${n} prefetch instructions"
    fi
  done <<<"$matches"
done
for p in "${any_patterns[@]}"; do
  best=$(grep -P "^[0-9]+\t${p}" <<<"$report" | sort -n | tail -n 1 | cut -f1 || true)
  if [[ -z "$best" || "$best" -eq 0 ]]; then
    echo "check_prefetch: no function matching /${p}/ issues a prefetch"
    fail=1
  else
    echo "check_prefetch: /${p}/: ${best} prefetch instructions"
  fi
done
exit $fail
