// Beast WebSocket/HTTP test client: async operations driven by io_context::run_for, so every
// call has a deadline and a hung hub fails a test instead of hanging it.
#include "ws_test_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cctype>
#include <functional>
#include <optional>

namespace vigil::itest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;

namespace {

// Runs `ioc` until `done` or the deadline; on the deadline cancels the socket's operations.
template <class Socket>
bool run_until(asio::io_context& ioc, Socket& socket, const bool& done, std::chrono::milliseconds timeout) {
    ioc.restart();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) ioc.run_one_until(deadline);
    if (!done) {
        error_code ignored;
        socket.cancel(ignored);
        ioc.restart();
        while (!done && ioc.run_one_for(std::chrono::seconds(1))) {}
        return false;
    }
    return true;
}

void fill_reply(const http::response<http::string_body>& res, HttpReply& reply) {
    reply.status = int(res.result_int());
    reply.content_type = std::string(res[http::field::content_type]);
    reply.cache_control = std::string(res[http::field::cache_control]);
    reply.body = res.body();
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        reply.headers[name] = std::string(field.value());
    }
}

}  // namespace

static HttpReply http_request(int port, const std::string& target, const HttpHeaders& headers, std::chrono::milliseconds timeout,
                       bool head) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    HttpReply reply;
    bool done = false;
    http::request<http::empty_body> req{head ? http::verb::head : http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.keep_alive(false);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 << 20);
    socket.async_connect({asio::ip::make_address("127.0.0.1"), std::uint16_t(port)}, [&](error_code ec) {
        if (ec) return void(done = true);
        http::async_write(socket, req, [&](error_code ec2, std::size_t) {
            if (ec2) return void(done = true);
            http::async_read(socket, buffer, parser, [&](error_code ec3, std::size_t) {
                done = true;
                if (ec3) return;
                fill_reply(parser.get(), reply);
            });
        });
    });
    run_until(ioc, socket, done, timeout);
    return reply;
}

HttpReply http_get(int port, const std::string& target, std::chrono::milliseconds timeout, bool head) {
    return http_request(port, target, {}, timeout, head);
}

HttpReply http_get_with(int port, const std::string& target, const HttpHeaders& headers, std::chrono::milliseconds timeout) {
    return http_request(port, target, headers, timeout, false);
}

HttpReply http_raw(int port, const std::string& request, std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    HttpReply reply;
    bool done = false;
    beast::flat_buffer buffer;
    std::optional<http::response_parser<http::string_body>> parser;
    // One response, skipping a `100 Continue` (the body follows in `request` anyway).
    std::function<void()> read_response = [&] {
        parser.emplace();
        parser->body_limit(64 << 20);
        http::async_read(socket, buffer, *parser, [&](error_code ec, std::size_t) {
            if (ec) return void(done = true);
            auto& res = parser->get();
            if (res.result() == http::status::continue_) return read_response();
            done = true;
            fill_reply(res, reply);
        });
    };
    socket.async_connect({asio::ip::make_address("127.0.0.1"), std::uint16_t(port)}, [&](error_code ec) {
        if (ec) return void(done = true);
        // Reads while it writes: the hub may answer (413, 401) before it has read the body.
        read_response();
        asio::async_write(socket, asio::buffer(request), [](error_code, std::size_t) {});
    });
    run_until(ioc, socket, done, timeout);
    return reply;
}

HttpReply http_post(int port, const std::string& target, const HttpHeaders& headers, const std::string& body,
                    std::chrono::milliseconds timeout) {
    std::string req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n";
    for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
    req += "\r\n" + body;
    return http_raw(port, req, timeout);
}

nlohmann::json healthz(int port) {
    auto r = http_get(port, "/healthz");
    if (r.status != 200 && r.status != 503) return nullptr;
    return nlohmann::json::parse(r.body, nullptr, false);
}

struct WsTestClient::Impl {
    asio::io_context ioc;
    websocket::stream<tcp::socket> ws{ioc};
    beast::flat_buffer buffer;
};

WsTestClient::WsTestClient() : impl_(std::make_unique<Impl>()) {}
WsTestClient::~WsTestClient() = default;

void WsTestClient::drop() {
    error_code ec;
    impl_->ws.next_layer().close(ec);
}

bool WsTestClient::connect(int port, const ConnectOptions& options, std::string* error, std::chrono::milliseconds timeout) {
    auto& i = *impl_;
    auto& sock = i.ws.next_layer();
    error_code ec;
    sock.open(tcp::v4(), ec);
    if (options.receive_buffer > 0) sock.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer), ec);
    i.ws.set_option(websocket::stream_base::decorator([options](websocket::request_type& req) {
        if (!options.origin.empty()) req.set(http::field::origin, options.origin);
        if (!options.subprotocol.empty()) req.set(http::field::sec_websocket_protocol, options.subprotocol);
    }));
    i.ws.read_message_max(64 << 20);
    bool done = false;
    error_code result;
    websocket::response_type response;
    sock.async_connect({asio::ip::make_address("127.0.0.1"), std::uint16_t(port)}, [&](error_code e) {
        if (e) {
            result = e;
            done = true;
            return;
        }
        const std::string host = options.host.empty() ? "127.0.0.1:" + std::to_string(port) : options.host;
        i.ws.async_handshake(response, host, options.target, [&](error_code e2) {
            result = e2;
            done = true;
        });
    });
    if (!run_until(i.ioc, sock, done, timeout)) result = asio::error::timed_out;
    if (result) {
        if (error) *error = result.message();
        return false;
    }
    subprotocol_ = std::string(response[http::field::sec_websocket_protocol]);
    return true;
}

bool WsTestClient::send(const std::string& text, std::chrono::milliseconds timeout) {
    auto& i = *impl_;
    bool done = false;
    error_code result;
    i.ws.text(true);
    i.ws.async_write(asio::buffer(text), [&](error_code e, std::size_t) {
        result = e;
        done = true;
    });
    return run_until(i.ioc, i.ws.next_layer(), done, timeout) && !result;
}

std::optional<std::string> WsTestClient::read(std::chrono::milliseconds timeout) {
    auto& i = *impl_;
    if (closed_) return std::nullopt;
    bool done = false;
    error_code result;
    i.buffer.consume(i.buffer.size());
    i.ws.async_read(i.buffer, [&](error_code e, std::size_t) {
        result = e;
        done = true;
    });
    if (!run_until(i.ioc, i.ws.next_layer(), done, timeout)) return std::nullopt;
    if (result) {
        closed_ = true;
        close_code_ = i.ws.reason().code;
        close_reason_ = std::string(i.ws.reason().reason.data(), i.ws.reason().reason.size());
        if (result != websocket::error::closed && close_code_ == 0) {  // no close frame: like a browser's 1006
            close_code_ = 1006;
            close_reason_ = "(" + result.message() + ")";
        }
        return std::nullopt;
    }
    return beast::buffers_to_string(i.buffer.data());
}

nlohmann::json WsTestClient::read_json(std::chrono::milliseconds timeout) {
    auto text = read(timeout);
    if (!text) return nullptr;
    return nlohmann::json::parse(*text, nullptr, false);
}

bool WsTestClient::read_until_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        read(left);
    }
    return true;
}

}  // namespace vigil::itest
