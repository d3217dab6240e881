// One WebSocket client: admission, hello, replay then live frames, pings, bounded sending, closes.
// Implemented features:
//  [X] token / Origin / cap refusals: accepted, then closed 4401 / 4403 / 1013 (the page sees the code)
//  [X] per-address cap (1013); no hello within --hello-timeout-ms -> close 4002 "hello timeout"
//  [X] hello -> welcome, catalog, gap (if any), replayed frames in batches, live, then live frames
//  [X] ping -> pong; bad messages -> error {code}, counted, connection kept
//  [X] oversize message -> close 1009 after a clean close handshake (read in bounded pieces)
//  [X] slow client -> close 4008, never stalls the others; a stuck socket is torn down after a deadline
//  [X] hub restart -> shutdown {restart, retry_ms}, close 1012 "retry_ms=<hint>"
//  [X] handover (hubs sharing a stream) -> shutdown {reconnect, 0, handover_ms}, frames go on
#include "hub/ws_session.h"

#include "hub/admission.h"
#include "hub/journal_replay.h"
#include "hub/replay_window.h"
#include "hub/security_headers.h"
#include "protocol/decode.h"
#include "protocol/encode.h"
#include "protocol/replay_plan.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#ifndef VIGIL_BUILD_ID
#define VIGIL_BUILD_ID "dev"
#endif

namespace vigil::hub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using error_code = beast::error_code;

// How long a close may take before the socket is simply torn down: a dropped slow client may
// never read its close frame; a restart must not wait long for anyone.
// Beast 1.74 has its own string_view; ours are std.
std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

constexpr auto kDropCloseDeadline = std::chrono::seconds(5);
constexpr auto kRestartCloseDeadline = std::chrono::milliseconds(800);
constexpr auto kRefusalCloseDeadline = std::chrono::seconds(3);
constexpr auto kHeldHelloPoll = std::chrono::milliseconds(10);  // a held hello looks again this often

