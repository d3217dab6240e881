// The security headers the hub puts on every response (static files, stats, errors, the
// WebSocket handshake). The policy is the page's own: web/index.html carries the same string in
// a <meta http-equiv="Content-Security-Policy"> (an integration test compares them).
#pragma once

namespace vigil::hub {

// 'wasm-unsafe-eval': compiling the page's .wasm; ws:/wss:: the hub may be elsewhere (?ws=).
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'";
inline constexpr const char* kReferrerPolicy = "no-referrer";  // the URL may carry ?token=
inline constexpr const char* kContentTypeOptions = "nosniff";

// Sets the three on any Beast message with set(name, value).
template <class Message>
void set_security_headers(Message& m) {
    m.set("Content-Security-Policy", kContentSecurityPolicy);
    m.set("Referrer-Policy", kReferrerPolicy);
    m.set("X-Content-Type-Options", kContentTypeOptions);
}

}  // namespace vigil::hub
