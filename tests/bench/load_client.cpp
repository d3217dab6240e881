// vigil-load: N WebSocket clients in one process (one thread, Boost.Beast), for the hub fan-out
// benchmark. Each client connects, sends a hello (no backfill), then reads; for every samples frame
// it records the delivery latency = receipt time (system clock) - the frame's hub time `t` (same
// machine, same clock). Prints ONE JSON object on stdout at the end:
//   {"clients":N,"connected":..,"connect_failed":..,"dropped":..,"close_codes":{..},"frames":..,
//    "frames_measured":..,"latency_us":[...]}   (latencies measured in the window only)
// Bounded: connect phase <= --connect-timeout-s, measuring <= --seconds, closing <= 3 s.
//
// usage: vigil-load --port P [--host 127.0.0.1] [--path /ws] [--clients N] [--seconds S]
//                   [--warmup-s W] [--inflight K] [--id PREFIX] [--connect-timeout-s C]
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;

namespace {

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string path = "/ws";
    int clients = 100;
    double seconds = 20;
    double warmup_s = 2;
    int inflight = 64;
    double connect_timeout_s = 60;
    std::string id = "load";
};

std::int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

struct Stats {
    int connected = 0, connect_failed = 0, dropped = 0, finished = 0;
    std::map<int, int> close_codes;
    std::uint64_t frames = 0, frames_measured = 0, messages = 0;
    std::vector<std::int64_t> latency_us;
    bool measuring = false;
    bool closing = false;
};

class Client : public std::enable_shared_from_this<Client> {
public:
    Client(asio::io_context& ioc, const Options& o, Stats& st, int index, std::function<void()> on_settled)
        : ws_(ioc), o_(o), st_(st), index_(index), on_settled_(std::move(on_settled)) {}

    void start(const tcp::endpoint& ep) {
        auto self = shared_from_this();
        beast::get_lowest_layer(ws_).async_connect(ep, [self](error_code ec) {
            if (ec) return self->fail_connect();
            self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
            self->ws_.read_message_max(64 << 20);
            self->ws_.async_handshake(self->o_.host + ":" + std::to_string(self->o_.port), self->o_.path,
                                      [self](error_code ec2) {
                                          if (ec2) return self->fail_connect();
                                          self->on_open();
                                      });
        });
    }

    void close() {
        if (!open_) return;
        open_ = false;
        auto self = shared_from_this();
        ws_.async_close(websocket::close_code::normal, [self](error_code) {});
    }

private:
    void fail_connect() {
        ++st_.connect_failed;
        settle();
    }
    void settle() {
        if (settled_) return;
        settled_ = true;
        on_settled_();
    }
    void on_open() {
        open_ = true;
        ++st_.connected;
        settle();
        hello_ = "{\"type\":\"hello\",\"v\":1,\"build\":\"bench\",\"client\":\"" + o_.id + "-" + std::to_string(index_) +
                 "\",\"history_s\":0}";
        auto self = shared_from_this();
        ws_.text(true);
        ws_.async_write(asio::buffer(hello_), [self](error_code ec, std::size_t) {
            if (ec) return self->on_closed(ec);
            self->read();
        });
    }
    void read() {
        auto self = shared_from_this();
        ws_.async_read(buf_, [self](error_code ec, std::size_t) {
            if (ec) return self->on_closed(ec);
            self->on_message();
            self->read();
        });
    }
    void on_message() {
        const std::int64_t now = now_us();
        ++st_.messages;
        auto data = buf_.cdata();
        std::string_view text(static_cast<const char*>(data.data()), data.size());
        if (text.substr(0, 24).find("\"samples\"") != std::string_view::npos) {
            ++st_.frames;
            const auto at = text.substr(0, 160).find("\"t\":");
            if (at != std::string_view::npos && st_.measuring) {
                const double t_ms = std::strtod(std::string(text.substr(at + 4, 24)).c_str(), nullptr);
                st_.latency_us.push_back(now - static_cast<std::int64_t>(t_ms * 1000.0));
                ++st_.frames_measured;
            }
        }
        buf_.consume(buf_.size());
    }
    void on_closed(error_code ec) {
        const bool was_open = open_;
        open_ = false;
        if (st_.closing) return;
        // The server closed (or the socket broke) while we were measuring: a dropped client.
        (void)was_open;
        ++st_.dropped;
        int code = ec == websocket::error::closed ? static_cast<int>(ws_.reason().code) : -1;
        ++st_.close_codes[code];
    }

