#!/usr/bin/env bash
# Runs every benchmark of issue 7 against RELEASE builds and prints ONE table; the same figures go
# to build/bench/results.json (each benchmark's raw result: build/bench/results/<name>.json).
# Benchmarks print numbers, they never fail on a timing. ~25 min on 2 cores by default.
# Usage: shell/bench.sh [--long] [--quick] [--only "recovery detection ..."] [--no-setup]
#   --long   the long variants (detection: the baseline watched for 60 s on every repetition)
#   --quick  2 repetitions and short windows (to check the bench itself, not to quote)
#   names: recovery detection herd ingest frame size memory fanout journal sockets scrape push scale
#          alarms (the alarm board per frame at 1,000 and 5,000 hosts, model only, ~10 s)
#          failover (issue 14: 3 NATS nodes, 2 hubs, nginx, 100 protocol-client screens; ~6 min)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
all="journal size ingest frame memory fanout detection herd recovery sockets scrape push scale alarms failover"
only=$all
setup=1
while [ $# -gt 0 ]; do
  case "$1" in
    --long) export VIGIL_BENCH_LONG=1 ;;
    --quick) export VIGIL_BENCH_QUICK=1 ;;
    --only) only=$2; shift ;;
    --no-setup) setup=0 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
t0=$(date +%s)
lock() { if command -v flock >/dev/null; then flock /tmp/vigil-build.lock "$@"; else "$@"; fi; }

set -e
[ "$setup" = 1 ] && shell/setup.sh
# The page: the wasm preset is Release already.
lock shell/build.sh wasm
# The hub and the bench tools, Release, in a build folder of their own (tests/bench/CMakeLists.txt
# pulls in the whole project and builds only what is asked).
[ -d /usr/share/nodejs ] && export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
lock bash -c "cmake -S tests/bench -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMGUI_DIR=$root/build/deps/imgui >/dev/null &&
  cmake --build build/bench --target vigil-hub vigil-load vigil-journal-bench vigil-exposition-bench vigil-alarms-bench -j ${VIGIL_JOBS:-$(nproc)}"
set +e

# 1,000 sockets for the fan-out: raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

export VIGIL_HUB=$root/build/bench/vigil/src/hub/vigil-hub
export VIGIL_SITE=$root/build/wasm/site
export VIGIL_BENCH_TOOLS=$root/build/bench
export VIGIL_BENCH_OUT=$root/build/bench/results
export VIGIL_ARTIFACTS=$root/build/bench/artifacts
export NODE_PATH=$root/tests/node_modules
rm -rf "$VIGIL_BENCH_OUT"
mkdir -p "$VIGIL_BENCH_OUT" "$VIGIL_ARTIFACTS"
log=$root/build/bench/bench.log
: > "$log"

# Each benchmark bounded by its own deadline and, as a backstop, by timeout(1).
declare -A limit=([journal]=300 [size]=300 [ingest]=540 [frame]=660 [memory]=600 [fanout]=660 [detection]=960 [herd]=960 [recovery]=1260 [sockets]=300 [scrape]=780 [push]=300 [scale]=900 [alarms]=300 [failover]=900)
for name in $all; do
  case " $only " in *" $name "*) ;; *) continue ;; esac
  echo "== bench $name ($(date +%H:%M:%S))" | tee -a "$log"
  timeout -k 10 "${limit[$name]}" node "tests/bench/$name.bench.js" 2>&1 | tee -a "$log"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || echo "== bench $name ended with status $rc (its result says how far it got)" | tee -a "$log"
done

echo
node tests/bench/report.js "$(( $(date +%s) - t0 ))" | tee "$root/build/bench/table.txt"
