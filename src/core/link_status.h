// What the app sees of the link: its explicit states, the status event it observes, and the statistics.
// Plain data; the state machine that fills it lives in link.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace vigil::core {

enum class LinkState {
    Idle,            // not started yet, or parked by pagehide (no socket, no timer)
    Connecting,      // one socket opening, connect deadline armed
    Open,            // socket open, heartbeat armed (during a handover a second one may be opening)
    WaitingToRetry,  // the last attempt failed or the link dropped; backoff timer armed
    Maintenance,     // the hub said 1012/1013: retry at its hint plus a jittered spread
    Unauthorized,    // 1008/4401/4403: no fast retries, one slow probe armed
    Offline,         // the browser reports no network: nothing armed until on_online()
    Stopped,         // stop() was called: nothing armed until start()
};
inline constexpr std::size_t kLinkStateCount = 8;

// Stable lower-case names ("waiting_to_retry"), for logs, test hooks and the status line.
const char* to_string(LinkState state);

// One event of the stream the app observes; emitted on every change of state, reason or attempt.
struct LinkStatus {
    LinkState state = LinkState::Idle;
    std::string reason;                    // why we are here; never empty outside Idle/Connecting/Open
    int attempt = 0;                       // connection attempts made since the link was last stable
    std::optional<double> next_try_at_ms;  // Scheduler time of the next attempt, when one is armed
    double since_ms = 0;                   // Scheduler time this status began
};

struct LinkStats {
    std::uint64_t attempts = 0;          // Transport::open calls (including ones that returned 0)
    std::uint64_t opens = 0;             // sockets that reached Open
    std::uint64_t connect_timeouts = 0;  // handshakes abandoned at the connect deadline
    // Every socket the core released, by the close code it ended with: the peer's code, 1006 for
    // a socket error, or the code the core itself used (4000 dead peer, 4001 connect timeout,
    // 1000 for stop/offline/pagehide/url change).
    std::map<int, std::uint64_t> closes_by_code;
    int last_close_code = 0;
    std::string last_close_reason;
    std::array<double, kLinkStateCount> ms_in_state{};  // indexed by LinkState, includes the current one
    std::optional<double> rtt_last_ms;
    // The delay of the last retry armed (backoff, maintenance hint plus spread, or auth probe):
    // one random draw per screen, so a test can tell screens that draw alike from a herd that spreads.
    std::optional<double> last_retry_delay_ms;
    std::optional<double> rtt_smoothed_ms;  // EWMA with gain 1/8, as TCP's SRTT
    std::uint64_t messages_in = 0, bytes_in = 0;
    std::uint64_t messages_out = 0, bytes_out = 0;  // everything written to a socket, pings included
    std::uint64_t rejected_inbound = 0;             // count_rejected() calls from the app's decoder
    std::uint64_t outbox_drops = 0;                 // evicted, oversized, or discarded by stop()
    std::uint64_t pings_sent = 0;
    std::uint64_t dead_peer_verdicts = 0;
    // Make-before-break (Link::begin_handover): second sockets that became the link's socket
    // (swapped in while the first was open, or taken over when the first ended first), and
    // second sockets released because they failed, timed out or could not be opened.
    std::uint64_t handovers = 0;
    std::uint64_t handover_failures = 0;

    double ms_in(LinkState state) const { return ms_in_state[static_cast<std::size_t>(state)]; }
};

}  // namespace vigil::core
