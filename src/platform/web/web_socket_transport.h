// core::Transport over the page's own WebSocket table (vigil_page.js): one browser WebSocket per SocketId.
// Implemented features:
//  [X] open / send text / close, events tagged with their socket
//  [X] a constructor error (fragment, mixed content, bad URL) is a failed open with the browser's reason
//  [X] every socket released from the JS table when the core releases it (nothing left reachable)
//  [X] bufferedAmount for back-pressure
//  [ ] binary send (the protocol is text only)
#pragma once

#include "core/transport.h"

namespace vigil::web {

class WebSocketTransport final : public core::Transport {
public:
    WebSocketTransport() = default;
    ~WebSocketTransport() override;
    WebSocketTransport(const WebSocketTransport&) = delete;
    WebSocketTransport& operator=(const WebSocketTransport&) = delete;

    void set_listener(core::TransportListener* listener) override { listener_ = listener; }
    core::SocketId open(const std::string& url, const std::vector<std::string>& protocols,
                        std::string* error) override;
    bool send_text(core::SocketId id, std::string_view text) override;
    std::size_t buffered_amount(core::SocketId id) const override;
    void close(core::SocketId id, int code, std::string_view reason) override;

    // Sockets opened and not yet released: should stay at 0 or 1 for the page's whole life.
    int live_sockets() const { return live_; }

    core::TransportListener* listener() const { return listener_; }

private:
    core::TransportListener* listener_ = nullptr;
    int live_ = 0;
};

}  // namespace vigil::web
