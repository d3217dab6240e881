#!/usr/bin/env bash
# Builds both presets, incrementally: native (hub, tests) into build/native, the page into build/wasm/site.
# Usage: shell/build.sh [native|wasm|all]   (default all). Expects shell/setup.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

# emcc runs node for its JS optimizer; Debian's node-acorn lives outside node's default module path.
[ -d /usr/share/nodejs ] && export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
if [ -z "${EMSCRIPTEN_TOOLCHAIN:-}" ] && command -v em-config >/dev/null; then
  export EMSCRIPTEN_TOOLCHAIN="$(em-config EMSCRIPTEN_ROOT)/cmake/Modules/Platform/Emscripten.cmake"
fi
jobs=${VIGIL_JOBS:-$(nproc)}

if [ "$what" = all ] || [ "$what" = native ]; then
  [ -f build/native/build.ninja ] || cmake --preset native >/dev/null
  cmake --build --preset native -j "$jobs"
fi
if [ "$what" = all ] || [ "$what" = wasm ]; then
  [ -f build/wasm/build.ninja ] || cmake --preset wasm >/dev/null
  cmake --build --preset wasm -j "$jobs"
fi
