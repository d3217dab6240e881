// Link: the connection state machine (see link.h for the features and close_policy.h for the code table).
#include "core/link.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/backoff.h"
#include "core/close_policy.h"
#include "core/redaction.h"

namespace vigil::core {

namespace {
std::string whole_ms(double ms) { return std::to_string(static_cast<long long>(std::llround(ms))) + " ms"; }
}  // namespace

Link::Link(Transport& transport, Scheduler& scheduler, RandomSource& random, LinkConfig config)
    : transport_(transport),
      scheduler_(scheduler),
      random_(random),
      config_(std::move(config)),
      heartbeat_(config_.ping_after_ms, config_.dead_after_ms),
      outbox_(config_.outbox.max_messages, config_.outbox.max_bytes) {
    status_.since_ms = scheduler_.now_ms();
    transport_.set_listener(this);
}

Link::~Link() {
    clear_all_timers();
    drop_handover();
    if (socket_ != 0) {
        const SocketId id = std::exchange(socket_, 0);
        transport_.close(id, close_code::normal, "stopped");
    }
    transport_.set_listener(nullptr);
}

void Link::set_observer(LinkObserver* observer) { observer_ = observer; }

bool Link::running() const {
    switch (status_.state) {
        case LinkState::Connecting:
        case LinkState::Open:
        case LinkState::WaitingToRetry:
        case LinkState::Maintenance:
        case LinkState::Unauthorized: return true;
        default: return false;
    }
}

// --- lifecycle ----------------------------------------------------------------------------------

void Link::start() {
    if (status_.state != LinkState::Idle && status_.state != LinkState::Stopped) return;
    begin_fresh();
}

// Start over with a fresh backoff: connect now, or wait Offline if the browser said so.
void Link::begin_fresh() {
    parked_ = false;
    attempt_ = 0;
    failures_ = 0;
    last_failure_.clear();
    if (offline_) {
        enter(LinkState::Offline, "browser reports no network");
    } else {
        connect_now();
    }
}

void Link::stop() {
    clear_all_timers();
    drop_handover();
    if (socket_ != 0) end_socket(close_code::normal, "stopped", close_code::normal, "stopped");
    outbox_.clear();
    parked_ = false;
    if (status_.state != LinkState::Stopped) enter(LinkState::Stopped, "stopped by the app");
}

void Link::connect_now() {
    cancel(retry_timer_);
    ++attempt_;
    ++stats_.attempts;
    std::string error;
    const SocketId id = transport_.open(config_.url, config_.protocols, &error);
    if (id == 0) {
        // The transport's words first (what to change, for a URL that can never work): the banner
        // cuts a long reason at its end.
        // The transport's text may quote the URL (a browser's message does): redacted as well.
        retry_after_failure((error.empty() ? std::string("refused by the transport") : redact_credentials(error)) +
                            " (cannot open " + redact_credentials(config_.url) + ")");
        return;
    }
    socket_ = id;
    deadline_timer_ = scheduler_.set_timeout(config_.connect_timeout_ms, [this] {
        deadline_timer_ = 0;
        on_connect_deadline();
    });
    enter(LinkState::Connecting, last_failure_.empty() ? "connecting to " + redact_credentials(config_.url) : last_failure_);
}

void Link::end_socket(int code, std::string_view reason, int close_with, std::string_view close_reason) {
    const SocketId id = std::exchange(socket_, 0);
    cancel(deadline_timer_);
    cancel(heartbeat_timer_);
    cancel(stable_timer_);
    cancel(flush_timer_);
    ++stats_.closes_by_code[code];
    stats_.last_close_code = code;
    stats_.last_close_reason = std::string(reason);
    // Never pass on the peer's code: the browser throws on anything but 1000 and 3000-4999.
    transport_.close(id, page_may_send_close_code(close_with) ? close_with : close_code::normal, close_reason);
}

void Link::clear_all_timers() {
    cancel(retry_timer_);
    cancel(deadline_timer_);
    cancel(heartbeat_timer_);
    cancel(stable_timer_);
    cancel(flush_timer_);
}

void Link::cancel(TimerId& timer) {
    if (timer != 0) scheduler_.clear_timeout(std::exchange(timer, 0));
}

void Link::retry_after_failure(std::string reason) {
    last_failure_ = reason;
    // A drop of an open but not yet stable connection counts too: a hub that accepts and drops
    // at once climbs the backoff like one that refuses.
    ++failures_;
    const double delay = backoff_delay_ms(config_.backoff, failures_, random_.uniform01());
    retry_in(delay, LinkState::WaitingToRetry, std::move(reason));
}

void Link::retry_in(double delay_ms, LinkState state, std::string reason) {
    cancel(retry_timer_);
    const double at = scheduler_.now_ms() + delay_ms;
    stats_.last_retry_delay_ms = delay_ms;
    retry_timer_ = scheduler_.set_timeout(delay_ms, [this] {
        retry_timer_ = 0;
        connect_now();
    });
    enter(state, std::move(reason), at);
}

void Link::enter(LinkState state, std::string reason, std::optional<double> next_try_at_ms) {
    const double now = scheduler_.now_ms();
    stats_.ms_in_state[static_cast<std::size_t>(status_.state)] += now - status_.since_ms;
    status_.state = state;
    status_.reason = std::move(reason);
    status_.attempt = attempt_;
    status_.next_try_at_ms = next_try_at_ms;
    status_.since_ms = now;
    if (observer_ != nullptr) {
        const LinkStatus event = status_;  // the observer may change status_ while reading it
        observer_->on_link_state(event);
    }
}

// --- transport events ---------------------------------------------------------------------------

void Link::on_socket_open(SocketId id) {
    if (id != 0 && id == handover_socket_) {
        // Make before break: the second socket is open, so it becomes the link's socket and the
        // first, still open (it delivered frames until now), is closed. The observer hears
        // on_link_open as after any reconnect and sends its hello with the cursor it holds now:
        // the next hub replays from there, and nothing the first socket delivers later arrives.
        cancel(handover_deadline_timer_);
        const SocketId next = std::exchange(handover_socket_, 0);
        ++stats_.handovers;
        end_socket(close_code::normal, "handed over", close_code::normal, "handed over");
        socket_ = next;
        socket_opened(next, "handed over to the next hub at " + redact_credentials(config_.url));
        return;
    }
    if (id != socket_ || status_.state != LinkState::Connecting) return;
    cancel(deadline_timer_);
    socket_opened(id, "connected to " + redact_credentials(config_.url));
}

void Link::socket_opened(SocketId id, std::string reason) {
    ++stats_.opens;
    retry_hint_ms_.reset();  // a hint belongs to the connection that announced the shutdown
    heartbeat_.restart(scheduler_.now_ms());
    arm_heartbeat();
    stable_timer_ = scheduler_.set_timeout(config_.stable_after_ms, [this] {
        stable_timer_ = 0;
        attempt_ = 0;
        failures_ = 0;
        last_failure_.clear();
    });
    // Whatever the observer sends while hearing about the open goes out first (the hello),
    // then the outbox follows in order.
    in_open_notice_ = true;
    enter(LinkState::Open, std::move(reason));
    if (socket_ == id && observer_ != nullptr) observer_->on_link_open();
    in_open_notice_ = false;
    if (socket_ == id) flush_outbox();
}

void Link::on_socket_message(SocketId id, std::string_view data, bool binary) {
    // The second socket of a handover says nothing before it opens (and then it is socket_).
    if (id != socket_ || status_.state != LinkState::Open) return;
    ++stats_.messages_in;
    stats_.bytes_in += data.size();
    if (config_.any_message_proves_liveness) heartbeat_.saw_inbound(scheduler_.now_ms());
    if (observer_ != nullptr) observer_->on_link_message(data, binary);
}

void Link::on_socket_error(SocketId id) {
    if (id != 0 && id == handover_socket_) return fail_handover();
    if (id != socket_) return;
    // Browsers follow an error with a close (always 1006). Releasing now makes that close
    // unreachable, so an error plus its close cost exactly one retry.
    const bool was_open = status_.state == LinkState::Open;
    end_socket(close_code::abnormal, "socket error", close_code::normal, "");
    if (adopt_handover(was_open ? "connection lost (socket error)" : "hub unreachable (socket error)")) return;
    retry_after_failure(was_open ? "connection lost (socket error)" : "hub unreachable (socket error)");
}

void Link::on_socket_close(SocketId id, int code, std::string_view reason, bool /*was_clean*/) {
    if (id != 0 && id == handover_socket_) return fail_handover();
    if (id != socket_) return;
    const bool was_open = status_.state == LinkState::Open;
    const std::string what = describe_close(code, reason);
    const std::optional<double> hint_in_reason = parse_retry_hint(reason);
    end_socket(code, reason, close_code::normal, "");  // already closed by the peer: this releases it
    // The hub's handover window ended (or it went) before the second socket opened: that one
    // carries on, Connecting, under its own deadline.
    if (adopt_handover("hub handing over: " + what + "; connecting to the next hub")) {
        retry_hint_ms_.reset();
        return;
    }
    switch (classify_close(code)) {
        case CloseAction::Maintenance: {
            const double hint = hint_in_reason.value_or(retry_hint_ms_.value_or(config_.default_retry_hint_ms));
            retry_hint_ms_.reset();
            last_failure_ = "hub maintenance: " + what;
            // Another hub takes over (a rolling upgrade of hubs on one stream): back within the spread.
            const double delay = code == close_code::service_restart && asks_reconnect_now(reason)
                                     ? random_.uniform01() * kReconnectNowSpreadMs
                                     : maintenance_delay_ms(hint, random_.uniform01());
            retry_in(delay, LinkState::Maintenance, last_failure_);
            return;
        }
        case CloseAction::Unauthorized: {
            const double probe = std::max(0.0, config_.unauthorized_probe_ms) * (1 + 0.25 * random_.uniform01());
            last_failure_ = "not authorized: " + what;
            retry_in(probe, LinkState::Unauthorized, last_failure_);
            return;
        }
        case CloseAction::Backoff:
            retry_after_failure((was_open ? "connection closed: " : "hub refused the connection: ") + what);
            return;
    }
}

void Link::on_connect_deadline() {
    if (status_.state != LinkState::Connecting || socket_ == 0) return;
    ++stats_.connect_timeouts;
    end_socket(close_code::connect_timeout, "connect timeout", close_code::connect_timeout, "connect timeout");
    retry_after_failure("no answer from the hub within " + whole_ms(config_.connect_timeout_ms));
}

// --- make-before-break handover -----------------------------------------------------------------

void Link::begin_handover(double window_ms) {
    if (status_.state != LinkState::Open || socket_ == 0) return;
    if (handover_socket_ != 0 || handover_spread_timer_ != 0) return;  // one handover at a time
    if (!std::isfinite(window_ms) || window_ms <= 0) return;
    // Spread the screens of one hub over the next hub; well inside the window, which the
    // second socket's handshake needs too.
    const double spread = std::min(kHandoverSpreadMs, std::min(window_ms, kMaxRetryHintMs) / 4);
    handover_spread_timer_ = scheduler_.set_timeout(random_.uniform01() * spread, [this] {
        handover_spread_timer_ = 0;
        open_handover_socket();
    });
}

void Link::open_handover_socket() {
    if (status_.state != LinkState::Open || socket_ == 0 || handover_socket_ != 0) return;
    ++stats_.attempts;
    std::string error;
    const SocketId id = transport_.open(config_.url, config_.protocols, &error);
    if (id == 0) {
        ++stats_.handover_failures;  // the first socket's close will follow the usual path
        return;
    }
    handover_socket_ = id;
    handover_deadline_at_ms_ = scheduler_.now_ms() + config_.connect_timeout_ms;
    handover_deadline_timer_ = scheduler_.set_timeout(config_.connect_timeout_ms, [this] {
        handover_deadline_timer_ = 0;
        ++stats_.connect_timeouts;
        fail_handover();
    });
}

void Link::fail_handover() {
    ++stats_.handover_failures;
    drop_handover();
}

void Link::drop_handover() {
    cancel(handover_spread_timer_);
    cancel(handover_deadline_timer_);
    if (handover_socket_ != 0) transport_.close(std::exchange(handover_socket_, 0), close_code::normal, "");
}

bool Link::adopt_handover(const std::string& reason) {
    cancel(handover_spread_timer_);  // not opened yet: the usual path follows
    if (handover_socket_ == 0) return false;
    cancel(handover_deadline_timer_);
    socket_ = std::exchange(handover_socket_, 0);
    ++stats_.handovers;
    ++attempt_;
    last_failure_ = reason;
    const double left = std::max(0.0, handover_deadline_at_ms_ - scheduler_.now_ms());
    deadline_timer_ = scheduler_.set_timeout(left, [this] {
        deadline_timer_ = 0;
        on_connect_deadline();
    });
    enter(LinkState::Connecting, reason);
    return true;
}

// --- heartbeat ----------------------------------------------------------------------------------

void Link::arm_heartbeat() {
    cancel(heartbeat_timer_);
    const double delay = std::max(0.0, heartbeat_.next_check_at() - scheduler_.now_ms());
    heartbeat_timer_ = scheduler_.set_timeout(delay, [this] {
        heartbeat_timer_ = 0;
        check_heartbeat();
    });
}

void Link::check_heartbeat() {
    if (status_.state != LinkState::Open || socket_ == 0) return;
    const double now = scheduler_.now_ms();
    switch (heartbeat_.check(now)) {
        case HeartbeatMonitor::Verdict::Dead: {
            ++stats_.dead_peer_verdicts;
            const std::string silence = whole_ms(heartbeat_.silence_ms(now));
            end_socket(close_code::dead_peer, "dead peer", close_code::dead_peer, "dead peer");
            if (adopt_handover("dead peer: no message for " + silence + "; connecting to the next hub")) return;
            retry_after_failure((config_.any_message_proves_liveness ? "dead peer: no message for "
                                                                     : "dead peer: no heartbeat reply for ") + silence);
            return;
        }
        case HeartbeatMonitor::Verdict::SendPing: {
            heartbeat_.sent_ping(now);
            // Straight to the socket, past the outbox and its back-pressure: bulk data queued
            // for the hub must not delay the question "are you there?".
            const std::string ping = config_.make_ping ? config_.make_ping(now) : default_ping_text(now);
            if (!ping.empty() && write(ping)) ++stats_.pings_sent;
            break;
        }
        case HeartbeatMonitor::Verdict::Quiet: break;
    }
    arm_heartbeat();
}

void Link::on_alive() {
    if (status_.state == LinkState::Open && socket_ != 0) heartbeat_.saw_inbound(scheduler_.now_ms());
}

void Link::on_pong(double echoed_t) {
    if (!std::isfinite(echoed_t)) return;
    const double rtt = scheduler_.now_ms() - echoed_t;
    if (rtt < 0) return;  // not one of our pings
    stats_.rtt_last_ms = rtt;
    stats_.rtt_smoothed_ms =
        stats_.rtt_smoothed_ms ? *stats_.rtt_smoothed_ms + (rtt - *stats_.rtt_smoothed_ms) / 8 : rtt;
}

// --- outbound -----------------------------------------------------------------------------------

bool Link::write(std::string_view text) {
    if (!transport_.send_text(socket_, text)) return false;
    ++stats_.messages_out;
    stats_.bytes_out += text.size();
    return true;
}

bool Link::send(std::string text, std::string coalesce_key) {
    const bool open = status_.state == LinkState::Open && socket_ != 0;
    if (open) {
        const bool our_turn =
            in_open_notice_ || (outbox_.empty() && flush_timer_ == 0 &&
                                transport_.buffered_amount(socket_) <= config_.outbox.max_buffered_bytes);
        if (our_turn && write(text)) return true;
    }
    const bool queued = outbox_.push(std::move(text), std::move(coalesce_key));
    if (open && !in_open_notice_ && !outbox_.empty()) arm_flush();
    return queued;
}

void Link::flush_outbox() {
    if (status_.state != LinkState::Open || socket_ == 0) return;
    while (!outbox_.empty()) {
        if (transport_.buffered_amount(socket_) > config_.outbox.max_buffered_bytes || !write(outbox_.front())) {
            arm_flush();
            return;
        }
        outbox_.pop_front();
    }
}

void Link::arm_flush() {
    if (flush_timer_ != 0) return;
    flush_timer_ = scheduler_.set_timeout(config_.outbox.flush_retry_ms, [this] {
        flush_timer_ = 0;
        flush_outbox();
    });
}

// --- app and browser signals --------------------------------------------------------------------

void Link::set_retry_hint(double ms) {
    if (std::isfinite(ms) && ms >= 0) retry_hint_ms_ = std::min(ms, kMaxRetryHintMs);
}

void Link::count_rejected() { ++stats_.rejected_inbound; }

void Link::set_url(std::string url) {
    config_.url = std::move(url);
    if (!running()) return;
    clear_all_timers();
    drop_handover();  // it was opened to the old URL
    if (socket_ != 0) end_socket(close_code::normal, "url changed", close_code::normal, "url changed");
    attempt_ = 0;
    failures_ = 0;
    last_failure_.clear();
    connect_now();
}

void Link::on_online() {
    offline_ = false;
    if (status_.state != LinkState::Offline && status_.state != LinkState::WaitingToRetry) return;
    attempt_ = 0;  // a fresh backoff: the network just came back, the hub has done nothing wrong
    failures_ = 0;
    connect_now();
}

void Link::on_offline() {
    offline_ = true;
    if (!running()) return;  // Idle, Stopped, Offline: remembered for start()/pageshow
    clear_all_timers();
    drop_handover();
    if (socket_ != 0) end_socket(close_code::normal, "offline", close_code::normal, "offline");
    enter(LinkState::Offline, "browser reports no network");
}

void Link::on_visible() {
    if (status_.state == LinkState::Open) {
        check_heartbeat();  // pings at once if silent past ping_after, declares dead past dead_after
        return;
    }
    // A hidden tab may have held the retry timer back for a minute: if the retry is overdue, go now.
    if (retry_timer_ != 0 && status_.next_try_at_ms && scheduler_.now_ms() >= *status_.next_try_at_ms) {
        connect_now();
    }
}

void Link::on_hidden() {}

void Link::on_pagehide() {
    if (!running() && status_.state != LinkState::Offline) return;
    clear_all_timers();
    drop_handover();
    if (socket_ != 0) end_socket(close_code::normal, "going away", close_code::normal, "going away");
    parked_ = true;
    enter(LinkState::Idle, "page hidden");
}

void Link::on_pageshow() {
    if (!parked_ || status_.state != LinkState::Idle) return;
    begin_fresh();
}

// --- statistics ---------------------------------------------------------------------------------

const LinkStats& Link::stats() const {
    stats_snapshot_ = stats_;
    stats_snapshot_.ms_in_state[static_cast<std::size_t>(status_.state)] += scheduler_.now_ms() - status_.since_ms;
    stats_snapshot_.outbox_drops = outbox_.drops();
    return stats_snapshot_;
}

}  // namespace vigil::core
