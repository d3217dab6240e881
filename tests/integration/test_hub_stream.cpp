// The stream a page sees from a real hub: welcome, catalog, samples every tick with seq +1,
// pong, errors for bad messages (connection kept), the static page and the stats endpoints.
#include "hub_fixture.h"

#include "protocol/decode.h"

using namespace vigil::itest;

TEST_CASE("hello gets welcome, catalog, live, then one samples frame per tick with seq rising by one") {
    HubFixture f;
    auto& hub = f.start();
    WsTestClient c;
    std::string error;
    REQUIRE_MESSAGE(c.connect(hub.port(), {}, &error), error);
    auto h = hello("c-stream");
    h["history_s"] = 0;
    REQUIRE(c.send_json(h));

    auto welcome = c.read_json();
    REQUIRE(welcome.value("type", "") == "welcome");
    CHECK(welcome["v"] == 1);
    CHECK(welcome["interval_ms"] == 50);
    CHECK(welcome["epoch"].get<std::string>().size() > 0);

    auto catalog_text = c.read();
    REQUIRE(catalog_text);
    auto catalog = vigil::protocol::decode_hub_message(*catalog_text);
    REQUIRE(std::holds_alternative<vigil::protocol::Catalog>(catalog));
    auto& hosts = std::get<vigil::protocol::Catalog>(catalog).hosts;
    REQUIRE(hosts.size() == 5);  // local + 4 simulated
    CHECK(hosts[0].id == "local");
    CHECK(hosts[0].metrics[0].key == "cpu");
    CHECK(hosts[0].metrics[0].unit == "%");
    CHECK(hosts[0].metrics[0].crit.has_value());

    auto live = read_until_type(c, "live");
    REQUIRE(!live.is_null());
    std::uint64_t expect = live["head"].get<std::uint64_t>() + 1;
    for (int i = 0; i < 10; ++i) {
        auto text = c.read();
        REQUIRE(text);
        auto m = vigil::protocol::decode_hub_message(*text);  // the hub's frames pass the page's decoder
        REQUIRE(std::holds_alternative<vigil::protocol::Samples>(m));
        auto& s = std::get<vigil::protocol::Samples>(m);
        CHECK(s.seq == expect++);
        CHECK(s.hosts.size() >= 4);  // the silent host may be absent
        CHECK(s.hosts[0].host == "local");
    }
}

TEST_CASE("ping is answered with pong echoing t; a bad message gets an error and the connection stays") {
    HubFixture f;
    auto& hub = f.start();
    WsTestClient c;
    REQUIRE(c.connect(hub.port()));
    REQUIRE(c.send("{not json"));
    REQUIRE(c.send(R"({"type":"launch_missiles"})"));
    REQUIRE(c.send(R"({"type":"ping","t":1234.5})"));
    auto e1 = read_until_type(c, "error");
    CHECK(e1["code"] == "bad_json");
    auto e2 = read_until_type(c, "error");
    CHECK(e2["code"] == "bad_type");
    auto pong = read_until_type(c, "pong");
    CHECK(pong["t"] == 1234.5);
    CHECK(pong["hub_t"].get<std::int64_t>() > 0);
    CHECK(c.send_json(hello("c-after-errors")));
    CHECK(!read_until_type(c, "welcome").is_null());
    auto health = healthz(hub.port());
    CHECK(health["rejected_messages"] == 2);
    CHECK(health["rejected_by_kind"]["bad_json"] == 1);
}

TEST_CASE("/healthz counts clients per client id; /stats/connects lists the upgrades") {
    HubFixture f;
    auto& hub = f.start();
    WsTestClient a, b;
    REQUIRE(a.connect(hub.port()));
    REQUIRE(b.connect(hub.port(), at_target("/")));  // the upgrade is accepted on / too
    REQUIRE(a.send_json(hello("c-one")));
    REQUIRE(b.send_json(hello("c-two")));
    REQUIRE(!read_until_type(a, "live").is_null());
    REQUIRE(!read_until_type(b, "live").is_null());
    REQUIRE(!read_until_type(a, "samples").is_null());
    auto h = healthz(f.hub->port());
    CHECK(h["clients"] == 2);
    CHECK(h["per_client"]["c-one"]["current"] == 1);
    CHECK(h["max_concurrent_per_client"] == 1);
    CHECK(h["frames"].get<int>() >= 1);
    CHECK(h["head"].get<int>() >= 1);
    for (auto key : {"epoch", "oldest", "uptime_s", "replayed_frames", "dropped_clients"}) CHECK(h.contains(key));

    WsTestClient dup;  // the same page id twice at once is what the herd tests look for
    REQUIRE(dup.connect(hub.port()));
    REQUIRE(dup.send_json(hello("c-one")));
    REQUIRE(!read_until_type(dup, "welcome").is_null());
    CHECK(eventually([&] { return healthz(hub.port())["max_concurrent_per_client"] == 2; }, 5s));

    auto r = http_get(hub.port(), "/stats/connects");
    REQUIRE(r.status == 200);
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["total"] == 3);
    REQUIRE(j["connects"].size() == 3);
    CHECK(j["connects"][0]["outcome"] == "accepted");
    CHECK(j["connects"][0]["t"].get<std::int64_t>() > 0);
    CHECK(j["connects"][0]["client"] == "c-one");
}

TEST_CASE("the static page is served with MIME types and cache policy, nothing outside the root") {
    HubFixture f;
    auto& hub = f.start();
    auto index = http_get(hub.port(), "/");
    CHECK(index.status == 200);
    CHECK(index.content_type.rfind("text/html", 0) == 0);
    CHECK(index.cache_control == "no-cache");
    CHECK(index.body.find("Vigil") != std::string::npos);
    auto wasm = http_get(hub.port(), "/app.wasm");
    CHECK(wasm.content_type == "application/wasm");
    CHECK(wasm.body.size() == 8);
    CHECK(http_get(hub.port(), "/app.js").cache_control == "public, max-age=60");
    CHECK(http_get(hub.port(), "/config.json").cache_control == "no-cache");
    CHECK(http_get(hub.port(), "/app.wasm", 5s, true).status == 200);
    CHECK(http_get(hub.port(), "/missing.js").status == 404);
    CHECK(http_get(hub.port(), "/../../etc/passwd").status == 404);
    CHECK(http_get(hub.port(), "/%2e%2e/%2e%2e/etc/passwd").status == 404);
}
