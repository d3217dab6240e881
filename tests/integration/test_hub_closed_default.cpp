// Closed by default: only the page's own origin may open the WebSocket, a socket that never says
// hello is closed 4002, one address cannot fill the hub, stats need the token, every response
// carries the security headers, and no token ever reaches the log.
#include "hub_fixture.h"

#include <fstream>
#include <regex>

using namespace vigil::itest;

namespace {
// The hub's policy, as the lead fixed it; web/index.html carries the same string in a <meta>.
const std::string kExpectedCsp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Connects, says hello and waits for the welcome; false when closed (code in c) or no welcome.
bool admitted(WsTestClient& c, int port, const ConnectOptions& o) {
    if (!c.connect(port, o)) return false;
    if (!c.send_json(hello("c-" + std::to_string(reinterpret_cast<std::uintptr_t>(&c))))) return false;
    return !read_until_type(c, "welcome").is_null();
}
}  // namespace

TEST_CASE("by default the page's own origin is admitted, a foreign one closed 4403, a native client (no Origin) admitted") {
    HubFixture f;
    auto& hub = f.start();
    const std::string own = "http://127.0.0.1:" + std::to_string(hub.port());
    WsTestClient same, evil, other_port, native;
    CHECK(admitted(same, hub.port(), with_origin(own)));
    CHECK_FALSE(admitted(evil, hub.port(), with_origin("http://evil.example")));
    REQUIRE(evil.read_until_closed(5s));
    CHECK(evil.close_code() == 4403);
    CHECK(evil.close_reason() == "origin not allowed");
    CHECK_FALSE(admitted(other_port, hub.port(), with_origin("http://127.0.0.1:1")));
    REQUIRE(other_port.read_until_closed(5s));
    CHECK(other_port.close_code() == 4403);
    CHECK(admitted(native, hub.port(), {}));
    CHECK(healthz(hub.port())["refused_clients"] == 2);
}

TEST_CASE("a page served elsewhere needs --allow-origin: its origin, or '*' for any") {
    HubFixture f;
    auto& hub = f.start({"--allow-origin", "http://screens.example"});
    WsTestClient listed, own;
    CHECK(admitted(listed, hub.port(), with_origin("http://screens.example")));
    // With a list, only the list: the hub's own origin is not implied.
    CHECK_FALSE(admitted(own, hub.port(), with_origin("http://127.0.0.1:" + std::to_string(hub.port()))));
    f.start({"--allow-origin", "*"});
    WsTestClient any;
    CHECK(admitted(any, f.hub->port(), with_origin("http://evil.example")));
}

