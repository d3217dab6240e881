// Who may keep a WebSocket open (token, Host, Origin, cap), and the hub's bounded bookkeeping:
// per-client send queue, connection census per client id, connect log ring.
#include "hub/admission.h"
#include "hub/client_census.h"
#include "hub/connect_log.h"
#include "hub/send_queue.h"

#include <doctest/doctest.h>

using namespace vigil::hub;

TEST_CASE("without token or origin rules, everyone is admitted up to the cap, then 1013 with the hint") {
    AdmissionPolicy p;
    p.max_clients = 2;
    p.retry_hint_ms = 1500;
    CHECK(admit(p, {"/ws", "", "", 0, "", 0}).close_code == 0);
    CHECK(admit(p, {"/ws", "", "", 1, "", 0}).outcome == "accepted");
    auto full = admit(p, {"/ws", "", "", 2, "", 0});
    CHECK(full.close_code == 1013);
    CHECK(full.close_reason == "retry_ms=1500");
    CHECK(full.outcome == "full");
}

TEST_CASE("the token comes from ?token= or the vigil.token.<T> subprotocol; a wrong one is 4401") {
    AdmissionPolicy p;
    p.token = "s3cret";
    CHECK(admit(p, {"/ws?token=s3cret", "", "", 0, "", 0}).close_code == 0);
    auto sub = admit(p, {"/ws", "", "vigil.v1, vigil.token.s3cret", 0, "", 0});
    CHECK(sub.close_code == 0);
    CHECK(sub.subprotocol == "vigil.token.s3cret");  // echoed, or the browser fails the handshake
    auto wrong = admit(p, {"/ws?token=nope", "", "", 0, "", 0});
    CHECK(wrong.close_code == 4401);
    CHECK(wrong.close_reason == "bad token");
    CHECK(admit(p, {"/ws", "", "vigil.token.s3cre", 0, "", 0}).close_code == 4401);
    CHECK(admit(p, {"/ws", "", "", 0, "", 0}).close_code == 4401);
}

TEST_CASE("with allowed origins, any other Origin (or none) is 4403") {
    AdmissionPolicy p;
    p.allow_origins = {"http://screen.local:8080"};
    CHECK(admit(p, {"/ws", "http://screen.local:8080", "", 0, "", 0}).close_code == 0);
    auto bad = admit(p, {"/ws", "http://evil.example", "", 0, "", 0});
    CHECK(bad.close_code == 4403);
    CHECK(bad.close_reason == "origin not allowed");
    CHECK(admit(p, {"/ws", "", "", 0, "", 0}).close_code == 4403);
}

TEST_CASE("--allow-host: listed names and their .domain, IPs and localhost pass; other names do not") {
    const std::vector<std::string> none;
    CHECK(host_allowed(none, "evil.example:8080"));  // no list: any Host, as before the flag
    const std::vector<std::string> list = {"wall.example", ".ops.example", "Screens.Example:8080"};
    CHECK(host_allowed(list, "wall.example"));
    CHECK(host_allowed(list, "WALL.example:8080"));    // case and port do not matter
    CHECK(host_allowed(list, "wall.example.:80"));     // nor a trailing dot
    CHECK(host_allowed(list, "screens.example:9999"));  // a port given with a listed name is ignored
    CHECK(host_allowed(list, "ops.example"));
    CHECK(host_allowed(list, "hub-2.site-a.ops.example:8080"));
    CHECK_FALSE(host_allowed(list, "evil.example:8080"));
    CHECK_FALSE(host_allowed(list, "wall.example.evil.example"));
    CHECK_FALSE(host_allowed(list, "notops.example"));  // ".ops.example" is a domain boundary
    CHECK_FALSE(host_allowed(list, "wall"));
    CHECK_FALSE(host_allowed(list, ":8080"));
    // A rebinding needs a name: addresses and localhost always pass.
    CHECK(host_allowed(list, "127.0.0.1:8080"));
    CHECK(host_allowed(list, "10.1.2.3"));
    CHECK(host_allowed(list, "[::1]:8080"));
    CHECK(host_allowed(list, "localhost:8080"));
    CHECK_FALSE(host_allowed(list, "127.0.0.1.evil.example"));
    CHECK_FALSE(host_allowed(list, "[not-v6]:80"));
    CHECK(host_allowed(list, ""));  // no Host: not a browser
    CHECK(host_allowed({"*"}, "anything.example"));
}

