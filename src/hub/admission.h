// Whether a WebSocket upgrade may stay open: token, Host, Origin, connection caps (total and per
// address); whether any request names an allowed Host; and whether a stats request carries a token. Refusals are
// still ACCEPTED and then closed with a code (4401, 4403, 1013), because a browser never sees
// the status of a refused HTTP upgrade, only a bare 1006; the close code tells the page why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub {

struct AdmissionPolicy {
    std::string token;                       // empty: none required
    // Empty: the page's own origin only (Origin's host:port == Host), or no Origin at all (not a
    // browser). "*": any. Otherwise exactly the listed origins.
    std::vector<std::string> allow_origins;
    // Empty: any Host. Otherwise the names of host_allowed() (against DNS rebinding).
    std::vector<std::string> allow_hosts;
    int max_clients = 64;
    int max_clients_per_address = 16;
    int retry_hint_ms = 1500;
};

struct UpgradeRequest {
    std::string_view target;                 // "/ws?token=abc"
    std::string_view origin;                 // Origin header ("" when absent: not a browser)
    std::string_view subprotocols;           // Sec-WebSocket-Protocol header, comma-separated
    int clients_now = 0;                     // open WebSocket sessions before this one
    std::string_view host;                   // Host header, for the same-origin default
    int address_clients_now = 0;             // open sessions from this peer's address
};

struct Admission {
    int close_code = 0;        // 0: admitted
    std::string close_reason;  // "bad token", "host not allowed", "origin not allowed", "retry_ms=1500"
    std::string outcome;       // for the connect log: accepted, bad_token, bad_host, bad_origin, full
    std::string subprotocol;   // to echo in the handshake response ("" for none)
};

// The subprotocol to echo: the offered vigil.token.* one, else the first offered. A browser
// fails the handshake when it offered subprotocols and the answer names none of them.
std::string chosen_subprotocol(std::string_view header);

Admission admit(const AdmissionPolicy& policy, const UpgradeRequest& request);

// Same origin: the Origin's scheme is http/https (ws/wss accepted as the same), its host equals
// the Host header's (case-insensitive) and so do the ports (a missing port is the scheme's default).
bool same_origin(std::string_view origin, std::string_view host);

// --allow-host: with an empty list (or "*" in it) any Host. Otherwise the request's Host (its name,
// the port ignored, case and a trailing dot too) must be a listed name, or end with a listed
// ".domain" (which also matches the bare domain); an IP address (v4, or v6 in brackets) and
// `localhost` always pass, since a DNS rebinding needs a name the attacker controls. No Host at
// all (HTTP/1.0, native clients) passes, as no Origin does: a browser always sends one.
bool host_allowed(const std::vector<std::string>& allow_hosts, std::string_view host);

// Compares without an early exit and without stopping at the shorter string, so the time taken
// tells neither how much of a guess was right nor (beyond a length difference) much else.
bool same_secret(std::string_view presented, std::string_view secret);

// A stats request (/healthz, /stats/connects, /metrics) when the hub has a token: it must carry
// `Authorization: Bearer <T>` or `?token=<T>` with T the token or the stats token.
bool stats_authorized(std::string_view token, std::string_view stats_token, std::string_view target,
                      std::string_view authorization);

}  // namespace vigil::hub
