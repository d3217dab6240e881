// The socket seen by the connection core: open, send text, close; events tagged with the socket they came from.
// Implemented over emscripten/websocket.h in src/platform/web, and by a fake in the unit tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::core {

using SocketId = std::uint64_t;  // 0 means "no socket"

// What a Transport reports. Every event names the socket it belongs to, so the core can
// ignore late events from a socket it has already given up on.
class TransportListener {
public:
    virtual ~TransportListener() = default;
    virtual void on_socket_open(SocketId id) = 0;
    virtual void on_socket_message(SocketId id, std::string_view data, bool binary) = 0;
    virtual void on_socket_error(SocketId id) = 0;
    virtual void on_socket_close(SocketId id, int code, std::string_view reason, bool was_clean) = 0;
};

class Transport {
public:
    virtual ~Transport() = default;

    virtual void set_listener(TransportListener* listener) = 0;

    // Starts opening a socket. Returns its id, or 0 when it could not even start
    // (a malformed URL, say); then *error says why. Events arrive later, never from inside open().
    virtual SocketId open(const std::string& url, const std::vector<std::string>& protocols,
                          std::string* error) = 0;

    // Queues a text message on an open socket; false when the socket cannot take it.
    virtual bool send_text(SocketId id, std::string_view text) = 0;

    // Bytes queued in the socket but not yet on the wire (back-pressure).
    virtual std::size_t buffered_amount(SocketId id) const = 0;

    // Closes (if still open) and releases the socket: after this call no event for `id`
    // is delivered and its handle is freed. The core calls it exactly once for every id
    // that open() returned, including sockets the peer closed.
    virtual void close(SocketId id, int code, std::string_view reason) = 0;
};

}  // namespace vigil::core
