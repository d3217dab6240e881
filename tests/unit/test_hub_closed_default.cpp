// The hub is closed by default: only the page's own origin, a cap per address, stats behind the
// token, secrets compared in constant time.
#include "hub/admission.h"

#include <doctest/doctest.h>

using namespace vigil::hub;

namespace {
UpgradeRequest upgrade(std::string_view origin, std::string_view host, int address_clients = 0) {
    return UpgradeRequest{"/ws", origin, "", 0, host, address_clients};
}
}  // namespace

TEST_CASE("by default only the page's own origin is admitted; a foreign one is 4403; no Origin (not a browser) is admitted") {
    AdmissionPolicy p;  // no --allow-origin
    CHECK(admit(p, upgrade("http://127.0.0.1:8080", "127.0.0.1:8080")).close_code == 0);
    CHECK(admit(p, upgrade("", "127.0.0.1:8080")).close_code == 0);
    auto foreign = admit(p, upgrade("http://evil.example", "127.0.0.1:8080"));
    CHECK(foreign.close_code == 4403);
    CHECK(foreign.outcome == "bad_origin");
    CHECK(admit(p, upgrade("http://127.0.0.1:9999", "127.0.0.1:8080")).close_code == 4403);  // another port
    CHECK(admit(p, upgrade("null", "127.0.0.1:8080")).close_code == 4403);                   // file:// pages
}

TEST_CASE("--allow-origin '*' admits any origin; a list admits exactly its members") {
    AdmissionPolicy any;
    any.allow_origins = {"*"};
    CHECK(admit(any, upgrade("http://elsewhere.example", "127.0.0.1:8080")).close_code == 0);
    AdmissionPolicy listed;
    listed.allow_origins = {"http://screens.example"};
    CHECK(admit(listed, upgrade("http://screens.example", "hub.internal:8081")).close_code == 0);
    CHECK(admit(listed, upgrade("http://127.0.0.1:8080", "127.0.0.1:8080")).close_code == 4403);
}

TEST_CASE("same origin compares host case-insensitively and ports with the scheme's default") {
    CHECK(same_origin("http://Screen.Local", "screen.local:80"));
    CHECK(same_origin("https://screen.local", "screen.local"));
    CHECK(same_origin("https://screen.local:443", "SCREEN.local"));
    CHECK(same_origin("http://[::1]:8080", "[::1]:8080"));
    CHECK_FALSE(same_origin("http://screen.local", "screen.local:8080"));
    CHECK_FALSE(same_origin("http://screen.local:8080", "screen.local"));  // a proxy's $host drops the port
    CHECK_FALSE(same_origin("ftp://screen.local", "screen.local"));
    CHECK_FALSE(same_origin("http://screen.local.evil.example", "screen.local"));
    CHECK_FALSE(same_origin("http://screen.local/x", "screen.local"));
    CHECK_FALSE(same_origin("http://screen.local", ""));
}

TEST_CASE("beyond --max-clients-per-address sockets from one address, the next is closed 1013 with the hint") {
    AdmissionPolicy p;
    p.max_clients_per_address = 2;
    p.retry_hint_ms = 1500;
    CHECK(admit(p, upgrade("", "h", 1)).close_code == 0);
    auto full = admit(p, upgrade("", "h", 2));
    CHECK(full.close_code == 1013);
    CHECK(full.close_reason == "retry_ms=1500");
    CHECK(full.outcome == "address_full");
}

TEST_CASE("with a token, stats need it (or the stats token) as a bearer header or ?token=") {
    CHECK(stats_authorized("", "", "/healthz", ""));  // no token: open, as before
    CHECK_FALSE(stats_authorized("main", "", "/healthz", ""));
    CHECK(stats_authorized("main", "", "/healthz", "Bearer main"));
    CHECK(stats_authorized("main", "", "/healthz?token=main", ""));
    CHECK(stats_authorized("main", "ro", "/metrics", "bearer ro"));
    CHECK(stats_authorized("main", "ro", "/metrics?token=ro", ""));
    CHECK_FALSE(stats_authorized("main", "ro", "/metrics", "Bearer guess"));
    CHECK_FALSE(stats_authorized("main", "", "/metrics", "Bearer "));
    CHECK_FALSE(stats_authorized("main", "", "/metrics", "Basic bWFpbg=="));
    CHECK_FALSE(stats_authorized("main", "", "/metrics?token=mai", ""));
}

TEST_CASE("secrets match only when equal, whatever the lengths") {
    CHECK(same_secret("s3cret", "s3cret"));
    CHECK_FALSE(same_secret("s3cre", "s3cret"));
    CHECK_FALSE(same_secret("s3crett", "s3cret"));
    CHECK_FALSE(same_secret("s3cres3cret", "s3cret"));
    CHECK_FALSE(same_secret("", "s3cret"));
    CHECK_FALSE(same_secret("", ""));  // an empty secret guards nothing and matches nothing
}
