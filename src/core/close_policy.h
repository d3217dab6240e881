// Close-code policy: what the link does after a socket ends with a given code, and the hub's retry hint.
// Pure functions; the table below is the contract with the hub (see src/protocol/PROTOCOL.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::core {

//  code              | meaning                                     | link's answer
//  ------------------+---------------------------------------------+----------------------------------------------
//  1012              | service restart (hub shutting down)         | Maintenance: retry at hint + jittered spread
//  1013              | try again later (connection cap)            | Maintenance: retry at hint + jittered spread
//  1008, 4401, 4403  | policy / bad token / origin or Host refused | Unauthorized: no fast retries, probe slowly
//  anything else     | 1000, 1001, 1006, 1009, 1011, 4000, 4008…   | WaitingToRetry: backoff (backoff.h)
//
// The hint is the hub's "retry_ms=<n>" in the close reason; failing that, the one the app passed to
// Link::set_retry_hint() after parsing a `shutdown` message; failing that, LinkConfig::default_retry_hint_ms.
// Maintenance waits uniformly in [hint, hint + max(1000, hint / 2)] so screens do not return together.
namespace close_code {
inline constexpr int normal = 1000;
inline constexpr int going_away = 1001;
inline constexpr int abnormal = 1006;  // no close frame; what a browser reports after a socket error
inline constexpr int policy_violation = 1008;
inline constexpr int service_restart = 1012;
inline constexpr int try_again_later = 1013;
inline constexpr int dead_peer = 4000;        // page-side: no inbound message for dead_after_ms
inline constexpr int connect_timeout = 4001;  // page-side: handshake not done by connect_timeout_ms
inline constexpr int bad_token = 4401;
inline constexpr int origin_not_allowed = 4403;
}  // namespace close_code

// Codes a page may pass to WebSocket.close(): 1000 or 3000-4999. Anything else (1001, 1006, 1012...)
// makes the browser throw InvalidAccessError, which emscripten_websocket_close does not catch.
// The link therefore never closes with 1001, even on pagehide: it uses 1000 "going away".
constexpr bool page_may_send_close_code(int code) { return code == 1000 || (code >= 3000 && code <= 4999); }

enum class CloseAction { Backoff, Maintenance, Unauthorized };

CloseAction classify_close(int code);

// The longest wait a hint may ask for; a larger or garbled hint must not park screens for days.
inline constexpr double kMaxRetryHintMs = 10 * 60 * 1000;

// "retry_ms=1500" anywhere in the reason (e.g. "restart; retry_ms=1500"), clamped to [0, 10 min].
std::optional<double> parse_retry_hint(std::string_view reason);

// Milliseconds to wait in Maintenance for a hint and one uniform draw in [0, 1).
double maintenance_delay_ms(double hint_ms, double u01);

// "reconnect=now" in a 1012 reason: another hub serves the same stream (--nats), so the page
// reconnects at once, spread over kReconnectNowSpreadMs only, not over the Maintenance wait.
inline constexpr double kReconnectNowSpreadMs = 250;
bool asks_reconnect_now(std::string_view reason);

// Make-before-break (`shutdown` with handover_ms, Link::begin_handover): the page waits a uniform
// draw in [0, kHandoverSpreadMs] (at most a quarter of the window) before it opens its second
// socket, so a hub's hundred screens do not reach the next hub at the same instant. The first
// socket stays live meanwhile, so a late timer costs nothing on screen.
inline constexpr double kHandoverSpreadMs = 250;

// A human line for the status bar: "1012 service restart: retry_ms=1500".
std::string describe_close(int code, std::string_view reason);

}  // namespace vigil::core
