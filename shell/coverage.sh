#!/usr/bin/env bash
# Line coverage of the portable connection core (src/core) from its unit tests, with gcovr.
# Prints the figure and fails below the floor. Usage: shell/coverage.sh [floor percent, default 90]
set -euo pipefail
cd "$(dirname "$0")/.."
floor=${1:-90}

[ -f build/native-coverage/build.ninja ] || cmake --preset native-coverage >/dev/null
targets=$(cd tests/unit && ls test_core_*.cpp 2>/dev/null | sed 's/\.cpp$//' | tr '\n' ' ')
if [ -z "$targets" ]; then echo "coverage: no core tests yet"; exit 0; fi
cmake --build --preset native-coverage -j "${VIGIL_JOBS:-$(nproc)}" --target $targets >/dev/null
find build/native-coverage -name '*.gcda' -delete
ctest --test-dir build/native-coverage -R '^unit\.test_core_' --output-on-failure >/dev/null
gcovr -r . --filter 'src/core/' --fail-under-line "$floor" --print-summary -o build/native-coverage/coverage-core.txt build/native-coverage/src/core \
  | sed 's/^/coverage (src\/core): /'
