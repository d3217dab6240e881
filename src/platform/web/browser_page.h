// The browser page around the wasm: signals (online/offline, visibility, pagehide/pageshow),
// the window.vigil getter, URL query parameters and the watchdog's heartbeat.
// Implemented features:
//  [X] browser signals delivered as plain calls (the connection core knows no browser)
//  [X] window.vigil: a JSON snapshot produced on demand by the app
//  [X] ?name= query parameters, default hub URL from the page's own origin
//  [X] "alive" beats for the page's JS watchdog
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil::web {

struct BrowserHooks {
    std::function<void()> online, offline, visible, hidden, pagehide, pageshow;
    std::function<void()> input;               // a key, a click, a resize: the screen should redraw
    std::function<std::string()> state_json;  // what window.vigil returns, as JSON text
    // ?debug=1 only: decode and apply a samples frame `count` times off-screen (benchmarks).
    std::function<long(std::string_view text, int count)> ingest_bench;
    std::function<void()> reset_frame_stats;
};

// Installs the listeners and the window.vigil getter. Returns navigator.onLine.
// With `debug`, window.vigilDebug.abort() makes the wasm abort (for the watchdog's test).
bool install_browser_hooks(BrowserHooks hooks, bool debug);

std::optional<std::string> query_param(const char* name);

// `text` as encodeURIComponent writes it: what the page puts into a URL (a token) stays one value.
std::string uri_component(const std::string& text);

// ws:// (or wss:// on an https page) + the page's host + /ws: the hub that served the page.
std::string default_ws_url();

// The text of config.json as the page fetched it; empty when there is none.
std::string config_text();

// The CJK font fetched by the page (empty when it could not load: ASCII fallback).
std::vector<unsigned char> font_bytes();

// Bytes the wasm heap holds now (its size: it grows, never shrinks).
std::size_t heap_bytes();
// Bytes malloc has handed out and not had back: what a leak would grow.
std::size_t heap_used_bytes();

// Tells the page's JS watchdog that the wasm main loop is alive.
void report_alive();

// Tells the page's loader that the link opened: it looks for a new build of the site then.
void report_connected();

// The build id of the site as the loader read it from build.json at boot ("" without one).
std::string site_build();

}  // namespace vigil::web
