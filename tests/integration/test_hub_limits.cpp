// The hub's limits: a slow client is dropped (4008) while a fast one keeps receiving; an oversize
// message closes 1009; a wrong token 4401, a foreign Origin 4403, a full hub 1013 with the hint.
#include "hub_fixture.h"

using namespace vigil::itest;

TEST_CASE("a slow client is dropped with 4008 while a fast client keeps receiving every frame") {
    HubFixture f;
    // Big frames, fast ticks, a short queue and small socket buffers: a reader that stops
    // reading fills everything within a second or two. The queue still holds ~0.6 s of frames,
    // so a fast reader on a loaded machine is not mistaken for a slow one.
    auto& hub = f.start({"--simulate", "60", "--interval-ms", "20", "--send-queue-frames", "32",
                         "--socket-send-buffer", "8192"});
    WsTestClient fast, slow;
    REQUIRE(fast.connect(hub.port()));
    REQUIRE(slow.connect(hub.port(), slow_reader(4096)));
    REQUIRE(fast.send_json(hello("c-fast")));
    REQUIRE(slow.send_json(hello("c-slow")));  // ...and never reads again, until the drop

    std::uint64_t last = 0;
    int frames = 0, holes = 0;
    auto read_fast = [&] {
        auto m = fast.read_json(2s);
        if (m.is_null() || m["type"] != "samples") return;
        auto seq = m["seq"].get<std::uint64_t>();
        if (last && seq != last + 1) ++holes;
        last = seq;
        ++frames;
    };
    bool dropped = false;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!dropped && std::chrono::steady_clock::now() < deadline) {
        read_fast();
        if (frames % 10 == 0) dropped = healthz(hub.port())["dropped_clients"] == 1;
    }
    REQUIRE(dropped);
    const int frames_at_drop = frames;
    for (int i = 0; i < 25; ++i) read_fast();
    CHECK(frames >= frames_at_drop + 25);
    CHECK(holes == 0);
    CHECK(!fast.closed());

    // The slow client, reading at last, finds the close code behind what was already buffered.
    REQUIRE(slow.read_until_closed(10s));
    CHECK(slow.close_code() == 4008);
    CHECK(eventually([&] { return healthz(hub.port())["clients"] == 1; }, 5s));
    CHECK(healthz(hub.port())["dropped_clients"] == 1);  // the fast one never was
}

TEST_CASE("a message above --max-message-bytes closes the connection with 1009") {
    HubFixture f;
    auto& hub = f.start({"--max-message-bytes", "1024"});
    WsTestClient c;
    REQUIRE(c.connect(hub.port()));
    REQUIRE(c.send_json(hello("c-big")));
    REQUIRE(!read_until_type(c, "welcome").is_null());
    c.send(R"({"type":"ping","t":1,"pad":")" + std::string(4096, 'x') + "\"}");
    REQUIRE(c.read_until_closed(5s));
    CHECK_MESSAGE(c.close_code() == 1009, c.close_reason());
    CHECK(eventually([&] { return healthz(hub.port())["rejected_by_kind"]["too_big"] == 1; }, 5s));
}

TEST_CASE("with --token, a wrong token is accepted then closed 4401 'bad token'; the right one works either way") {
    HubFixture f;
    auto& hub = f.start({"--token", "s3cret"});
    WsTestClient wrong;
    REQUIRE(wrong.connect(hub.port(), at_target("/ws?token=guess")));  // the handshake succeeds...
    REQUIRE(wrong.read_until_closed(5s));                       // ...so the browser sees the code
    CHECK(wrong.close_code() == 4401);
    CHECK(wrong.close_reason() == "bad token");

    WsTestClient none;
    REQUIRE(none.connect(hub.port()));
    REQUIRE(none.read_until_closed(5s));
    CHECK(none.close_code() == 4401);

    WsTestClient query;
    REQUIRE(query.connect(hub.port(), at_target("/ws?token=s3cret")));
    REQUIRE(query.send_json(hello("c-q")));
    CHECK(!read_until_type(query, "welcome").is_null());

    WsTestClient sub;
    REQUIRE(sub.connect(hub.port(), with_subprotocol("vigil.token.s3cret")));
    CHECK(sub.subprotocol() == "vigil.token.s3cret");
    REQUIRE(sub.send_json(hello("c-s")));
    CHECK(!read_until_type(sub, "welcome").is_null());

    // With --token the stats need it too.
    auto connects = nlohmann::json::parse(http_get(hub.port(), "/stats/connects?token=s3cret").body);
    CHECK(connects["connects"][0]["outcome"] == "bad_token");
    CHECK(connects["connects"][3]["outcome"] == "accepted");
}

TEST_CASE("with --allow-origin, another Origin is accepted then closed 4403 'origin not allowed'") {
    HubFixture f;
    auto& hub = f.start({"--allow-origin", "http://screen.example", "--allow-origin", "http://localhost:8080"});
    WsTestClient evil;
    REQUIRE(evil.connect(hub.port(), with_origin("http://evil.example")));
    REQUIRE(evil.read_until_closed(5s));
    CHECK(evil.close_code() == 4403);
    CHECK(evil.close_reason() == "origin not allowed");

    WsTestClient good;
    REQUIRE(good.connect(hub.port(), with_origin("http://localhost:8080")));
    REQUIRE(good.send_json(hello("c-o")));
    CHECK(!read_until_type(good, "welcome").is_null());
}

TEST_CASE("beyond --max-clients a connection is closed 1013 with the retry hint") {
    HubFixture f;
    auto& hub = f.start({"--max-clients", "1", "--retry-hint-ms", "2500"});
    WsTestClient first, second;
    REQUIRE(first.connect(hub.port()));
    REQUIRE(first.send_json(hello("c-1")));
    REQUIRE(!read_until_type(first, "welcome").is_null());
    REQUIRE(second.connect(hub.port()));
    REQUIRE(second.read_until_closed(5s));
    CHECK(second.close_code() == 1013);
    CHECK(second.close_reason() == "retry_ms=2500");
    CHECK(!first.closed());
}
