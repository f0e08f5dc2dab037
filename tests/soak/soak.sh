#!/usr/bin/env bash
# Soak test: tests/soak/soak.sh [seconds] [build dir]   (default 300 s, ./build)
# Viewers churn against an in-process server while streaming is toggled; see soak.cpp and
# docs/security.md. Under valgrind: VALGRIND=1 tests/soak/soak.sh 120
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-300}
build=${2:-$here/build}
driver=$build/tests/soak/soak
[[ -x $driver ]] || { echo "build first: cmake --build $build (missing $driver)" >&2; exit 1; }
if [[ ${VALGRIND:-} == 1 ]]; then
  exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --track-fds=no "$driver" "$seconds"
fi
exec "$driver" "$seconds"
