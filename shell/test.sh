#!/usr/bin/env bash
# Installs what is missing, builds both presets and runs every test (unit, integration, browser)
# through ctest. Exits non-zero on any failure; the last lines are ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

shell/setup.sh
shell/build.sh all

# Line coverage of the connection core (its own instrumented build; printed, and held at >= 90 %).
shell/coverage.sh

# Each browser scenario appends a one-line figure (time to detect, to recover, samples missing)
# to summary.log; ctest hides passing tests' output, so the figures are printed here, and then
# ctest's own summary again so that it stays the last thing said.
summary=build/native/browser-artifacts/summary.log
rm -f "$summary"
set +e
ctest --preset native "$@" 2>&1 | tee build/native/ctest.log
rc=${PIPESTATUS[0]}
set -e
if [ -s "$summary" ]; then
  echo; echo "Scenario figures:"; cat "$summary"; echo
  sed -n '/tests passed, /,$p' build/native/ctest.log
fi
exit "$rc"
