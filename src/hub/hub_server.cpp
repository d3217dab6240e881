// The hub process: acceptor, tick timer, signals. One io_context thread; everything else is
// sessions (http_session, ws_session) sharing HubContext.
#include "hub/hub_server.h"

#include "hub/http_session.h"
#include "protocol/encode.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace vigil::hub {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// How long a restart waits for clients to complete their close handshakes.
constexpr auto kShutdownDeadline = std::chrono::milliseconds(900);

struct HubServer::Impl {
    Impl(HubOptions o, std::unique_ptr<Journal> j, std::unique_ptr<FleetSampler> f)
        : journal(std::move(j)), sampler(std::move(f)), hub(std::move(o), *journal) {}

    ~Impl() { hub.on_session_closed = nullptr; }  // sessions die with the io_context, after this

    void do_accept() {
        acceptor.async_accept([this](error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) {
                // Every socket costs memory: beyond a generous bound, refuse at the TCP level.
                if (hub.open_sockets >= hub.options.max_clients * 2 + 64) {
                    error_code ignored;
                    socket.close(ignored);
                } else {
                    if (hub.options.socket_send_buffer > 0) {
                        error_code ignored;
                        socket.set_option(asio::socket_base::send_buffer_size(hub.options.socket_send_buffer), ignored);
                    }
                    start_http_session(hub, std::move(socket));
                }
            }
            do_accept();
        });
    }

    void schedule_tick() {
        const auto interval = std::chrono::milliseconds(hub.options.interval_ms);
        const auto now = std::chrono::steady_clock::now();
        next_tick += interval;
        if (next_tick < now) next_tick = now + interval;  // fell behind (suspended VM): resync, no burst
        tick_timer.expires_at(next_tick);
        tick_timer.async_wait([this](error_code ec) {
            if (ec || hub.shutting_down) return;
            tick();
            schedule_tick();
        });
    }

    // One frame: sampled, encoded once, journaled, and only then broadcast.
    void tick() {
        auto& journal = hub.journal;
        const auto seq = journal.next_seq();
        const auto t_ms = unix_ms_now();
        const double mono_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        auto text = std::make_shared<const std::string>(protocol::encode(sampler->sample(seq, t_ms, mono_s)));
        std::string error;
        if (!journal.append(seq, t_ms, *text, &error)) {
            // Never broadcast what is not journaled: a page could hold a frame a restart forgets.
            ++hub.counters.append_failures;
            std::cerr << "vigil-hub: frame " << seq << " not journaled, not sent: " << error << "\n";
            return;
        }
        ++hub.counters.frames;
        std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
        for (auto* s : targets) s->deliver_frame(seq, text);
        // The journal's fsync bound holds only if someone asks; every tick is often enough.
        if (!journal.sync_if_due(&error)) std::cerr << "vigil-hub: journal sync failed: " << error << "\n";
    }

    void begin_shutdown() {
        if (hub.shutting_down) return;
        hub.shutting_down = true;
        error_code ignored;
        acceptor.close(ignored);
        tick_timer.cancel();
        // Synced and marked clean: the next start continues at head + 1 with no gap.
        hub.journal.close();
        hub.on_session_closed = [this] {
            if (hub.sessions.empty()) ioc.stop();
        };
        std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
        for (auto* s : targets) s->close_for_restart(hub.options.retry_hint_ms);
        if (hub.sessions.empty()) return ioc.stop();
        shutdown_timer.expires_after(kShutdownDeadline);
        shutdown_timer.async_wait([this](error_code ec) {
            if (!ec) ioc.stop();
        });
    }

    void wait_for_signal() {
        signals.async_wait([this](error_code ec, int) {
            if (ec) return;
            if (hub.shutting_down) return ioc.stop();  // a second signal: stop now
            begin_shutdown();
            wait_for_signal();
        });
    }

    // Destroyed last to first: the io_context (and the sessions its handlers own) goes before
    // the shared state the sessions point into.
    std::unique_ptr<Journal> journal;
    std::unique_ptr<FleetSampler> sampler;
    HubContext hub;
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    asio::steady_timer tick_timer{ioc};
    asio::steady_timer shutdown_timer{ioc};
    std::chrono::steady_clock::time_point next_tick;
};

HubServer::HubServer(HubOptions options, std::unique_ptr<Journal> journal, std::unique_ptr<FleetSampler> sampler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(journal), std::move(sampler))) {}

HubServer::~HubServer() = default;

std::string HubServer::listen() {
    auto& i = *impl_;
    error_code ec;
    auto address = asio::ip::make_address(i.hub.options.listen_host == "localhost" ? "127.0.0.1" : i.hub.options.listen_host, ec);
    if (ec) throw std::runtime_error("bad listen address " + i.hub.options.listen_host + ": " + ec.message());
    tcp::endpoint endpoint(address, i.hub.options.listen_port);
    i.acceptor.open(endpoint.protocol(), ec);
    if (!ec) i.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) i.acceptor.bind(endpoint, ec);
    if (!ec) i.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                                     std::to_string(endpoint.port()) + ": " + ec.message());
    auto bound = i.acceptor.local_endpoint();
    auto host = bound.address().to_string();
    if (bound.address().is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(bound.port());
}

int HubServer::run() {
    auto& i = *impl_;
    i.hub.catalog_text = std::make_shared<const std::string>(protocol::encode(i.sampler->catalog()));
    i.wait_for_signal();
    i.do_accept();
    // The first frame comes soon after start, not a whole interval later: screens reconnecting
    // after a restart are LIVE (fresh data) as soon as they are back, whatever the interval.
    const auto interval = std::chrono::milliseconds(i.hub.options.interval_ms);
    i.next_tick = std::chrono::steady_clock::now() - interval + std::min<std::chrono::steady_clock::duration>(
                                                                      interval, std::chrono::milliseconds(200));
    i.schedule_tick();
    i.ioc.run();
    return 0;
}

}  // namespace vigil::hub