TEST_CASE("--allow-host: a request naming another Host (DNS rebinding) is refused 421, an upgrade 4403; addresses pass") {
    HubFixture f;
    auto& hub = f.start({"--allow-host", "wall.example"});
    const std::string port = std::to_string(hub.port());
    auto with_host = [&](const std::string& path, const std::string& host) {
        return http_get_with(hub.port(), path, {{"Host", host}});
    };
    for (const char* path : {"/", "/index.html", "/healthz", "/metrics", "/missing.txt"}) {
        CAPTURE(path);
        auto refused = with_host(path, "evil.example:" + port);
        CHECK(refused.status == 421);
        CHECK(refused.body == "host not allowed (--allow-host)\n");
        CHECK(refused.header("content-security-policy") != "");
        CHECK(with_host(path, "WALL.example:" + port).status != 421);
        CHECK(with_host(path, "127.0.0.1:" + port).status != 421);
    }
    CHECK(with_host("/index.html", "wall.example:" + port).status == 200);
    // A push from a rebound page: refused before its body is read.
    auto push = http_raw(hub.port(), "POST /ingest HTTP/1.1\r\nHost: evil.example:" + port +
                                         "\r\nContent-Type: text/plain\r\nContent-Length: 30\r\n\r\ncpu,host=x usage_idle=50 1\n");
    CHECK(push.status == 421);
    // Only an upgrade the WebSocket takes (on /ws or /) is left to admit(); one on a file is refused.
    auto upgrade_file = http_raw(hub.port(), "GET /index.html HTTP/1.1\r\nHost: evil.example:" + port +
                                                 "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                                                 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    CHECK(upgrade_file.status == 421);
    // The attacker's page is same-origin with the Host it names: the Origin rule alone admits it.
    ConnectOptions rebound = with_origin("http://evil.example:" + port);
    rebound.host = "evil.example:" + port;
    WsTestClient evil, wall;
    CHECK_FALSE(admitted(evil, hub.port(), rebound));
    REQUIRE(evil.read_until_closed(5s));
    CHECK(evil.close_code() == 4403);
    CHECK(evil.close_reason() == "host not allowed");
    ConnectOptions own = with_origin("http://wall.example:" + port);
    own.host = "wall.example:" + port;
    CHECK(admitted(wall, hub.port(), own));
    auto h = healthz(hub.port());
    CHECK(h["refused_hosts"] == 7);  // the five GETs, the push, the upgrade on a file; /ws's is a refused client
    CHECK(h["refused_clients"] == 1);
    auto m = http_get(hub.port(), "/metrics").body;
    CHECK(m.find("vigil_hub_refused_hosts_total 7") != std::string::npos);
    CHECK(m.find("vigil_hub_connects_total{outcome=\"bad_host\"} 1") != std::string::npos);
}

TEST_CASE("without --allow-host any Host is served, as before the flag") {
    HubFixture f;
    auto& hub = f.start();
    CHECK(http_get_with(hub.port(), "/index.html", {{"Host", "evil.example"}}).status == 200);
}

TEST_CASE("a socket that never says hello is closed 4002 'hello timeout', and idle sockets no longer lock screens out") {
    HubFixture f;
    auto& hub = f.start({"--hello-timeout-ms", "400", "--max-clients", "2"});
    WsTestClient idle1, idle2;
    REQUIRE(idle1.connect(hub.port()));
    REQUIRE(idle2.connect(hub.port()));  // the hub is full now...
    REQUIRE(idle1.read_until_closed(5s));
    REQUIRE(idle2.read_until_closed(5s));
    CHECK(idle1.close_code() == 4002);
    CHECK(idle1.close_reason() == "hello timeout");
    CHECK(idle2.close_code() == 4002);
    WsTestClient screen;  // ...until the deadline frees it: a screen gets in
    CHECK(admitted(screen, hub.port(), {}));
    auto h = healthz(hub.port());
    CHECK(h["hello_timeouts"] == 2);
    CHECK(h["clients"] == 1);
    // A socket that said hello in time is not closed by the deadline.
    REQUIRE(!read_until_type(screen, "live").is_null());
    CHECK(!read_until_type(screen, "samples", std::chrono::milliseconds(2000)).is_null());
    CHECK_FALSE(screen.closed());
}

TEST_CASE("beyond --max-clients-per-address, the next socket from that address is closed 1013 with the hint") {
    HubFixture f;
    auto& hub = f.start({"--max-clients-per-address", "2", "--retry-hint-ms", "2500"});
    WsTestClient a, b, c;
    CHECK(admitted(a, hub.port(), {}));
    CHECK(admitted(b, hub.port(), {}));
    CHECK_FALSE(admitted(c, hub.port(), {}));
    REQUIRE(c.read_until_closed(5s));
    CHECK(c.close_code() == 1013);
    CHECK(c.close_reason() == "retry_ms=2500");
    auto connects = nlohmann::json::parse(http_get(hub.port(), "/stats/connects").body);
    CHECK(connects["connects"][2]["outcome"] == "address_full");
    CHECK_FALSE(a.closed());
}

TEST_CASE("with --token, stats need the token or the stats token (bearer or ?token=), else 401; no token is logged") {
    HubFixture f;
    const std::string log = f.dir.path() + "/hub.log";
    SpawnOptions spawn;
    spawn.stderr_path = log;
    auto& hub = f.start({"--token", "s3cret-main", "--stats-token", "r3ad-only"}, spawn);
    for (const char* path : {"/healthz", "/stats/connects", "/metrics"}) {
        CAPTURE(path);
        CHECK(http_get(hub.port(), path).status == 401);
        CHECK(http_get_with(hub.port(), path, {{"Authorization", "Bearer guess"}}).status == 401);
        CHECK(http_get_with(hub.port(), path, {{"Authorization", "Bearer s3cret-main"}}).status == 200);
        CHECK(http_get_with(hub.port(), path, {{"Authorization", "Bearer r3ad-only"}}).status == 200);
        CHECK(http_get(hub.port(), std::string(path) + "?token=r3ad-only").status == 200);
        CHECK(http_get(hub.port(), std::string(path) + "?token=r3ad-onl").status == 401);
    }
    CHECK(http_get(hub.port(), "/healthz").header("www-authenticate") == "Bearer");
    CHECK(http_get(hub.port(), "/index.html").status == 200);  // the page itself stays public
    // The stats token reads; it does not open the WebSocket.
    WsTestClient reader;
    REQUIRE(reader.connect(hub.port(), at_target("/ws?token=r3ad-only")));
    REQUIRE(reader.read_until_closed(5s));
    CHECK(reader.close_code() == 4401);
    hub.terminate();
    REQUIRE(hub.wait_exit(5s).has_value());
    const auto text = slurp(log);
    CHECK(text.find("journal") != std::string::npos);  // the log was captured: the start-up line is there
    CHECK(text.find("s3cret-main") == std::string::npos);
    CHECK(text.find("r3ad-only") == std::string::npos);
}

TEST_CASE("every response carries the CSP (the page's own, from its <meta>), Referrer-Policy: no-referrer and nosniff") {
    HubFixture f;
    // The real page's index.html, served by the hub: its <meta> policy and the header must agree.
    const std::string index = slurp(std::string(VIGIL_SOURCE_DIR) + "/web/index.html");
    REQUIRE_FALSE(index.empty());
    std::ofstream(f.site + "/index.html", std::ios::trunc) << index;
    auto& hub = f.start();
    auto page = http_get(hub.port(), "/index.html");
    REQUIRE(page.status == 200);
    std::smatch m;
    const std::regex meta(R"(<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1)",
                          std::regex::icase);
    // The page carries its policy as a <meta> for static hosts; the hub's header must be the same one.
    REQUIRE(std::regex_search(page.body, m, meta));
    const std::string expected = m[2].str();  // the policy quotes with ' inside a "..." attribute
    CHECK(expected == kExpectedCsp);
    for (const char* path : {"/", "/index.html", "/app.js", "/app.wasm", "/healthz", "/metrics", "/stats/connects",
                             "/missing.txt"}) {
        CAPTURE(path);
        auto r = http_get(hub.port(), path);
        CHECK(r.status != 0);
        CHECK(r.header("content-security-policy") == expected);
        CHECK(r.header("referrer-policy") == "no-referrer");
        CHECK(r.header("x-content-type-options") == "nosniff");
    }
}
