// The hub process: acceptor, tick timer, signals. One io_context thread; everything else is
// sessions (http_session, ws_session) sharing HubContext.
#include "hub/hub_server.h"

#include "hub/http_session.h"
#include "hub/ingest/ingest_request.h"
#include "hub/push_source.h"
#include "protocol/encode.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

namespace vigil::hub {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// How long a restart waits for clients to complete their close handshakes.
constexpr auto kShutdownDeadline = std::chrono::milliseconds(900);
// Make before break (a hub sharing its stream, SIGTERMed): how long it keeps serving its screens
// live frames after telling them to open their next connection (`shutdown` handover_ms). A page
// needs one handshake through the proxy (0.4-0.8 s seen with 20 pages on 2 cores); the hub goes
// as soon as its last screen has left, and at the latest this plus kShutdownDeadline.
constexpr auto kHandoverWindow = std::chrono::milliseconds(3000);
// How long a writer's preview waits for the stored frame of its tick before screens get it: far
// above the few ms a stored frame takes through the stream, far below the 3 intervals after
// which a screen calls its data stale (a quarter interval at short intervals: a screen whose
// stream stopped gets its first preview at most an interval and this after the last frame).
constexpr auto kPreviewHoldMax = std::chrono::milliseconds(250);
// After a failed accept (out of file descriptors, above all): pause, doubling up to the cap. The
// listening socket stays readable while the backlog is full, so retrying at once spins a core.
constexpr auto kAcceptPauseFirst = std::chrono::milliseconds(10);
constexpr auto kAcceptPauseMax = std::chrono::milliseconds(1000);

struct HubServer::Impl {
    Impl(HubOptions o, std::unique_ptr<FrameJournal> j, std::unique_ptr<FleetSampler> f)
        : journal(std::move(j)), sampler(std::move(f)), hub(std::move(o), *journal) {
        // POST /ingest hands its bodies to the sampler's push source, if main added one.
        for (auto& source : sampler->sources())
            if (auto* push = dynamic_cast<PushSource*>(source.get())) hub.push = &push->store();
    }

    ~Impl() {
        hub.on_session_closed = nullptr;  // sessions die with the io_context, after this
        journal->close();                 // a shared journal's threads stop posting into the io_context
    }

    void do_accept() {
        acceptor.async_accept([this](error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (ec) return pause_accepting(ec);
            accept_pause = std::chrono::milliseconds(0);
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
            do_accept();
        });
    }

    void pause_accepting(const error_code& ec) {
        ++hub.counters.accept_errors;
        const bool first = accept_pause.count() == 0;
        accept_pause = first ? kAcceptPauseFirst : std::min(kAcceptPauseMax, accept_pause * 2);
        // Once per episode, not per retry: a full descriptor table would otherwise flood the log.
        if (first) std::cerr << "vigil-hub: accept failed: " << ec.message() << "; pausing accepts (up to 1 s between tries)\n";
        accept_timer.expires_after(accept_pause);
        accept_timer.async_wait([this](error_code wait_ec) {
            if (wait_ec || !acceptor.is_open()) return;
            do_accept();
        });
    }

    void schedule_tick() {
        if (hub.handover_ms > 0) return;  // a hub handing over samples nothing
        const auto interval = std::chrono::milliseconds(hub.options.interval_ms);
        const auto now = std::chrono::steady_clock::now();
        next_tick += interval;
        if (next_tick < now) next_tick = now + interval;  // fell behind (suspended VM): resync, no burst
        tick_timer.expires_at(next_tick);
        tick_timer.async_wait([this](error_code ec) {
            if (ec || hub.shutting_down || hub.handover_ms > 0) return;
            tick();
            schedule_tick();
        });
    }

