#!/usr/bin/env bash
# Installs what is missing, builds, and starts the hub with this machine's live metrics.
# Usage: shell/demo.sh [--listen 127.0.0.1:8080] [--simulate N] [more vigil-hub flags]
# Shows this machine plus a simulated fleet of 64 hosts (--simulate 0: this machine alone).
# Env: VIGIL_LISTEN=host:port. Ctrl-C stops the hub cleanly (it flushes its journal).
set -euo pipefail
cd "$(dirname "$0")/.."

listen=${VIGIL_LISTEN:-127.0.0.1:8080}
simulate=64
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) listen=$2; shift 2 ;;
    --simulate) simulate=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

shell/setup.sh
shell/build.sh all

mkdir -p build/demo
echo
echo "Vigil big screen: http://$listen/   (Ctrl-C to stop)"
echo
# exec: Ctrl-C reaches the hub directly, which closes its clients with 1012 and exits.
exec build/native/src/hub/vigil-hub --listen "$listen" --root build/wasm/site \
  --journal build/demo/journal --simulate "$simulate" ${args[@]+"${args[@]}"}
