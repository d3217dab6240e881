#!/usr/bin/env bash
# Installs what is missing, builds both presets and runs every test (unit, integration, browser)
# through ctest. Exits non-zero on any failure; the last lines are ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

shell/setup.sh
shell/build.sh all

# Line coverage of the connection core (its own instrumented build; printed, and held at >= 90 %).
shell/coverage.sh

exec ctest --preset native "$@"
