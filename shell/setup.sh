#!/usr/bin/env bash
# Installs what Vigil needs to build and test, and only what is missing. Idempotent.
# Debian 12 packages, Dear ImGui's sources from Debian's source package, npm packages from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "setup: run as root or install sudo (apt-get needs it)" >&2; exit 1; fi

packages=(
  cmake ninja-build g++ pkg-config dpkg-dev xz-utils      # build tools
  emscripten binaryen node-acorn                           # C++ -> wasm (emcc runs /usr/bin/node)
  nlohmann-json3-dev doctest-dev libboost-dev               # header-only libraries
  chromium fonts-noto-cjk python3-fonttools                 # browser tests, CJK font subset
  nginx-light gcovr                                         # proxy tests, core coverage
  prometheus-node-exporter                                  # real exposition bodies (scrape-source tests)
  prometheus                                                # /metrics: promtool and a real scrape (hub tests)
  openssl                                                   # a self-signed cert for the https page test
  zlib1g-dev                                                # the scrape tests gzip bodies as nginx and Go do
  libdeflate-dev                                            # gzip bodies of scrape targets (hub)
  nats-server libnats-dev                                   # --nats: JetStream journal (hub), HA tests
)
missing=()
# Node.js may come from elsewhere (nodesource ships its own npm): only add Debian's when there is none.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# apt-get source needs deb-src entries: derive them from the configured deb sources, never name a mirror.
srcfile=/etc/apt/sources.list.d/vigil-deb-src.sources
need_src=0
[ -f "$srcfile" ] || need_src=1
if [ "$need_src" = 1 ]; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ "$f" = "$srcfile" ] && continue
    sed -e 's/^Types: deb$/Types: deb-src/' "$f"; echo
  done | "${sudo[@]}" tee "$srcfile" >/dev/null
fi

imgui_dir=$root/build/deps/imgui
if [ ${#missing[@]} -gt 0 ] || [ ! -f "$imgui_dir/imgui.cpp" ]; then
  echo "setup: apt-get update"
  "${sudo[@]}" apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Dear ImGui sources (imgui.cpp and the GLFW/OpenGL3 backends) from Debian's source package.
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  echo "setup: fetching Dear ImGui sources (apt-get source imgui)"
  tmp=$(mktemp -d); chmod 777 "$tmp"   # apt's _apt user downloads into it
  (cd "$tmp" && apt-get source --download-only -qq imgui >/dev/null)
  mkdir -p "$imgui_dir"
  tar -xf "$tmp"/imgui_*.orig.tar.* -C "$imgui_dir" --strip-components=1
  rm -rf "$tmp"
fi

# npm packages of the browser tests, exactly as locked.
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  echo "setup: npm ci (tests/)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: ok (IMGUI_DIR=$imgui_dir)"
