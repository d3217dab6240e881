// Link: the connection state machine of the screen. One live socket at a time, reconnects forever,
// heartbeat, close-code policy, outbox; time and socket come in through Scheduler and Transport.
//
// Implemented features:
//  [X] explicit states + typed status events (reason, attempt, time of next try)
//  [X] exactly one live socket; events from superseded sockets ignored; every socket released once
//  [X] bad URL (open() == 0) is a failed attempt: WaitingToRetry with the reason
//  [X] connect deadline; backoff with jitter, cap and floor, reset only after a stable connection
//  [X] heartbeat from the clock (throttled timers safe), RTT from pongs the app parses
//  [X] close-code policy (close_policy.h): Maintenance with hint, Unauthorized with slow probe
//  [X] outbox: ordered, bounded, coalescing, counted drops, back-pressure
//  [X] browser signals: online/offline, visible/hidden, pagehide/pageshow
//  [X] make-before-break handover (a hub's `shutdown` with handover_ms): a second socket to the
//      same URL while the first stays Open; the link swaps when it opens, else releases it
//  [ ] binary sends (the protocol is text only)
//  [ ] several Links on one Transport (the Transport has one listener)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/heartbeat_monitor.h"
#include "core/link_config.h"
#include "core/link_status.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "core/transport.h"

namespace vigil::core {

// The app's side. Callbacks run on the Link's caller stack (a transport event or a timer); they may
// call any Link method (send, stop, set_url...) but must not destroy the Link.
class LinkObserver {
public:
    virtual ~LinkObserver() = default;
    virtual void on_link_state(const LinkStatus&) {}
    // The socket just opened. Messages sent from here (and from on_link_state(Open)) go out
    // directly, ahead of the outbox, which is flushed right after: send the `hello` from here.
    virtual void on_link_open() {}
    virtual void on_link_message(std::string_view /*text*/, bool /*binary*/) {}
};

class Link final : private TransportListener {
public:
    // Takes the Transport's listener slot. The three references must outlive the Link.
    Link(Transport& transport, Scheduler& scheduler, RandomSource& random, LinkConfig config);
    // Releases the socket and every timer, silently (no observer call).
    ~Link() override;
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    void set_observer(LinkObserver* observer);

    // Idle/Stopped -> Connecting now (or Offline if the browser said so). No effect otherwise.
    void start();
    // Closes the socket (1000 "stopped"), clears every timer, discards the outbox (counted as drops).
    void stop();

    // Sends now when open and nothing is queued ahead; otherwise queues in the outbox.
    // False only when the message was refused (larger than the outbox's max_bytes).
    bool send(std::string text, std::string coalesce_key = {});

    // The app parsed a pong echoing `echoed_t` (a Scheduler time): updates RTT.
    void on_pong(double echoed_t);
    // The app saw the reply that proves the peer alive (LinkConfig::any_message_proves_liveness
    // false): silence counts from now, as after any message when that is true.
    void on_alive();
    // The app parsed a `shutdown` with retry_ms: used by the next 1012/1013 close that has no hint.
    void set_retry_hint(double ms);
    // The app parsed a `shutdown` with handover_ms > 0: the hub keeps this socket live for that
    // long while the page opens a second one to the same URL (which reaches another hub). Open
    // only; after a uniform spread in [0, kHandoverSpreadMs], the second socket opens while the
    // first keeps delivering; once it is open it becomes the link's socket (on_link_open again:
    // the hello with the cursor) and the first is closed 1000 "handed over". A second socket that
    // fails or times out is released silently (stats: handover_failures) and the first one's close
    // follows the usual path; a first socket that ends while the second is still opening leaves
    // the second as the link's socket, Connecting.
    void begin_handover(double window_ms);
    // The app's decoder rejected an inbound message.
    void count_rejected();
    // Takes effect at once: a running link drops its socket and connects to the new URL now.
    void set_url(std::string url);

    // Browser signals.
    void on_online();    // Offline/WaitingToRetry -> connect now with a fresh backoff
    void on_offline();   // -> Offline: close the socket, no retries until on_online()
    void on_visible();   // check liveness now; run a retry whose (throttled) timer is overdue
    void on_hidden();    // nothing to do: every decision reads the clock, so throttling is harmless
    void on_pagehide();  // close cleanly (1000 "going away"), -> Idle, no retry
    void on_pageshow();  // after pagehide: connect now with a fresh backoff

    LinkState state() const { return status_.state; }
    const LinkStatus& status() const { return status_; }
    const LinkStats& stats() const;  // a snapshot; valid until the next call
    const LinkConfig& config() const { return config_; }

private:
    void on_socket_open(SocketId id) override;
    void on_socket_message(SocketId id, std::string_view data, bool binary) override;
    void on_socket_error(SocketId id) override;
    void on_socket_close(SocketId id, int code, std::string_view reason, bool was_clean) override;

    bool running() const;  // a state in which the link keeps itself connected
    void begin_fresh();
    void connect_now();
    // Records `code`/`reason` in the stats, clears the socket timers and releases the socket with
    // Transport::close(close_with, close_reason) (1000 unless a page may send close_with).
    void end_socket(int code, std::string_view reason, int close_with, std::string_view close_reason);
    void clear_all_timers();
    void retry_after_failure(std::string reason);
    void retry_in(double delay_ms, LinkState state, std::string reason);
    void enter(LinkState state, std::string reason, std::optional<double> next_try_at_ms = {});

    void on_connect_deadline();
    // Handover (see begin_handover).
    void open_handover_socket();
    void fail_handover();
    void drop_handover();  // releases the second socket and its timers, silently
    // The current socket ended: the second one, if opening, takes its place (Connecting). false: none.
    bool adopt_handover(const std::string& reason);
    // The current socket is open: heartbeat, stable timer, Open, on_link_open, outbox.
    void socket_opened(SocketId id, std::string reason);
    void arm_heartbeat();
    void check_heartbeat();
    void flush_outbox();
    void arm_flush();
    bool write(std::string_view text);  // straight to the socket, counted
    void cancel(TimerId& timer);

    Transport& transport_;
    Scheduler& scheduler_;
    RandomSource& random_;
    LinkConfig config_;
    LinkObserver* observer_ = nullptr;

    SocketId socket_ = 0;
    int attempt_ = 0;   // attempts since the link was last stable (reported in LinkStatus)
    int failures_ = 0;  // failures since the link was last stable (drives the backoff)
    bool offline_ = false;
    bool parked_ = false;         // pagehide stopped a running link; pageshow resumes it
    bool in_open_notice_ = false;  // observer is being told about the open: sends go direct
    std::optional<double> retry_hint_ms_;
    std::string last_failure_;  // shown again while the next attempt is Connecting

    TimerId retry_timer_ = 0;
    TimerId deadline_timer_ = 0;
    TimerId heartbeat_timer_ = 0;
    TimerId stable_timer_ = 0;
    TimerId flush_timer_ = 0;

    SocketId handover_socket_ = 0;      // the second socket of a handover, while it opens
    double handover_deadline_at_ms_ = 0;
    TimerId handover_spread_timer_ = 0;  // before the second socket opens
    TimerId handover_deadline_timer_ = 0;

    HeartbeatMonitor heartbeat_;
    Outbox outbox_;
    LinkStatus status_;
    LinkStats stats_;
    mutable LinkStats stats_snapshot_;
};

}  // namespace vigil::core