    // One frame: sampled, encoded once, journaled, and only then broadcast.
    void tick() {
        auto& frames = hub.journal;
        // A shared journal has one writer: the other hubs only serve what the stream stores.
        const bool append = frames.may_append();
        // The writer previews every frame, also on a tick whose publish waits for the stream.
        const bool preview = frames.wants_preview();
        if (!append && !preview) return;
        const auto seq = frames.next_seq();
        const auto t_ms = unix_ms_now();
        const double mono_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        const auto sample_start = std::chrono::steady_clock::now();
        const protocol::Samples samples = sampler->sample(seq, t_ms, mono_s);
        SharedText text;
        if (append) text = std::make_shared<const std::string>(protocol::encode(samples));
        // A source's hosts changed (a target added or removed, a metric first seen): screens get
        // the new catalog before the frame that may carry those hosts.
        if (sampler->refresh_catalog()) {
            own_catalog = std::make_shared<const std::string>(protocol::encode(sampler->catalog()));
            if (!frames.shared()) deliver_catalog(own_catalog);
        }
        // Shared: the writer's catalog goes to every hub, this one included (the journal sends
        // it only when it differs from the one the stream holds: after a change or a takeover).
        if (frames.shared()) frames.publish_catalog(own_catalog);
        if (preview) frames.publish_preview(t_ms, std::make_shared<const std::string>(protocol::encode_preview(samples)));
        const auto sampled = std::chrono::steady_clock::now();
        // Shared: /healthz follows the frames the stream stores (on_frame), not the sampling.
        if (!frames.shared()) hub.last_sample = sampled;
        hub.sampling_seconds.observe(std::chrono::duration<double>(sampled - sample_start).count());
        if (!append) return;  // a preview only: the stream stores no frame before the last is answered
        std::string error;
        if (!frames.append(seq, t_ms, *text, &error)) {
            // Never broadcast what is not journaled: a page could hold a frame a restart forgets.
            ++hub.counters.append_failures;
            // Logged when it starts failing and then every 60th frame: a full disk must not fill the log too.
            if (hub.counters.consecutive_append_failures++ % 60 == 0)
                std::cerr << "vigil-hub: frame " << seq << " not journaled, not sent: " << error << "\n";
            hub.counters.last_append_error = error;
            return;
        }
        if (hub.counters.consecutive_append_failures) {
            std::cerr << "vigil-hub: journal appends work again after " << hub.counters.consecutive_append_failures
                      << " failed frames\n";
            hub.counters.consecutive_append_failures = 0;
        }
        if (!frames.shared()) deliver_frame(seq, text);
        // The journal's fsync bound holds only if someone asks; every tick is often enough.
        if (!frames.sync_if_due(&error)) std::cerr << "vigil-hub: journal sync failed: " << error << "\n";
    }

    void deliver_catalog(const SharedText& catalog) {
        hub.catalog_text = catalog;
        ++hub.counters.catalogs_sent;
        std::vector<SessionSink*> sessions(hub.sessions.begin(), hub.sessions.end());
        for (auto* s : sessions) s->deliver_catalog(hub.catalog_text);
    }

    void deliver_frame(Seq seq, const SharedText& text) {
        ++hub.counters.frames;
        std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
        for (auto* s : targets) s->deliver_frame(seq, text);
    }

    // A shared journal's stored frames and catalogs reach the sessions on this thread.
    void attach_shared_journal() {
        SharedJournalHooks hooks;
        hooks.post = [this](std::function<void()> fn) { asio::post(ioc, std::move(fn)); };
        hooks.on_frame = [this](Seq seq, std::int64_t t_ms, const SharedText& text) {
            if (hub.shutting_down) return;
            hub.last_sample = std::chrono::steady_clock::now();  // /healthz: frames still flow
            newest_frame_t_ms = std::max(newest_frame_t_ms, t_ms);
            if (pending_preview && pending_preview->first <= newest_frame_t_ms) pending_preview.reset();
            deliver_frame(seq, text);
        };
        hooks.on_preview = [this](std::int64_t t_ms, const SharedText& text) { hold_preview(t_ms, text); };
        hooks.on_catalog = [this](const SharedText& catalog) {
            // The writer's catalog; screens get it only when it differs from the one they have.
            if (hub.shutting_down || (hub.catalog_text && *hub.catalog_text == *catalog)) return;
            deliver_catalog(catalog);
        };
        hooks.on_epoch = [this] {
            // The stream opened after the hub started: every screen was welcomed under the
            // waiting epoch, and learns the stream's by reconnecting at once (it backfills).
            if (hub.shutting_down) return;
            std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
            for (auto* s : targets) s->close_for_restart(0, /*reconnect_now=*/true);
        };
        hooks.on_push = [this](const ForwardedPush& p) {
            // Another hub's POST /ingest: into this hub's store as if it had come here (it
            // answered the pusher already; this hub's counters are for its own requests).
            if (!hub.push || hub.shutting_down) return;
            const double now_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
            ingest::answer_ingest(*hub.push, p.content_type, p.precision, p.body, p.unix_ms, now_s, nullptr);
        };
        journal->attach(std::move(hooks));
    }

    // A preview waits a little for the stored frame of its tick (normally here within a few ms,
    // through the stream): only when that does not come is it shown. The newest waiting one
    // replaces an older one; a stored frame at least as new drops it.
    void hold_preview(std::int64_t t_ms, const SharedText& text) {
        if (hub.shutting_down || t_ms <= std::max(newest_frame_t_ms, shown_preview_t_ms)) return;
        if (pending_preview && pending_preview->first >= t_ms) return;
        pending_preview.emplace(t_ms, text);
        if (preview_timer_armed) return;
        preview_timer_armed = true;
        preview_timer.expires_after(std::min(kPreviewHoldMax, std::chrono::milliseconds(hub.options.interval_ms) / 4));
        preview_timer.async_wait([this](error_code ec) {
            preview_timer_armed = false;
            if (ec || hub.shutting_down || !pending_preview) return;
            const auto [t, late] = *pending_preview;
            pending_preview.reset();
            if (t <= newest_frame_t_ms) return;
            shown_preview_t_ms = t;
            ++hub.counters.previews_shown;
            std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
            for (auto* s : targets)
                if (s->deliver_preview(late)) ++hub.counters.previews_sent;
        });
    }