class WsSession : public SessionSink, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(HubContext& hub, beast::tcp_stream stream, std::string peer)
        : hub_(hub),
          ws_(std::move(stream)),
          peer_(std::move(peer)),
          queue_(hub.options.send_queue_frames, hub.options.send_queue_bytes),
          close_timer_(ws_.get_executor()),
          hello_timer_(ws_.get_executor()) {
        ++hub_.open_sockets;
        // Replay in batches no bigger than half the queue, so a long replay never looks "slow".
        replay_batch_ = std::max<std::size_t>(1, std::min<std::size_t>(64, hub.options.send_queue_frames / 2));
    }

    ~WsSession() override {
        finish();
        --hub_.open_sockets;
    }

    void start(UpgradeHttpRequest request) {
        request_ = std::move(request);
        AdmissionPolicy policy;
        policy.token = hub_.options.token;
        policy.allow_origins = hub_.options.allow_origins;
        policy.allow_hosts = hub_.options.allow_hosts;
        policy.max_clients = hub_.options.max_clients;
        policy.max_clients_per_address = hub_.options.max_clients_per_address;
        policy.retry_hint_ms = hub_.options.retry_hint_ms;
        error_code endpoint_ec;
        const auto remote = beast::get_lowest_layer(ws_).socket().remote_endpoint(endpoint_ec);
        address_ = endpoint_ec ? std::string() : remote.address().to_string();
        const auto per_address = hub_.sessions_per_address.find(address_);
        UpgradeRequest upgrade{sv(request_.target()), sv(request_[http::field::origin]),
                               sv(request_[http::field::sec_websocket_protocol]), int(hub_.sessions.size()),
                               sv(request_[http::field::host]),
                               per_address == hub_.sessions_per_address.end() ? 0 : per_address->second};
        admission_ = admit(policy, upgrade);
        connect_id_ = hub_.connects.record(unix_ms_now(), peer_, admission_.outcome);
        ++hub_.counters.connects_by_outcome[admission_.outcome];
        if (admission_.close_code == 0) {
            // Registered before the handshake completes, so the caps count handshaking sessions too.
            hub_.sessions.insert(this);
            ++hub_.sessions_per_address[address_];
            registered_ = true;
            ++hub_.counters.accepted_clients;
        } else {
            ++hub_.counters.refused_clients;
        }

        beast::get_lowest_layer(ws_).expires_never();  // the websocket's own timeouts take over
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = std::chrono::seconds(10);  // opening and closing handshakes
        timeouts.idle_timeout = std::chrono::seconds(60);       // a vanished peer is noticed...
        timeouts.keep_alive_pings = true;                        // ...by unanswered pings
        ws_.set_option(timeouts);
        ws_.read_message_max(0);  // bounded by do_read() instead, see there
        // One frame per message, written with one gather write from the shared text: with Beast's
        // default auto-fragmenting, a 20 KB fleet frame went out as several 4 KB fragments, each its
        // own write, and the fan-out to 1,000 screens took that many times longer (bench 8).
        ws_.auto_fragment(false);
        ws_.set_option(websocket::stream_base::decorator([sub = admission_.subprotocol](websocket::response_type& res) {
            res.set(http::field::server, "vigil-hub/" VIGIL_BUILD_ID);
            set_security_headers(res);
            if (!sub.empty()) res.set(http::field::sec_websocket_protocol, sub);
        }));
        ws_.async_accept(request_, [self = shared_from_this()](error_code ec) { self->on_accept(ec); });
    }

    void deliver_frame(protocol::Seq seq, const SharedText& frame) override {
        // Replaying sessions read it from the journal instead; the replay may already have sent it.
        if (phase_ != Phase::live || seq <= live_head_) return;
        enqueue(frame);
    }

    bool deliver_preview(const SharedText& preview) override {
        if (!previews_ || phase_ != Phase::live || closing_ || !queue_.empty()) return false;
        enqueue(preview);
        return true;
    }

    void deliver_catalog(const SharedText& catalog) override {
        if (phase_ == Phase::replaying || phase_ == Phase::live) enqueue(catalog);
    }

    void close_for_restart(int retry_ms, bool reconnect_now) override {
        if (reconnect_now) {
            retry_ms = 0;
            reconnect_now_ = true;
        }
        if (!accepted_) {  // still in the opening handshake: on_accept closes it
            restart_pending_ = true;
            return;
        }
        if (closing_) return;
        // Queued frames are dropped: they are in the store and the page resumes from its cursor.
        queue_.clear();
        queue_.push(std::make_shared<const std::string>(
            protocol::encode(protocol::Shutdown{reconnect_now_ ? "reconnect" : "restart", retry_ms})));
        begin_close(1012, "retry_ms=" + std::to_string(retry_ms) + (reconnect_now_ ? " reconnect=now" : ""),
                    kRestartCloseDeadline, /*drain=*/true);
    }

    void begin_handover(int handover_ms) override {
        if (!accepted_) {  // still in the opening handshake: on_accept sends it
            handover_pending_ = true;
            return;
        }
        if (closing_ || handover_sent_) return;
        handover_sent_ = true;
        // Nothing is cleared: the page keeps taking frames on this connection until its next
        // one is open (or until the window ends with close_for_restart).
        send(protocol::encode(protocol::Shutdown{"reconnect", 0, handover_ms}));
    }

