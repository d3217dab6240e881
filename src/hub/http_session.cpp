// HTTP: the static page, JSON stats, and the hand-over of WebSocket upgrades.
// Implemented features:
//  [X] GET/HEAD of files under --root with MIME types and cache policy (mime_types.h), no traversal
//  [X] "/" -> index.html; keep-alive; bounded request headers; idle timeout
//  [X] /healthz (503 with the reasons when unhealthy), /stats/connects (JSON, no-store), /metrics
//      (Prometheus text 0.0.4); behind --token (or --stats-token) when a token is set: 401 otherwise
//  [X] Content-Security-Policy, Referrer-Policy: no-referrer, X-Content-Type-Options on every response
//  [X] WebSocket upgrade on /ws and /
//  [ ] ETag / If-Modified-Since, range requests, compression
#include "hub/http_session.h"

#include "hub/admission.h"
#include "hub/metrics_text.h"
#include "hub/mime_types.h"
#include "hub/security_headers.h"
#include "hub/static_path.h"
#include "hub/ws_session.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <memory>
#include <optional>

namespace vigil::hub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = beast::error_code;

// Beast 1.74 has its own string_view; ours are std.
std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr std::uint32_t kHeaderLimit = 16 * 1024;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(HubContext& hub, asio::ip::tcp::socket socket) : hub_(hub), stream_(std::move(socket)) {
        ++hub_.open_sockets;
        error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    }
    ~HttpSession() { --hub_.open_sockets; }

    void start() { do_read(); }

private:
    void do_read() {
        parser_.emplace();
        parser_->header_limit(kHeaderLimit);
        parser_->body_limit(0);  // GET and HEAD carry no body
        stream_.expires_after(kIdleTimeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (ec) return shutdown();
        auto& req = parser_->get();
        auto path = target_path(sv(req.target()));
        if (beast::websocket::is_upgrade(req) && (path == "/ws" || path == "/")) {
            if (hub_.shutting_down) return shutdown();
            start_ws_session(hub_, std::move(stream_), parser_->release(), peer_);
            return;
        }
        if (req.method() != http::verb::get && req.method() != http::verb::head)
            return send_text(http::status::method_not_allowed, "text/plain", "GET or HEAD only\n");
        if (path == "/healthz" || path == "/stats/connects" || path == "/metrics" || path == "/targets") return send_stats(path);
        send_file();
    }

    void send_stats(std::string_view path) {
        auto& req = parser_->get();
        if (!stats_authorized(hub_.options.token, hub_.options.stats_token, sv(req.target()),
                              sv(req[http::field::authorization]))) {
            ++hub_.counters.unauthorized_stats;
            return send_text(http::status::unauthorized, "text/plain", "token required (Authorization: Bearer T or ?token=T)\n");
        }
        if (path == "/metrics") return send_text(http::status::ok, kMetricsContentType, metrics_text(hub_));
        if (path == "/stats/connects") return send_text(http::status::ok, "application/json", connects_json(hub_));
        if (path == "/targets")  // the scrape targets' health; [] when the hub scrapes none
            return send_text(http::status::ok, "application/json", hub_.scrape ? scrape::targets_json(*hub_.scrape) : "[]");
        const auto problems = health_problems(hub_, std::chrono::steady_clock::now());
        send_text(problems.empty() ? http::status::ok : http::status::service_unavailable, "application/json",
                  healthz_json(hub_, problems));
    }

    void send_text(http::status status, const char* type, std::string body) {
        auto& req = parser_->get();
        auto res = std::make_shared<http::response<http::string_body>>(status, req.version());
        res->set(http::field::server, "vigil-hub");
        res->set(http::field::content_type, type);
        res->set(http::field::cache_control, "no-store");
        if (status == http::status::unauthorized) res->set(http::field::www_authenticate, "Bearer");
        set_security_headers(*res);
        res->keep_alive(req.keep_alive());
        if (req.method() != http::verb::head) res->body() = std::move(body);
        else res->content_length(body.size());
        res->prepare_payload();
        write(res);
    }

    void send_file() {
        auto& req = parser_->get();
        auto file = resolve_static_file(hub_.options.root, sv(req.target()));
        if (!file) return send_text(http::status::not_found, "text/plain", "not found\n");
        http::file_body::value_type body;
        error_code ec;
        body.open(file->c_str(), beast::file_mode::scan, ec);
        if (ec) return send_text(http::status::not_found, "text/plain", "not found\n");
        const auto size = body.size();
        auto headers = [&](auto& res) {
            res.set(http::field::server, "vigil-hub");
            res.set(http::field::content_type, beast::string_view(mime_type_for(*file).data(), mime_type_for(*file).size()));
            res.set(http::field::cache_control, cache_control_for(*file));
            set_security_headers(res);
            res.keep_alive(req.keep_alive());
        };
        if (req.method() == http::verb::head) {
            auto res = std::make_shared<http::response<http::empty_body>>(http::status::ok, req.version());
            headers(*res);
            res->content_length(size);
            return write(res);
        }
        auto res = std::make_shared<http::response<http::file_body>>(
            std::piecewise_construct, std::make_tuple(std::move(body)), std::make_tuple(http::status::ok, req.version()));
        headers(*res);
        res->content_length(size);
        write(res);
    }

    template <class Response>
    void write(std::shared_ptr<Response> res) {
        stream_.expires_after(kIdleTimeout);
        http::async_write(stream_, *res, [self = shared_from_this(), res](error_code ec, std::size_t) {
            if (ec || res->need_eof()) return self->shutdown();
            self->do_read();
        });
    }

    void shutdown() {
        error_code ignored;
        stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    }

    HubContext& hub_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_{8192};
    std::optional<http::request_parser<http::empty_body>> parser_;
    std::string peer_;
};

}  // namespace

void start_http_session(HubContext& hub, boost::asio::ip::tcp::socket socket) {
    std::make_shared<HttpSession>(hub, std::move(socket))->start();
}

}  // namespace vigil::hub
