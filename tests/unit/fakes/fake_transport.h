// Fake sockets for the connection core's tests: records every open/send/close, lets a test deliver
// events (also from sockets the core already released), and checks the release-exactly-once contract.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/transport.h"

namespace vigil::core::testing {

class FakeTransport final : public Transport {
public:
    struct Socket {
        std::string url;
        std::vector<std::string> protocols;
        std::vector<std::string> sent;
        std::size_t buffered = 0;
        bool accepts_sends = true;
        int releases = 0;  // Transport::close calls; the contract says exactly one
        int close_code = 0;
        std::string close_reason;
    };

    void set_listener(TransportListener* listener) override { listener_ = listener; }

    SocketId open(const std::string& url, const std::vector<std::string>& protocols,
                  std::string* error) override {
        ++open_calls_;
        if (url.rfind("ws://", 0) != 0 && url.rfind("wss://", 0) != 0) {
            if (error != nullptr) *error = "not a ws:// or wss:// URL";
            return 0;
        }
        const SocketId id = next_id_++;
        sockets_[id] = Socket{url, protocols, {}, 0, true, 0, 0, {}};
        last_ = id;
        if (on_open_called) on_open_called(id);
        return id;
    }

    bool send_text(SocketId id, std::string_view text) override {
        auto it = sockets_.find(id);
        if (it == sockets_.end() || it->second.releases > 0) {
            ++bad_calls_;
            return false;
        }
        if (!it->second.accepts_sends) return false;
        it->second.sent.emplace_back(text);
        if (on_send) on_send(id, text);
        return true;
    }

    std::size_t buffered_amount(SocketId id) const override {
        auto it = sockets_.find(id);
        return it == sockets_.end() ? 0 : it->second.buffered;
    }

    void close(SocketId id, int code, std::string_view reason) override {
        auto it = sockets_.find(id);
        if (it == sockets_.end()) {
            ++bad_calls_;
            return;
        }
        ++it->second.releases;
        it->second.close_code = code;
        it->second.close_reason = std::string(reason);
    }

    // --- what the network does (a test plays the hub) ---
    void accept(SocketId id) { listener_->on_socket_open(id); }
    void deliver(SocketId id, std::string_view text, bool binary = false) {
        listener_->on_socket_message(id, text, binary);
    }
    void fail(SocketId id) { listener_->on_socket_error(id); }
    void peer_close(SocketId id, int code, std::string_view reason = {}, bool clean = true) {
        listener_->on_socket_close(id, code, reason, clean);
    }

    // Called from inside open() with the new id, for simulations that answer by timer.
    std::function<void(SocketId)> on_open_called;

    // Called after every accepted send, for simulations whose hub answers pings.
    std::function<void(SocketId, std::string_view)> on_send;

    bool released(SocketId id) const {
        auto it = sockets_.find(id);
        return it != sockets_.end() && it->second.releases > 0;
    }

    // --- what a test checks ---
    SocketId last() const { return last_; }
    Socket& socket(SocketId id) { return sockets_.at(id); }
    Socket& last_socket() { return sockets_.at(last_); }
    int open_calls() const { return open_calls_; }
    std::size_t sockets_opened() const { return sockets_.size(); }
    std::size_t unreleased() const {
        std::size_t n = 0;
        for (const auto& [id, s] : sockets_) n += s.releases == 0 ? 1 : 0;
        return n;
    }
    std::size_t released_twice() const {
        std::size_t n = 0;
        for (const auto& [id, s] : sockets_) n += s.releases > 1 ? 1 : 0;
        return n;
    }
    int bad_calls() const { return bad_calls_; }  // send/close on unknown or released sockets
    TransportListener* listener() const { return listener_; }

private:
    TransportListener* listener_ = nullptr;
    std::map<SocketId, Socket> sockets_;
    SocketId next_id_ = 100;
    SocketId last_ = 0;
    int open_calls_ = 0;
    int bad_calls_ = 0;
};

}  // namespace vigil::core::testing
