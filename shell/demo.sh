#!/usr/bin/env bash
# Installs what is missing, builds, and starts the hub with this machine's live metrics.
# Usage: shell/demo.sh [--listen 127.0.0.1:8080] [--simulate N] [--no-node-exporter] [--ha] [more vigil-hub flags]
# Shows this machine plus a simulated fleet of 64 hosts (--simulate 0: this machine alone), and this
# machine again as its real node_exporter sees it, scraped by the hub (host `node-exporter`): the
# one on 127.0.0.1:9100 if something listens there, else one the demo starts (stopped with it).
# Env: VIGIL_LISTEN=host:port. Ctrl-C stops the hub cleanly (it flushes its journal).
# --ha: the arrangement of README "Several hubs" instead (tests/browser/tools/ha_rig.js): a 3-node
# nats-server cluster with JetStream (its store in a temp folder), 2 hubs sharing its stream
# (--nats, replicas 3, the simulated fleet) and nginx in front of both on --listen; kill -9 a hub
# (the PIDs are printed) and the screens move to the other. Ctrl-C stops every process it started.
# Only --listen and --simulate apply with --ha.
set -euo pipefail
cd "$(dirname "$0")/.."

listen=${VIGIL_LISTEN:-127.0.0.1:8080}
simulate=64
exporter=1
ha=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) listen=$2; shift 2 ;;
    --simulate) simulate=$2; shift 2 ;;
    --no-node-exporter) exporter=0; shift ;;
    --ha) ha=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

shell/setup.sh
shell/build.sh all

if [ "$ha" = 1 ]; then
  # node runs the rig as its child processes' parent: Ctrl-C reaches node, which stops them by PID.
  NODE_PATH=$PWD/tests/node_modules exec node tests/browser/tools/ha_rig.js --demo --listen "$listen" --simulate "$simulate"
fi

mkdir -p build/demo
hub=build/native/src/hub/vigil-hub
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Answers /metrics with node_exporter's own series (bash's /dev/tcp: no curl needed).
is_node_exporter() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
   timeout 5 cat <&3 | grep -q '^node_exporter_build_info') 2>/dev/null
}
exporter_pid=
if [ "$exporter" = 1 ] && ! "$hub" --help 2>&1 | grep -q -- '--targets'; then
  echo "demo: this hub has no --targets yet: showing the simulated fleet only" >&2
  exporter=0
fi
if [ "$exporter" = 1 ]; then
  # A Debian machine with the package running has its node_exporter on :9100: scrape that one.
  # Something else on 9100: start ours on the first free port after it.
  port=9100
  if is_node_exporter $port; then
    echo "demo: scraping the node_exporter already listening on 127.0.0.1:$port"
  else
    while listening $port && [ $port -lt 9199 ]; do port=$((port + 1)); done
    bin=$(command -v prometheus-node-exporter || echo /usr/bin/prometheus-node-exporter)
    "$bin" --web.listen-address=127.0.0.1:$port >build/demo/node_exporter.log 2>&1 &
    exporter_pid=$!
    trap 'kill "$exporter_pid" 2>/dev/null' EXIT
    for _ in $(seq 100); do is_node_exporter $port && break; sleep 0.1; done  # a poll with a 10 s deadline
    is_node_exporter $port || { echo "demo: node_exporter did not answer on 127.0.0.1:$port (build/demo/node_exporter.log)" >&2; exit 1; }
    echo "demo: started node_exporter on 127.0.0.1:$port (pid $exporter_pid, stopped with the demo)"
  fi
  cat >build/demo/targets.json <<JSON
{"targets": [{"address": "127.0.0.1:$port", "host": "node-exporter", "name": "$(hostname) (node_exporter)",
              "labels": {"site": "demo", "role": "node_exporter"}}]}
JSON
  args=(--targets build/demo/targets.json ${args[@]+"${args[@]}"})
fi
echo
echo "Vigil big screen: http://$listen/   (Ctrl-C to stop)"
echo
run=("$hub" --listen "$listen" --root build/wasm/site --journal build/demo/journal --simulate "$simulate" ${args[@]+"${args[@]}"})
# exec: Ctrl-C reaches the hub directly, which closes its clients with 1012 and exits. With a
# node_exporter of ours to stop afterwards, the hub runs as a child instead (a background child of
# a script ignores SIGINT: the trap turns Ctrl-C into the hub's SIGTERM, the same clean stop), and
# the EXIT trap stops the exporter by its PID once the hub is gone.
[ -z "$exporter_pid" ] && exec "${run[@]}"
"${run[@]}" &
hub_pid=$!
trap 'kill -TERM "$hub_pid" 2>/dev/null' INT TERM
wait "$hub_pid"; wait "$hub_pid" 2>/dev/null
