# Shared by scripts/demo, scripts/test and scripts/bench: go to the repository
# root and make sure the Debian packages are there (installing them when run
# as root, as on a fresh machine or in CI).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! scripts/bootstrap --check >/dev/null 2>&1; then
  scripts/bootstrap
fi
JOBS=$(nproc 2>/dev/null || echo 2)
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$JOBS}