    websocket::stream<beast::tcp_stream> ws_;
    const Options& o_;
    Stats& st_;
    int index_;
    std::function<void()> on_settled_;
    beast::flat_buffer buf_;
    std::string hello_;
    bool open_ = false;
    bool settled_ = false;
};

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = next();
        if (!v) return false;
        if (k == "--host") o.host = v;
        else if (k == "--port") o.port = std::atoi(v);
        else if (k == "--path") o.path = v;
        else if (k == "--clients") o.clients = std::atoi(v);
        else if (k == "--seconds") o.seconds = std::atof(v);
        else if (k == "--warmup-s") o.warmup_s = std::atof(v);
        else if (k == "--inflight") o.inflight = std::atoi(v);
        else if (k == "--connect-timeout-s") o.connect_timeout_s = std::atof(v);
        else if (k == "--id") o.id = v;
        else return false;
    }
    return o.port > 0 && o.clients > 0 && o.seconds > 0 && o.seconds <= 3600 && o.inflight > 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        std::cerr << "usage: vigil-load --port P [--host H] [--path /ws] [--clients N] [--seconds S] [--warmup-s W]"
                     " [--inflight K] [--id PREFIX] [--connect-timeout-s C]\n";
        return 2;
    }
    asio::io_context ioc{1};
    Stats st;
    const tcp::endpoint ep(asio::ip::make_address(o.host), static_cast<unsigned short>(o.port));
    std::vector<std::shared_ptr<Client>> clients;
    int next = 0, settled = 0;
    asio::steady_timer phase(ioc);
    const auto t_start = std::chrono::steady_clock::now();
    std::int64_t connect_ms = -1;

    std::function<void()> begin_measure;
    std::function<void()> launch = [&] {
        while (next < o.clients && next - settled < o.inflight) {
            const int i = next++;
            auto c = std::make_shared<Client>(ioc, o, st, i, [&] {
                ++settled;
                if (settled == o.clients) begin_measure();
                else asio::post(ioc, launch);
            });
            clients.push_back(c);
            c->start(ep);
        }
    };
    // Warm-up after the last client settled (so every client has seen the hub's ticks), then measure.
    bool measure_started = false;
    begin_measure = [&] {
        if (measure_started) return;
        measure_started = true;
        connect_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t_start).count();
        phase.expires_after(std::chrono::milliseconds(static_cast<long>(o.warmup_s * 1000)));
        phase.async_wait([&](error_code ec) {
            if (ec) return;
            st.measuring = true;
            phase.expires_after(std::chrono::milliseconds(static_cast<long>(o.seconds * 1000)));
            phase.async_wait([&](error_code ec2) {
                if (ec2) return;
                st.measuring = false;
                st.closing = true;
                for (auto& c : clients) c->close();
                // Give the closing handshakes a moment, then stop whatever is left.
                phase.expires_after(std::chrono::seconds(3));
                phase.async_wait([&](error_code) { ioc.stop(); });
            });
        });
    };
    // Connect phase deadline: measure with whoever made it.
    asio::steady_timer connect_deadline(ioc);
    connect_deadline.expires_after(std::chrono::milliseconds(static_cast<long>(o.connect_timeout_s * 1000)));
    connect_deadline.async_wait([&](error_code ec) {
        if (!ec) begin_measure();
    });
    asio::post(ioc, launch);
    ioc.run_for(std::chrono::milliseconds(static_cast<long>((o.connect_timeout_s + o.warmup_s + o.seconds + 10) * 1000)));
    // Sockets still open when run_for ran out are simply dropped with the process.

    std::string codes;
    for (auto& [code, n] : st.close_codes) codes += (codes.empty() ? "" : ",") + ("\"" + std::to_string(code) + "\":" + std::to_string(n));
    std::printf("{\"clients\":%d,\"connected\":%d,\"connect_failed\":%d,\"connect_ms\":%lld,\"dropped\":%d,"
                "\"close_codes\":{%s},\"messages\":%llu,\"frames\":%llu,\"frames_measured\":%llu,\"seconds\":%g,"
                "\"latency_us\":[",
                o.clients, st.connected, st.connect_failed, static_cast<long long>(connect_ms), st.dropped, codes.c_str(),
                static_cast<unsigned long long>(st.messages), static_cast<unsigned long long>(st.frames),
                static_cast<unsigned long long>(st.frames_measured), o.seconds);
    for (std::size_t i = 0; i < st.latency_us.size(); ++i)
        std::printf("%s%lld", i ? "," : "", static_cast<long long>(st.latency_us[i]));
    std::printf("]}\n");
    return 0;
}
