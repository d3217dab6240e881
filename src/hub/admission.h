// Whether a WebSocket upgrade may stay open: token, Origin and connection cap. Refusals are
// still ACCEPTED and then closed with a code (4401, 4403, 1013), because a browser never sees
// the status of a refused HTTP upgrade, only a bare 1006; the close code tells the page why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub {

struct AdmissionPolicy {
    std::string token;                       // empty: none required
    std::vector<std::string> allow_origins;  // empty: any Origin
    int max_clients = 64;
    int retry_hint_ms = 1500;
};

struct UpgradeRequest {
    std::string_view target;                 // "/ws?token=abc"
    std::string_view origin;                 // Origin header ("" when absent: not a browser)
    std::string_view subprotocols;           // Sec-WebSocket-Protocol header, comma-separated
    int clients_now = 0;                     // open WebSocket sessions before this one
};

struct Admission {
    int close_code = 0;        // 0: admitted
    std::string close_reason;  // "bad token", "origin not allowed", "retry_ms=1500"
    std::string outcome;       // for the connect log: accepted, bad_token, bad_origin, full
    std::string subprotocol;   // to echo in the handshake response ("" for none)
};

// The subprotocol to echo: the offered vigil.token.* one, else the first offered. A browser
// fails the handshake when it offered subprotocols and the answer names none of them.
std::string chosen_subprotocol(std::string_view header);

Admission admit(const AdmissionPolicy& policy, const UpgradeRequest& request);

}  // namespace vigil::hub
