// HTTP: the static page, JSON stats, and the hand-over of WebSocket upgrades.
// Implemented features:
//  [X] GET/HEAD of files under --root with MIME types and cache policy (mime_types.h), no traversal
//  [X] "/" -> index.html; keep-alive; bounded request headers; idle timeout
//  [X] /healthz (503 with the reasons when unhealthy), /stats/connects (JSON, no-store), /metrics
//      (Prometheus text 0.0.4); behind --token (or --stats-token) when a token is set: 401 otherwise
//  [X] Content-Security-Policy, Referrer-Policy: no-referrer, X-Content-Type-Options on every response
//  [X] WebSocket upgrade on /ws and /
//  [X] --allow-host: a request naming another Host is refused 421 before anything else (an upgrade
//      is refused by admit(): 4403 "host not allowed")
//  [X] POST /ingest (also /write, /api/v2/write): line protocol or samples JSON into the push
//      source; token as for stats (also `Token T`); body bounded (413 before reading it); 100-continue
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

template <class Request>
bool is_ws_upgrade(const Request& req) {
    const auto path = target_path(sv(req.target()));
    return beast::websocket::is_upgrade(req) && (path == "/ws" || path == "/");
}

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
        // Only POST /ingest has a body. The limit is checked against Content-Length as soon as the
        // header is read, so a too large ingest is refused (413) before any of its body is read.
        parser_->body_limit(hub_.options.ingest_max_bytes);
        stream_.expires_after(kIdleTimeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(error_code ec) {
        const bool too_large = ec == http::error::body_limit;
        if (ec && !too_large) return shutdown();
        auto& req = parser_->get();
        // An upgrade on /ws or / is refused by admit() instead, with a close code the page can show.
        if (!is_ws_upgrade(req) && !host_allowed(hub_.options.allow_hosts, sv(req[http::field::host]))) return refuse_host();
        if (ingest::is_ingest_path(target_path(sv(req.target())))) return on_ingest_header(too_large);
        if (ec || parser_->is_done()) return on_read(ec);
        // Any other request with a body: the empty body refuses it (unexpected_body) and we close.
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](error_code e, std::size_t) { self->on_read(e); });
    }

    // A name that resolves here but is not the hub's (DNS rebinding: an attacker's name, resolved to
    // this address, makes its page same-origin with the hub). Its body, if any, is not read: close.
    void refuse_host() {
        ++hub_.counters.refused_hosts;
        auto& req = parser_->get();
        write(make_reply(http::status::misdirected_request, "text/plain", "host not allowed (--allow-host)\n", req.version(),
                         false, req.method() == http::verb::head));
    }

    // ---- POST /ingest ----

    void on_ingest_header(bool too_large) {
        auto& req = parser_->get();
        auto status = [&](http::status s, std::string text) {
            ++hub_.ingest.requests[int(s)];
            // A body we do not read would be taken for the next request: close after the answer.
            auto res = make_reply(s, "text/plain", std::move(text), req.version(), req.keep_alive() && parser_->is_done(),
                                  req.method() == http::verb::head);
            if (s == http::status::method_not_allowed) res->set(http::field::allow, "POST");
            write(res);
        };
        if (req.method() != http::verb::post) return status(http::status::method_not_allowed, "POST only\n");
        if (!hub_.push) return status(http::status::not_found, "not found\n");
        std::string auth(sv(req[http::field::authorization]));
        if (auth.size() > 6 && (auth.compare(0, 6, "Token ") == 0 || auth.compare(0, 6, "token ") == 0))
            auth = "Bearer " + auth.substr(6);  // InfluxDB's scheme (Telegraf's influxdb_v2 output)
        if (!stats_authorized(hub_.options.token, "", sv(req.target()), auth))
            return status(http::status::unauthorized, "token required (Authorization: Bearer T, Token T, or ?token=T)\n");
        if (too_large)
            return status(http::status::payload_too_large,
                          "body larger than " + std::to_string(hub_.options.ingest_max_bytes) + " bytes (--ingest-max-bytes)\n");
        ingest_parser_.emplace(std::move(*parser_));
        ingest_parser_->body_limit(hub_.options.ingest_max_bytes);  // chunked bodies: checked as they come
        if (ingest_parser_->is_done()) return on_ingest_body({});
        auto read_body = [self = shared_from_this()] {
            http::async_read(self->stream_, self->buffer_, *self->ingest_parser_,
                             [self](error_code ec, std::size_t) { self->on_ingest_body(ec); });
        };
        if (!beast::iequals(ingest_parser_->get()[http::field::expect], "100-continue")) return read_body();
        // curl waits a second for this before sending a body over 1 KiB.
        auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, ingest_parser_->get().version());
        http::async_write(stream_, *cont, [self = shared_from_this(), cont, read_body](error_code ec, std::size_t) {
            if (ec) return self->shutdown();
            read_body();
        });
    }

    void on_ingest_body(error_code ec) {
        auto& req = ingest_parser_->get();
        if (ec == http::error::body_limit) {
            ++hub_.ingest.requests[413];
            return send_reply(http::status::payload_too_large, "text/plain",
                              "body larger than " + std::to_string(hub_.options.ingest_max_bytes) + " bytes (--ingest-max-bytes)\n",
                              req.version(), false, false);
        }
        if (ec) return shutdown();
        const double now_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        const auto received_ms = unix_ms_now();
        auto precision = query_param(sv(req.target()), "precision");
        auto reply = ingest::answer_ingest(*hub_.push, sv(req[http::field::content_type]), precision, req.body(),
                                           received_ms, now_s, &hub_.ingest);
        // Several hubs (--nats): only the writer samples, so every other hub gets the body too
        // (each validates it again); the answer stays this hub's, per line.
        if (hub_.journal.shared())
            hub_.journal.forward_push(ForwardedPush{std::string(sv(req[http::field::content_type])), std::move(precision),
                                                    std::move(req.body()), received_ms});
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        ingest_parser_.reset();  // the body's memory goes now, not at the next request
        if (reply.status == 204) return send_reply(http::status::no_content, "text/plain", {}, version, keep_alive, false);
        send_reply(http::status(reply.status), "application/json", std::move(reply.body), version, keep_alive, false);
    }

    void on_read(error_code ec) {
        if (ec) return shutdown();
        auto& req = parser_->get();
        auto path = target_path(sv(req.target()));
        if (is_ws_upgrade(req)) {
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
        send_reply(status, type, std::move(body), req.version(), req.keep_alive(), req.method() == http::verb::head);
    }

    void send_reply(http::status status, const char* type, std::string body, unsigned version, bool keep_alive, bool head) {
        write(make_reply(status, type, std::move(body), version, keep_alive, head));
    }

    std::shared_ptr<http::response<http::string_body>> make_reply(http::status status, const char* type, std::string body,
                                                                  unsigned version, bool keep_alive, bool head) {
        auto res = std::make_shared<http::response<http::string_body>>(status, version);
        res->set(http::field::server, "vigil-hub");
        res->set(http::field::content_type, type);
        res->set(http::field::cache_control, "no-store");
        if (status == http::status::unauthorized) res->set(http::field::www_authenticate, "Bearer");
        set_security_headers(*res);
        res->keep_alive(keep_alive);
        if (!head) res->body() = std::move(body);
        else res->content_length(body.size());
        res->prepare_payload();
        return res;
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
    std::optional<http::request_parser<http::string_body>> ingest_parser_;  // POST /ingest's body
    std::string peer_;
};

}  // namespace

void start_http_session(HubContext& hub, boost::asio::ip::tcp::socket socket) {
    std::make_shared<HttpSession>(hub, std::move(socket))->start();
}

}  // namespace vigil::hub