private:
    enum class Phase { handshake, awaiting_hello, replaying, live, closing };

    void on_accept(error_code ec) {
        if (ec) return finish();
        accepted_ = true;
        if (admission_.close_code != 0) {
            begin_close(admission_.close_code, admission_.close_reason, kRefusalCloseDeadline, false);
            return do_read();
        }
        phase_ = Phase::awaiting_hello;
        // A socket that never says hello holds a slot of --max-clients: without a deadline, enough
        // idle sockets lock every screen out.
        hello_timer_.expires_after(std::chrono::milliseconds(hub_.options.hello_timeout_ms));
        hello_timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
            if (wait_ec || self->phase_ != Phase::awaiting_hello) return;
            ++self->hub_.counters.hello_timeouts;
            self->begin_close(4002, "hello timeout", kDropCloseDeadline, false);
        });
        do_read();
        if (restart_pending_ || hub_.shutting_down) close_for_restart(hub_.options.retry_hint_ms, reconnect_now_ || (hub_.shutting_down && hub_.journal.shared()));
        else if (handover_pending_ || hub_.handover_ms > 0) begin_handover(hub_.handover_ms);
    }

    // Reads in pieces so a message is never buffered beyond max_message_bytes + 1. Beast's own
    // read_message_max is not used: Boost 1.74 fails the connection and tears the socket down
    // with the peer's bytes unread, which sends RST, and the page would see 1006 instead of 1009.
    void do_read() {
        const std::size_t limit = hub_.options.max_message_bytes + 1;
        const std::size_t room = limit > buffer_.size() ? limit - buffer_.size() : 1;
        ws_.async_read_some(buffer_, room,
                            [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (ec) return finish();
        if (closing_) {  // only the peer's close frame matters now
            buffer_.consume(buffer_.size());
            return do_read();
        }
        if (buffer_.size() > hub_.options.max_message_bytes) {
            // No further read: the close handshake drains the rest of the message, then the socket.
            hub_.counters.rejected.add(protocol::RejectionKind::too_big);
            buffer_.consume(buffer_.size());
            queue_.clear();
            return begin_close(1009, "message too big", kDropCloseDeadline, false);
        }
        if (!ws_.is_message_done()) return do_read();
        if (!ws_.got_text()) reject(protocol::reject_binary());
        else handle(beast::buffers_to_string(buffer_.data()));
        buffer_.consume(buffer_.size());
        do_read();  // also while closing: the peer's close frame ends the read with `closed`
    }

    void handle(const std::string& text) {
        protocol::DecodeLimits limits;
        limits.max_bytes = hub_.options.max_message_bytes;
        auto message = protocol::decode_client_message(text, limits);
        if (auto rejection = protocol::rejection_of(message)) return reject(*rejection);
        if (auto ping = std::get_if<protocol::Ping>(&message))
            return send(protocol::encode(protocol::Pong{ping->t, unix_ms_now()}));
        if (auto hello = std::get_if<protocol::Hello>(&message)) return on_hello(*hello);
    }

    void reject(const protocol::Rejection& rejection) {
        hub_.counters.rejected.add(rejection);
        send(protocol::encode(protocol::Error{protocol::rejection_name(rejection.kind), rejection.message}));
    }

    void on_hello(const protocol::Hello& hello) {
        if (phase_ != Phase::awaiting_hello || held_hello_) {
            // A second hello would restart the stream mid-way; the page never sends one.
            return send(protocol::encode(protocol::Error{"duplicate_hello", "hello was already received"}));
        }
        hello_timer_.cancel();
        client_ = hello.client;
        previews_ = hello.previews;
        if (!client_.empty()) hub_.census.connected(client_);
        hub_.connects.set_client(connect_id_, client_);
        hold_until_ = std::chrono::steady_clock::now() + 2 * std::chrono::milliseconds(hub_.options.interval_ms);
        welcome_when_held(hello);
    }

    // Hubs sharing a stream: a page handed over (or failing over) from another hub may hold a
    // frame this hub's consumer has not delivered yet, a few ms behind. A welcome whose head is
    // below the page's cursor tells it this hub lost frames it had sent (PROTOCOL.md), and the
    // page resets its view of the epoch. So the welcome waits until this hub holds the cursor,
    // for at most 2 intervals; past that (a cursor this stream never reached) it goes out as before.
    void welcome_when_held(const protocol::Hello& hello) {
        auto& journal = hub_.journal;
        if (journal.shared() && hello.resume && hello.resume->epoch == journal.epoch() &&
            hello.resume->seq > journal.head_seq() && std::chrono::steady_clock::now() < hold_until_) {
            held_hello_ = hello;
            hello_timer_.expires_after(kHeldHelloPoll);
            hello_timer_.async_wait([self = shared_from_this()](error_code ec) {
                if (ec || self->closing_ || self->phase_ != Phase::awaiting_hello || !self->held_hello_) return;
                const protocol::Hello held = *self->held_hello_;
                self->welcome_when_held(held);
            });
            return;
        }
        if (held_hello_) ++hub_.counters.held_hellos;
        held_hello_.reset();
        protocol::Welcome welcome;
        welcome.epoch = journal.epoch();
        welcome.head = journal.head_seq();
        welcome.oldest = journal.oldest_seq();
        welcome.hub = VIGIL_BUILD_ID;
        welcome.interval_ms = hub_.options.interval_ms;
        send(protocol::encode(welcome));
        enqueue(hub_.catalog_text);

        protocol::ReplayPolicy policy;
        policy.interval_ms = hub_.options.interval_ms;
        const auto now = unix_ms_now();
        const protocol::SeqAtOrAfter seq_at = [&journal](std::int64_t t) { return journal.seq_at_or_after(t); };
        const auto plan = bound_to_history_window(protocol::plan_replay(hello, journal.view(), now, policy, seq_at),
                                                  hello, now, policy, seq_at);
        replay_.emplace(journal, plan);
        phase_ = Phase::replaying;
        pump_replay();
    }

    // Moves the next batch of journaled frames (and gaps) into the queue; when the replay has
    // caught up with the journal's head, announces `live` and from then on takes broadcast
    // frames. Runs again whenever the queue drains, so a long replay never fills the queue.
    // A batch is sized in bytes too, by the frames replayed so far: 64 frames of a 5,000-host
    // fleet (0.74 MB each) are 47 MB, and one such batch behind the 2.6 MB catalog crossed the
    // default 8 MiB queue at once, so a fresh page was dropped as slow (4008) before it read a byte.
    void pump_replay() {
        const std::size_t half = hub_.options.send_queue_bytes / 2;
        while (phase_ == Phase::replaying && queue_.size() < replay_batch_ && queue_.bytes() < half) {
            const auto frames_before = replay_->frames_sent();
            const auto gaps_before = replay_->gaps_sent();
            std::size_t want = replay_batch_ - queue_.size();
            if (replay_frame_bytes_ > 0) want = std::clamp<std::size_t>((half - queue_.bytes()) / replay_frame_bytes_, 1, want);
            else want = 1;  // the first frame's size is not known yet
            std::vector<std::string> batch;
            try {
                batch = replay_->next_batch(want);
            } catch (const std::exception& e) {
                std::cerr << "vigil-hub: replay read failed: " << e.what() << "\n";
                return begin_close(1011, "journal read failed", kDropCloseDeadline, true);
            }
            hub_.counters.replayed_frames += replay_->frames_sent() - frames_before;
            hub_.counters.gaps_sent += replay_->gaps_sent() - gaps_before;
            for (auto& text : batch) {
                replay_frame_bytes_ = std::max(replay_frame_bytes_, text.size());  // the largest seen
                enqueue(std::make_shared<const std::string>(std::move(text)));
            }
            if (replay_->done()) {
                live_head_ = replay_->live_head();
                phase_ = Phase::live;
                replay_.reset();
                send(protocol::encode(protocol::Live{live_head_}));
            }
        }
        do_write();
    }

    void send(std::string text) { enqueue(std::make_shared<const std::string>(std::move(text))); }

    void enqueue(const SharedText& message) {
        if (closing_ || !message) return;
        if (!queue_.push(message)) return drop_slow();
        do_write();
    }

    void drop_slow() {
        ++hub_.counters.dropped_clients;
        queue_.clear();
        begin_close(4008, "slow client", kDropCloseDeadline, false);
    }

    void do_write() {
        if (writing_) return;
        if (queue_.empty()) {
            if (close_after_drain_) {
                close_after_drain_ = false;
                do_close();
            }
            return;
        }
        writing_ = true;
        in_flight_ = queue_.front();  // kept alive here: the queue may be cleared mid-write
        queue_.pop();
        ws_.text(true);
        ws_.async_write(asio::buffer(*in_flight_),
                        [self = shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(error_code ec) {
        writing_ = false;
        in_flight_.reset();
        if (ec) return;  // the read side sees the broken connection and finishes the session
        if (phase_ == Phase::replaying && queue_.empty()) return pump_replay();
        do_write();
    }

    void begin_close(int code, std::string reason, std::chrono::milliseconds deadline, bool drain) {
        if (closing_) return;
        closing_ = true;
        phase_ = Phase::closing;
        close_code_ = code;
        close_text_ = std::move(reason);
        close_timer_.expires_after(deadline);
        close_timer_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec) return;
            // The peer did not complete the close in time (a stalled reader): tear the socket down.
            error_code ignored;
            beast::get_lowest_layer(self->ws_).socket().close(ignored);
        });
        if (drain && (writing_ || !queue_.empty())) {
            close_after_drain_ = true;
            return do_write();
        }
        do_close();
    }

    void do_close() {
        websocket::close_reason reason;
        reason.code = std::uint16_t(close_code_);
        reason.reason = close_text_.substr(0, 120);  // a close reason holds at most 123 bytes
        // Beast lets a close wait behind a write in flight, so a drop does not need the write to end.
        ws_.async_close(reason, [self = shared_from_this()](error_code) {
            self->close_timer_.cancel();
            self->finish();  // a session closed for an oversize message has no read pending
        });
    }

    void finish() {
        if (finished_) return;
        finished_ = true;
        close_timer_.cancel();
        hello_timer_.cancel();
        if (!client_.empty()) hub_.census.disconnected(client_);
        if (registered_) {
            hub_.sessions.erase(this);
            if (auto it = hub_.sessions_per_address.find(address_); it != hub_.sessions_per_address.end() && --it->second <= 0)
                hub_.sessions_per_address.erase(it);
            registered_ = false;
            if (hub_.on_session_closed) hub_.on_session_closed();
        }
    }

    HubContext& hub_;
    websocket::stream<beast::tcp_stream> ws_;
    std::string peer_;
    UpgradeHttpRequest request_;
    Admission admission_;
    std::uint64_t connect_id_ = 0;
    beast::flat_buffer buffer_;
    SendQueue queue_;
    SharedText in_flight_;
    asio::steady_timer close_timer_;
    asio::steady_timer hello_timer_;
    std::string address_;  // the peer's address, without the port: the per-address cap's key
    std::size_t replay_batch_ = 64;
    std::size_t replay_frame_bytes_ = 0;  // the largest replayed message so far (batch sizing)
    Phase phase_ = Phase::handshake;
    std::optional<ReplayStream> replay_;
    protocol::Seq live_head_ = 0;
    std::string client_;
    int close_code_ = 0;
    std::string close_text_;
    bool accepted_ = false, registered_ = false, finished_ = false;
    bool writing_ = false, closing_ = false, close_after_drain_ = false, restart_pending_ = false;
    bool reconnect_now_ = false;  // the shutdown tells the page to come back at once (other hubs exist)
    bool handover_pending_ = false, handover_sent_ = false;
    std::optional<protocol::Hello> held_hello_;  // waiting for this hub to hold its cursor
    bool previews_ = false;  // the page's hello asked for previews (older pages would reject the type)
    std::chrono::steady_clock::time_point hold_until_;
};

}  // namespace

void start_ws_session(HubContext& hub, boost::beast::tcp_stream stream, UpgradeHttpRequest request,
                      std::string peer) {
    std::make_shared<WsSession>(hub, std::move(stream), std::move(peer))->start(std::move(request));
}

}  // namespace vigil::hub