TEST_CASE("an upgrade naming a Host not in --allow-host is 4403 'host not allowed', even from its own origin") {
    AdmissionPolicy p;
    p.allow_hosts = {"wall.example"};
    CHECK(admit(p, {"/ws", "http://wall.example:8080", "", 0, "wall.example:8080", 0}).close_code == 0);
    // DNS rebinding: the attacker's page is same-origin with the Host it names.
    auto rebound = admit(p, {"/ws", "http://evil.example:8080", "", 0, "evil.example:8080", 0});
    CHECK(rebound.close_code == 4403);
    CHECK(rebound.close_reason == "host not allowed");
    CHECK(rebound.outcome == "bad_host");
}

TEST_CASE("a subprotocol is echoed only when offered") {
    CHECK(chosen_subprotocol("") == "");
    CHECK(chosen_subprotocol(" vigil.v1 ") == "vigil.v1");
}

TEST_CASE("the send queue refuses a message that would cross its count or byte bound") {
    SendQueue q(3, 10);
    auto msg = [](std::size_t n) { return std::make_shared<const std::string>(n, 'x'); };
    CHECK(q.push(msg(4)));
    CHECK(q.push(msg(4)));
    CHECK_FALSE(q.push(msg(4)));  // 12 bytes > 10
    CHECK(q.push(msg(2)));
    CHECK_FALSE(q.push(msg(0)));  // 4 messages > 3
    CHECK(q.bytes() == 10);
    q.pop();
    CHECK(q.bytes() == 6);
    q.clear();
    CHECK(q.empty());
    CHECK(q.bytes() == 0);
}

TEST_CASE("the census keeps each client id's concurrent sockets and the highest count ever") {
    ClientCensus c;
    c.connected("a");
    c.connected("b");
    CHECK(c.max_concurrent_per_client() == 1);
    c.disconnected("a");
    c.connected("a");
    CHECK(c.max_concurrent_per_client() == 1);
    c.connected("a");  // a duplicate socket
    CHECK(c.current("a") == 2);
    CHECK(c.max_concurrent_per_client() == 2);
    c.disconnected("a");
    c.disconnected("a");
    c.disconnected("a");  // more disconnects than connects never go negative
    CHECK(c.current("a") == 0);
    CHECK(c.entries().at("a").peak == 2);
}

TEST_CASE("the census forgets idle ids beyond its bound, never ones with a socket open") {
    ClientCensus c(2);
    c.connected("open");
    c.connected("x");
    c.disconnected("x");
    c.connected("y");
    c.disconnected("y");
    c.connected("z");
    CHECK(c.entries().size() == 2);
    CHECK(c.entries().count("open") == 1);
    CHECK(c.entries().count("z") == 1);
}

TEST_CASE("the connect log is a ring: the newest attempts, oldest first, with ids and clients") {
    ConnectLog log(3);
    for (int i = 1; i <= 5; ++i) log.record(i * 100, "peer", i == 4 ? "bad_token" : "accepted");
    log.set_client(5, "c-5");
    log.set_client(1, "gone");  // fell off the ring: ignored
    auto snap = log.snapshot();
    REQUIRE(snap.size() == 3);
    CHECK(snap[0].id == 3);
    CHECK(snap[1].outcome == "bad_token");
    CHECK(snap[2].client == "c-5");
    CHECK(snap[2].unix_ms == 500);
    CHECK(log.total() == 5);
}
