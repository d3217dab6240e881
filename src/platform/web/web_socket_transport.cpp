// core::Transport over emscripten/websocket.h (see the header for what it does and does not do).
#include "platform/web/web_socket_transport.h"

#include <emscripten/websocket.h>

#include <string>

extern "C" int vigil_js_check_ws_url(const char* url, char* err, int err_len);

namespace vigil::web {
namespace {

// The callbacks' userData is the transport; the event names the socket. Emscripten socket
// handles are small positive ints, so they serve as SocketIds directly.
WebSocketTransport* self(void* user) { return static_cast<WebSocketTransport*>(user); }

EM_BOOL on_open(int, const EmscriptenWebSocketOpenEvent* e, void* user) {
    if (auto* l = self(user)->listener()) l->on_socket_open(static_cast<core::SocketId>(e->socket));
    return EM_TRUE;
}

EM_BOOL on_message(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
    if (auto* l = self(user)->listener()) {
        // Text arrives NUL-terminated: numBytes counts the terminator.
        std::size_t n = e->numBytes;
        if (e->isText && n > 0) --n;
        l->on_socket_message(static_cast<core::SocketId>(e->socket),
                             std::string_view(reinterpret_cast<const char*>(e->data), n), !e->isText);
    }
    return EM_TRUE;
}

EM_BOOL on_error(int, const EmscriptenWebSocketErrorEvent* e, void* user) {
    if (auto* l = self(user)->listener()) l->on_socket_error(static_cast<core::SocketId>(e->socket));
    return EM_TRUE;
}

EM_BOOL on_close(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
    if (auto* l = self(user)->listener())
        l->on_socket_close(static_cast<core::SocketId>(e->socket), e->code, e->reason, e->wasClean);
    return EM_TRUE;
}

// The out-parameter is `unsigned long long` in Emscripten 3.1.6 and `size_t` in later releases.
template <typename Amount>
std::size_t read_buffered(EMSCRIPTEN_WEBSOCKET_T ws, EMSCRIPTEN_RESULT (*get)(EMSCRIPTEN_WEBSOCKET_T, Amount*)) {
    Amount amount = 0;
    return get(ws, &amount) == EMSCRIPTEN_RESULT_SUCCESS ? static_cast<std::size_t>(amount) : 0;
}

}  // namespace

WebSocketTransport::~WebSocketTransport() { listener_ = nullptr; }

core::SocketId WebSocketTransport::open(const std::string& url, const std::vector<std::string>& protocols,
                                        std::string* error) {
    char why[256] = {};
    if (vigil_js_check_ws_url(url.c_str(), why, sizeof why) != 0) {
        if (error) *error = why;
        return 0;
    }
    std::string joined;
    for (const auto& p : protocols) joined += (joined.empty() ? "" : ",") + p;

    EmscriptenWebSocketCreateAttributes attrs;
    emscripten_websocket_init_create_attributes(&attrs);
    attrs.url = url.c_str();
    attrs.protocols = joined.empty() ? nullptr : joined.c_str();
    attrs.createOnMainThread = EM_TRUE;
    const EMSCRIPTEN_WEBSOCKET_T ws = emscripten_websocket_new(&attrs);
    if (ws <= 0) {
        if (error) *error = "the browser refused to create a WebSocket (" + std::to_string(ws) + ")";
        return 0;
    }
    emscripten_websocket_set_onopen_callback(ws, this, on_open);
    emscripten_websocket_set_onmessage_callback(ws, this, on_message);
    emscripten_websocket_set_onerror_callback(ws, this, on_error);
    emscripten_websocket_set_onclose_callback(ws, this, on_close);
    ++live_;
    return static_cast<core::SocketId>(ws);
}

bool WebSocketTransport::send_text(core::SocketId id, std::string_view text) {
    // send_utf8_text wants a NUL-terminated string; messages are small, the copy is cheap.
    const std::string copy(text);
    return emscripten_websocket_send_utf8_text(static_cast<EMSCRIPTEN_WEBSOCKET_T>(id), copy.c_str()) ==
           EMSCRIPTEN_RESULT_SUCCESS;
}

std::size_t WebSocketTransport::buffered_amount(core::SocketId id) const {
    return read_buffered(static_cast<EMSCRIPTEN_WEBSOCKET_T>(id), &emscripten_websocket_get_buffered_amount);
}

void WebSocketTransport::close(core::SocketId id, int code, std::string_view reason) {
    const auto ws = static_cast<EMSCRIPTEN_WEBSOCKET_T>(id);
    unsigned short ready = 3;
    emscripten_websocket_get_ready_state(ws, &ready);
    if (ready == 0 || ready == 1) {  // CONNECTING or OPEN: say goodbye properly
        // The browser only lets pages send 1000 or 3000-4999.
        const int sendable = (code == 1000 || (code >= 3000 && code <= 4999)) ? code : 1000;
        const std::string why(reason.substr(0, 120));
        emscripten_websocket_close(ws, static_cast<unsigned short>(sendable), why.c_str());
    }
    // delete detaches every callback and frees the handle: no late events reach the core.
    if (emscripten_websocket_delete(ws) == EMSCRIPTEN_RESULT_SUCCESS) --live_;
}

}  // namespace vigil::web