    void stop_accepting_and_sampling() {
        error_code ignored;
        acceptor.close(ignored);
        accept_timer.cancel();
        tick_timer.cancel();
        for (auto& source : sampler->sources()) source->stop();
    }

    // SIGTERM to a hub sharing its stream with others: make before break. No new connection
    // (nginx's next one goes to another hub), no more sampling or writing (a standby takes over
    // at once: the journal's leaving note), but the open screens keep getting the stream's frames
    // until they have opened their next connection and left, or the window ends.
    void begin_handover() {
        if (hub.shutting_down || hub.handover_ms > 0) return;
        hub.handover_ms = static_cast<int>(kHandoverWindow.count());
        stop_accepting_and_sampling();
        hub.journal.stop_writing();
        std::cerr << "vigil-hub: stopping: handing " << hub.sessions.size() << " screen(s) over (up to "
                  << kHandoverWindow.count() << " ms)\n";
        hub.on_session_closed = [this] {
            if (hub.sessions.empty()) begin_shutdown();
        };
        std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
        for (auto* s : targets) s->begin_handover(hub.handover_ms);
        if (hub.sessions.empty()) return begin_shutdown();
        handover_timer.expires_after(kHandoverWindow);
        handover_timer.async_wait([this](error_code ec) {
            if (!ec) begin_shutdown();
        });
    }

    void begin_shutdown() {
        if (hub.shutting_down) return;
        hub.shutting_down = true;
        if (hub.handover_ms > 0) {
            std::cerr << "vigil-hub: handover over, " << hub.sessions.size() << " screen(s) still here\n";
            hub.handover_ms = 0;
            handover_timer.cancel();
        }
        stop_accepting_and_sampling();
        // Synced and marked clean: the next start continues at head + 1 with no gap.
        hub.journal.close();
        hub.on_session_closed = [this] {
            if (hub.sessions.empty()) ioc.stop();
        };
        std::vector<SessionSink*> targets(hub.sessions.begin(), hub.sessions.end());
        // Hubs sharing a stream: the screens' next hub (behind the same address) already has every frame.
        for (auto* s : targets) s->close_for_restart(hub.options.retry_hint_ms, hub.journal.shared());
        if (hub.sessions.empty()) return ioc.stop();
        shutdown_timer.expires_after(kShutdownDeadline);
        shutdown_timer.async_wait([this](error_code ec) {
            if (!ec) ioc.stop();
        });
    }

    void wait_for_signal() {
        signals.async_wait([this](error_code ec, int) {
            if (ec) return;
            // A second signal: stop now (also during a handover).
            if (hub.shutting_down || hub.handover_ms > 0) return ioc.stop();
            // Other hubs serve the same stream: hand the screens over to them first.
            if (hub.journal.shared()) begin_handover();
            else begin_shutdown();
            wait_for_signal();
        });
    }

    // Destroyed last to first: the io_context (and the sessions its handlers own) goes before
    // the shared state the sessions point into.
    std::unique_ptr<FrameJournal> journal;
    std::unique_ptr<FleetSampler> sampler;
    HubContext hub;
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    asio::steady_timer tick_timer{ioc};
    asio::steady_timer shutdown_timer{ioc};
    asio::steady_timer handover_timer{ioc};
    asio::steady_timer accept_timer{ioc};
    asio::steady_timer preview_timer{ioc};
    bool preview_timer_armed = false;
    std::int64_t newest_frame_t_ms = 0;  // hub time of the newest frame the shared stream delivered
    std::int64_t shown_preview_t_ms = 0;  // ... and of the newest preview shown (screens only get news)
    std::optional<std::pair<std::int64_t, SharedText>> pending_preview;  // waiting for its stored frame
    std::chrono::milliseconds accept_pause{0};
    std::chrono::steady_clock::time_point next_tick;
    SharedText own_catalog;  // this hub's sampler's catalog (with a shared journal, maybe not the one served)
};

HubServer::HubServer(HubOptions options, std::unique_ptr<FrameJournal> journal, std::unique_ptr<FleetSampler> sampler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(journal), std::move(sampler))) {}

HubServer::~HubServer() = default;

HubContext& HubServer::context() { return impl_->hub; }

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
    for (auto& source : i.sampler->sources()) source->start(i.ioc);
    i.sampler->refresh_catalog();
    i.hub.catalog_text = std::make_shared<const std::string>(protocol::encode(i.sampler->catalog()));
    i.own_catalog = i.hub.catalog_text;
    if (i.journal->shared()) i.attach_shared_journal();
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
