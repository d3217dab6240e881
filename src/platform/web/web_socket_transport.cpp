// core::Transport over the page's WebSocket table (see the header; the JS side is vigil_page.js).
#include "platform/web/web_socket_transport.h"

#include <emscripten/emscripten.h>

#include <string>

extern "C" {
int vigil_js_ws_open(void* owner, const char* url, const char* protocols, char* err, int err_len);
int vigil_js_ws_send(int id, const char* text, int len);
double vigil_js_ws_buffered(int id);
int vigil_js_ws_release(int id, int code, const char* reason);
}

namespace vigil::web {
namespace {

// Every event carries the transport that opened the socket (`owner`) and the socket's id.
core::TransportListener* listener_of(void* owner) {
    return owner != nullptr ? static_cast<WebSocketTransport*>(owner)->listener() : nullptr;
}

}  // namespace

WebSocketTransport::~WebSocketTransport() { listener_ = nullptr; }

core::SocketId WebSocketTransport::open(const std::string& url, const std::vector<std::string>& protocols,
                                        std::string* error) {
    std::string joined;
    for (const auto& p : protocols) joined += (joined.empty() ? "" : ",") + p;
    char why[512] = {};
    const int id = vigil_js_ws_open(this, url.c_str(), joined.empty() ? nullptr : joined.c_str(), why, sizeof why);
    if (id <= 0) {
        if (error) *error = why;
        return 0;
    }
    ++live_;
    return static_cast<core::SocketId>(id);
}

bool WebSocketTransport::send_text(core::SocketId id, std::string_view text) {
    return vigil_js_ws_send(static_cast<int>(id), text.data(), static_cast<int>(text.size())) != 0;
}

std::size_t WebSocketTransport::buffered_amount(core::SocketId id) const {
    return static_cast<std::size_t>(vigil_js_ws_buffered(static_cast<int>(id)));
}

void WebSocketTransport::close(core::SocketId id, int code, std::string_view reason) {
    // The browser only lets pages send 1000 or 3000-4999, and at most 123 bytes of reason.
    const int sendable = (code == 1000 || (code >= 3000 && code <= 4999)) ? code : 1000;
    const std::string why(reason.substr(0, 120));
    if (vigil_js_ws_release(static_cast<int>(id), sendable, why.c_str()) != 0) --live_;
}

}  // namespace vigil::web

// Events from the JS table. EMSCRIPTEN_KEEPALIVE exports them as Module._name.
extern "C" {
EMSCRIPTEN_KEEPALIVE void vigil_ws_on_open(void* owner, int id) {
    if (auto* l = vigil::web::listener_of(owner)) l->on_socket_open(static_cast<vigil::core::SocketId>(id));
}
EMSCRIPTEN_KEEPALIVE void vigil_ws_on_message(void* owner, int id, const char* data, int len, int binary) {
    if (auto* l = vigil::web::listener_of(owner))
        l->on_socket_message(static_cast<vigil::core::SocketId>(id),
                             std::string_view(data, static_cast<std::size_t>(len)), binary != 0);
}
EMSCRIPTEN_KEEPALIVE void vigil_ws_on_error(void* owner, int id) {
    if (auto* l = vigil::web::listener_of(owner)) l->on_socket_error(static_cast<vigil::core::SocketId>(id));
}
EMSCRIPTEN_KEEPALIVE void vigil_ws_on_close(void* owner, int id, int code, const char* reason, int clean) {
    if (auto* l = vigil::web::listener_of(owner))
        l->on_socket_close(static_cast<vigil::core::SocketId>(id), code, reason, clean != 0);
}
}
