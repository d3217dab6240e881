// The browser page around the wasm (see the header). The JS side is vigil_page.js.
#include "platform/web/browser_page.h"

#include <emscripten/emscripten.h>

#include <malloc.h>

#include <cstdlib>
#include <utility>

extern "C" {
int vigil_js_install_signals();
void vigil_js_install_page_api();
int vigil_js_query_param(const char* name, char* out, int len);
void vigil_js_default_ws_base(char* out, int len);
int vigil_js_uri_component(const char* text, char* out, int len);
void vigil_js_alive();
void vigil_js_connected();
void vigil_js_site_build(char* out, int len);
int vigil_js_config_text(char* out, int len);
int vigil_js_font_bytes(unsigned char* out, int len);
void vigil_js_install_input_wakeup();
void vigil_js_install_debug_hooks();
double vigil_js_heap_bytes();
}

namespace vigil::web {
namespace {

// Backend state in one place, reached through one accessor.
struct PageState {
    BrowserHooks hooks;
    bool debug = false;
    std::string snapshot;  // keeps the last window.vigil text alive while JS reads it
};

PageState& page() {
    static PageState state;
    return state;
}

void call(const std::function<void()>& fn) {
    if (fn) fn();
}

}  // namespace

bool install_browser_hooks(BrowserHooks hooks, bool debug) {
    page().hooks = std::move(hooks);
    page().debug = debug;
    vigil_js_install_page_api();
    vigil_js_install_input_wakeup();
    if (debug) vigil_js_install_debug_hooks();
    return vigil_js_install_signals() != 0;
}

std::vector<unsigned char> font_bytes() {
    const int size = vigil_js_font_bytes(nullptr, 0);
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size > 0 ? size : 0));
    if (size > 0) vigil_js_font_bytes(bytes.data(), size);
    return bytes;
}

std::size_t heap_bytes() { return static_cast<std::size_t>(vigil_js_heap_bytes()); }

std::size_t heap_used_bytes() { return static_cast<std::size_t>(mallinfo().uordblks); }

std::optional<std::string> query_param(const char* name) {
    char buf[2048] = {};
    if (vigil_js_query_param(name, buf, sizeof buf) == 0) return std::nullopt;
    return std::string(buf);
}

std::string uri_component(const std::string& text) {
    const int need = vigil_js_uri_component(text.c_str(), nullptr, 0);
    std::string out(static_cast<std::size_t>(need), '\0');
    vigil_js_uri_component(text.c_str(), out.data(), need);
    out.resize(need > 0 ? static_cast<std::size_t>(need - 1) : 0);
    return out;
}

std::string default_ws_url() {
    char buf[512] = {};
    vigil_js_default_ws_base(buf, sizeof buf);
    return std::string(buf) + "/ws";
}

std::string config_text() {
    const int need = vigil_js_config_text(nullptr, 0);
    std::string text(static_cast<std::size_t>(need), '\0');
    vigil_js_config_text(text.data(), need);
    text.resize(need > 0 ? static_cast<std::size_t>(need - 1) : 0);
    return text;
}

void report_alive() { vigil_js_alive(); }

void report_connected() { vigil_js_connected(); }

std::string site_build() {
    char buf[256] = {};
    vigil_js_site_build(buf, sizeof buf);
    return buf;
}

}  // namespace vigil::web

// Entry points the JS glue calls. EMSCRIPTEN_KEEPALIVE exports them as Module._name.
extern "C" {
EMSCRIPTEN_KEEPALIVE void vigil_on_online() { vigil::web::call(vigil::web::page().hooks.online); }
EMSCRIPTEN_KEEPALIVE void vigil_on_offline() { vigil::web::call(vigil::web::page().hooks.offline); }
EMSCRIPTEN_KEEPALIVE void vigil_on_visible() { vigil::web::call(vigil::web::page().hooks.visible); }
EMSCRIPTEN_KEEPALIVE void vigil_on_hidden() { vigil::web::call(vigil::web::page().hooks.hidden); }
EMSCRIPTEN_KEEPALIVE void vigil_on_pagehide() { vigil::web::call(vigil::web::page().hooks.pagehide); }
EMSCRIPTEN_KEEPALIVE void vigil_on_pageshow() { vigil::web::call(vigil::web::page().hooks.pageshow); }
EMSCRIPTEN_KEEPALIVE void vigil_on_input() { vigil::web::call(vigil::web::page().hooks.input); }
// Test-only: the watchdog's scenario needs a wasm that dies. Does nothing without ?debug=1.
EMSCRIPTEN_KEEPALIVE void vigil_debug_abort() {
    if (vigil::web::page().debug) std::abort();
}
EMSCRIPTEN_KEEPALIVE long vigil_debug_ingest(const char* text, int count) {
    auto& p = vigil::web::page();
    if (!p.debug || !p.hooks.ingest_bench || !text) return -1;
    return p.hooks.ingest_bench(text, count);
}
EMSCRIPTEN_KEEPALIVE void vigil_debug_reset_frame_stats() {
    if (vigil::web::page().debug) vigil::web::call(vigil::web::page().hooks.reset_frame_stats);
}
EMSCRIPTEN_KEEPALIVE const char* vigil_page_state() {
    auto& p = vigil::web::page();
    p.snapshot = p.hooks.state_json ? p.hooks.state_json() : std::string("{}");
    return p.snapshot.c_str();
}
}
