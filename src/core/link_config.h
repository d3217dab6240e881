// Settings of one Link: where to connect and every timing of the connection policy, with the defaults we ship.
// The why of each default is next to it; backoff.h explains the backoff numbers.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/backoff.h"

namespace vigil::core {

// `{"type":"ping","t":<now_ms>}` (PROTOCOL.md); t printed with at most 3 decimals.
std::string default_ping_text(double now_ms);

struct OutboxConfig {
    std::size_t max_messages = 256;
    std::size_t max_bytes = 256 * 1024;
    // Back-pressure: while Transport::buffered_amount exceeds this, messages wait in the outbox
    // and the flush is retried every flush_retry_ms.
    std::size_t max_buffered_bytes = 64 * 1024;
    double flush_retry_ms = 100;
};

struct LinkConfig {
    std::string url;
    std::vector<std::string> protocols;

    // A handshake that hangs (dead proxy, black-holed SYN) is abandoned and retried after this.
    double connect_timeout_ms = 5000;

    BackoffConfig backoff;

    // The backoff restarts from attempt 1 only once a connection has stayed open this long, so a hub
    // that accepts then drops at once is retried at the backoff's pace, never in a tight loop.
    double stable_after_ms = 10000;

    // The hub pushes metrics every second: 2 s of silence is unusual, so ask (text ping, since pages
    // cannot send ping frames). 2 s, not 3: a quiet hub behind a proxy whose idle timeout is 3 s
    // (nginx proxy_read_timeout) must hear the page, and the hub's pong, before the proxy gives up.
    // 9 s is four missed pings' worth and stays under the 10 s budget.
    double ping_after_ms = 2000;
    double dead_after_ms = 9000;
    std::function<std::string(double now_ms)> make_ping;  // empty: default_ping_text
    // A ping text "" sends nothing (a backend with no heartbeat): dead_after still applies.

    // Vigil's hub answers every ping and pushes every second, so any inbound message proves the
    // peer alive. A backend of one's own may push on a timer of its own while its heartbeat
    // handler is stuck: false makes only Link::on_alive() (the app saw the configured reply)
    // count, and pings then go out every ping_after whatever else arrives.
    bool any_message_proves_liveness = true;

    // Unauthorized: a token or origin will not fix itself in seconds; probe once a minute (+0-25 %).
    double unauthorized_probe_ms = 60000;

    // Maintenance without any retry_ms hint from the hub.
    double default_retry_hint_ms = 1000;

    OutboxConfig outbox;
};

}  // namespace vigil::core
