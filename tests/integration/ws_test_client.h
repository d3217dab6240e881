// A native WebSocket client for integration tests (Beast), every operation bounded by a
// deadline; and a tiny HTTP GET. Beast-free header: only ws_test_client.cpp compiles Beast.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::itest {

struct HttpReply {
    int status = 0;
    std::string content_type, cache_control, body;
    std::map<std::string, std::string> headers;  // every response header, names lowercase
    std::string header(const std::string& lowercase_name) const {
        auto it = headers.find(lowercase_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// GET (or HEAD) http://127.0.0.1:port<target>; status 0 when it failed.
HttpReply http_get(int port, const std::string& target, std::chrono::milliseconds timeout = std::chrono::seconds(5),
                   bool head = false);
// GET with request headers (Authorization...).
HttpReply http_get_with(int port, const std::string& target, const HttpHeaders& headers,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Sends `request` (raw bytes: request line, headers, body, as the test wants them) and reads one
// response; status 0 when none came. For POST /ingest: chunked bodies, Expect, garbage.
HttpReply http_raw(int port, const std::string& request, std::chrono::milliseconds timeout = std::chrono::seconds(5));
// POST with Content-Length, Host and Connection: close, plus `headers`.
HttpReply http_post(int port, const std::string& target, const HttpHeaders& headers, const std::string& body,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

// /healthz as JSON, also when it answers 503 (null when unreachable).
nlohmann::json healthz(int port);

struct ConnectOptions {
    std::string target = "/ws";
    std::string origin;       // Origin header, if any
    std::string subprotocol;  // Sec-WebSocket-Protocol offered, if any
    int receive_buffer = 0;   // SO_RCVBUF before connecting (a slow reader fills it quickly)
    std::string host;         // Host header; "" for 127.0.0.1:<port>
};

inline ConnectOptions at_target(std::string target) {
    ConnectOptions o;
    o.target = std::move(target);
    return o;
}
inline ConnectOptions with_origin(std::string origin) {
    ConnectOptions o;
    o.origin = std::move(origin);
    return o;
}
inline ConnectOptions with_subprotocol(std::string subprotocol) {
    ConnectOptions o;
    o.subprotocol = std::move(subprotocol);
    return o;
}
inline ConnectOptions slow_reader(int receive_buffer) {
    ConnectOptions o;
    o.receive_buffer = receive_buffer;
    return o;
}

class WsTestClient {
public:
    WsTestClient();
    ~WsTestClient();

    // Opens the socket and completes the handshake; false (and *error) when it does not.
    bool connect(int port, const ConnectOptions& options = {}, std::string* error = nullptr,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5));
    bool send(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    bool send_json(const nlohmann::json& j) { return send(j.dump()); }

    // The next text message, or nothing when the connection closed or the deadline passed.
    std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // The next message parsed as JSON (null on close/timeout).
    nlohmann::json read_json(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Reads until the peer's close arrives (discarding messages); true when it did in time.
    bool read_until_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Closes the TCP connection without a close handshake (a client that leaves).
    void drop();

    bool closed() const { return closed_; }
    int close_code() const { return close_code_; }
    const std::string& close_reason() const { return close_reason_; }
    const std::string& subprotocol() const { return subprotocol_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool closed_ = false;
    int close_code_ = 0;
    std::string close_reason_, subprotocol_;
};

}  // namespace vigil::itest
