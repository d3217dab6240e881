// Heartbeat: exact ping and dead-peer timing, decisions from the clock under throttled timers,
// bulk bursts, visibility checks, and RTT from pongs.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/close_policy.h"
#include "core/heartbeat_monitor.h"
#include "fakes/link_harness.h"

using namespace vigil::core;
using namespace vigil::core::testing;

// These tests pin the heartbeat's arithmetic at explicit round numbers (ping after 3 s, dead
// after 9 s); the shipped defaults are checked on their own below.
inline LinkConfig heartbeat_config() {
    LinkConfig config = test_config();
    config.ping_after_ms = 3000;
    config.dead_after_ms = 9000;
    return config;
}

TEST_CASE("by default a quiet link pings within 2 s, before a 3 s proxy idle timeout, and is dead within 10 s") {
    const LinkConfig defaults;
    CHECK(defaults.ping_after_ms <= 2000);
    CHECK(defaults.dead_after_ms <= 10000);
    CHECK(defaults.dead_after_ms > defaults.ping_after_ms);
}

TEST_CASE("the heartbeat monitor pings every ping_after of silence and calls the peer dead at dead_after") {
    HeartbeatMonitor m(3000, 9000);
    m.restart(0);
    CHECK(m.next_check_at() == 3000);
    CHECK(m.check(2999) == HeartbeatMonitor::Verdict::Quiet);
    CHECK(m.check(3000) == HeartbeatMonitor::Verdict::SendPing);
    m.sent_ping(3000);
    CHECK(m.next_check_at() == 6000);
    CHECK(m.check(5999) == HeartbeatMonitor::Verdict::Quiet);
    m.sent_ping(6000);
    CHECK(m.next_check_at() == 9000);
    CHECK(m.check(8999) == HeartbeatMonitor::Verdict::Quiet);
    CHECK(m.check(9000) == HeartbeatMonitor::Verdict::Dead);
    m.saw_inbound(8000);
    CHECK(m.check(9000) == HeartbeatMonitor::Verdict::Quiet);
    CHECK(m.silence_ms(9000) == 1000);
    m.saw_inbound(7000);  // an out-of-order timestamp never moves liveness backwards
    CHECK(m.silence_ms(9000) == 1000);
}

TEST_CASE("the default ping is the protocol's JSON with the monotonic time") {
    CHECK(default_ping_text(123456.7) == R"({"type":"ping","t":123456.7})");
    CHECK(default_ping_text(1000) == R"({"type":"ping","t":1000})");
    CHECK(default_ping_text(0.125) == R"({"type":"ping","t":0.125})");
    CHECK(default_ping_text(std::nan("")) == R"({"type":"ping","t":0})");
}

TEST_CASE("a ping is sent after ping_after of silence, not before") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    const double t0 = h.clock.now_ms();
    h.clock.advance(2999);
    CHECK(h.net.socket(id).sent.empty());
    h.clock.advance(1);
    REQUIRE(h.net.socket(id).sent.size() == 1);
    CHECK(h.net.socket(id).sent[0] == default_ping_text(t0 + 3000));
    CHECK(h.link->stats().pings_sent == 1);
}

TEST_CASE("a dead peer is declared after dead_after of silence, not before") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    h.clock.advance(8999);
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.net.socket(id).sent.size() == 2);  // pings at 3 s and 6 s
    h.clock.advance(1);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(h.link->status().reason == "dead peer: no message for 9000 ms");
    CHECK(h.net.socket(id).releases == 1);
    CHECK(h.net.socket(id).close_code == close_code::dead_peer);
    CHECK(h.net.socket(id).close_reason == "dead peer");
    CHECK(h.link->stats().dead_peer_verdicts == 1);
    CHECK(h.link->stats().closes_by_code.at(4000) == 1);
    h.clock.advance(550);
    CHECK(h.link->state() == LinkState::Connecting);  // and it reconnects
}

TEST_CASE("any inbound message proves liveness: a chatty hub is never pinged") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    for (int i = 0; i < 120; ++i) {
        h.clock.advance(1000);
        h.net.deliver(id, "{\"type\":\"samples\"}");
    }
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.link->stats().pings_sent == 0);
}

TEST_CASE("a ping answered in time keeps the link open indefinitely") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    h.net.on_send = [&](SocketId sid, std::string_view) {
        h.clock.set_timeout(40, [&, sid] {
            if (!h.net.released(sid)) h.net.deliver(sid, "pong");
        });
    };
    h.clock.advance(600000);
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.link->stats().pings_sent == 600000 / 3040);
    CHECK(h.link->stats().dead_peer_verdicts == 0);
    h.net.on_send = nullptr;
    (void)id;
}

TEST_CASE("timers firing a minute late do not declare a live connection dead while messages kept arriving") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    for (int i = 0; i < 60; ++i) {  // a background tab: the clock runs, timers are held back
        h.clock.hold_timers_for(1000);
        h.net.deliver(id, "{\"type\":\"samples\"}");
    }
    h.clock.advance_late(0);  // the overdue heartbeat check finally fires, 57 s late
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.link->stats().dead_peer_verdicts == 0);
    CHECK(h.link->stats().pings_sent == 0);
    CHECK(h.clock.next_due() == h.clock.now_ms() + 3000);  // re-armed from the last message
}

TEST_CASE("timers firing a minute late after real silence declare the peer dead at once") {
    LinkHarness h(heartbeat_config());
    h.start_open();
    h.clock.advance_late(60000);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(h.link->stats().dead_peer_verdicts == 1);
    CHECK(h.link->status().reason == "dead peer: no message for 60000 ms");
}

TEST_CASE("a burst of bulk data neither churns the heartbeat timer nor postpones the next check") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    h.clock.advance(1000);
    const auto armed = h.clock.armed_total();
    const std::string bulk(4096, 'x');
    for (int i = 0; i < 10000; ++i) h.net.deliver(id, bulk);
    CHECK(h.clock.armed_total() == armed);  // recording a message is a store, not a timer
    CHECK(h.link->stats().bytes_in == 10000u * 4096u);
    const double last = h.clock.now_ms();
    h.clock.advance(2999);
    CHECK(h.link->stats().pings_sent == 0);
    h.clock.advance(1);
    CHECK(h.link->stats().pings_sent == 1);
    CHECK(h.clock.now_ms() == last + 3000);
}

TEST_CASE("the ping goes out even while the outbox is held back by back-pressure") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    h.net.socket(id).buffered = 10 * 1024 * 1024;
    h.link->send("bulk 1");
    h.link->send("bulk 2");
    h.clock.advance(3000);
    REQUIRE(h.net.socket(id).sent.size() == 1);
    CHECK(h.net.socket(id).sent[0].find("\"ping\"") != std::string::npos);
    CHECK(h.link->stats().pings_sent == 1);
}

TEST_CASE("the ping text comes from the configured function") {
    LinkConfig config = heartbeat_config();
    config.make_ping = [](double now) { return "PING " + std::to_string(static_cast<int>(now)); };
    LinkHarness h(config);
    const SocketId id = h.start_open();
    const double t0 = h.clock.now_ms();
    h.clock.advance(3000);
    REQUIRE(h.net.socket(id).sent.size() == 1);
    CHECK(h.net.socket(id).sent[0] == "PING " + std::to_string(static_cast<int>(t0 + 3000)));
}

TEST_CASE("a ping the socket refuses is not counted and the next one waits ping_after") {
    LinkHarness h(heartbeat_config());
    const SocketId id = h.start_open();
    h.net.socket(id).accepts_sends = false;
    h.clock.advance(3000);
    CHECK(h.link->stats().pings_sent == 0);
    h.net.socket(id).accepts_sends = true;
    h.clock.advance(2999);
    CHECK(h.link->stats().pings_sent == 0);
    h.clock.advance(1);
    CHECK(h.link->stats().pings_sent == 1);
}

TEST_CASE("becoming visible checks liveness now: ping at once past ping_after, dead past dead_after") {
    SUBCASE("silent past ping_after") {
        LinkHarness h(heartbeat_config());
        const SocketId id = h.start_open();
        h.clock.hold_timers_for(4000);
        h.link->on_visible();
        CHECK(h.net.socket(id).sent.size() == 1);
        CHECK(h.link->state() == LinkState::Open);
        CHECK(h.clock.next_due() == h.clock.now_ms() + 3000);  // one heartbeat timer, re-armed
    }
    SUBCASE("silent past dead_after") {
        LinkHarness h(heartbeat_config());
        h.start_open();
        h.clock.hold_timers_for(9500);
        h.link->on_visible();
        CHECK(h.link->state() == LinkState::WaitingToRetry);
        CHECK(h.link->stats().dead_peer_verdicts == 1);
    }
    SUBCASE("not silent") {
        LinkHarness h(heartbeat_config());
        const SocketId id = h.start_open();
        h.clock.hold_timers_for(1000);
        h.link->on_visible();
        CHECK(h.net.socket(id).sent.empty());
        CHECK(h.link->state() == LinkState::Open);
    }
}

TEST_CASE("RTT is now minus the echoed time; the smoothed value follows with gain 1/8") {
    LinkHarness h(heartbeat_config());
    h.start_open();
    CHECK_FALSE(h.link->stats().rtt_last_ms);
    const double t = h.clock.now_ms();
    h.clock.advance(80);
    h.link->on_pong(t);
    CHECK(*h.link->stats().rtt_last_ms == 80);
    CHECK(*h.link->stats().rtt_smoothed_ms == 80);
    h.link->on_pong(h.clock.now_ms() - 160);
    CHECK(*h.link->stats().rtt_last_ms == 160);
    CHECK(*h.link->stats().rtt_smoothed_ms == 90);
    h.link->on_pong(h.clock.now_ms() + 5);  // from the future: not our ping
    h.link->on_pong(std::nan(""));
    CHECK(*h.link->stats().rtt_last_ms == 160);
}

TEST_CASE("a check timer firing exactly at a fractional due time acts, and never re-arms itself at zero delay") {
    // 7429.058321918016 + 2000 rounds so that (sum - start) < 2000: a verdict computed by
    // subtraction would say "quiet" when the timer armed for that sum fires, forever.
    HeartbeatMonitor m(2000, 9000);
    const double start = 7429.058321918016;
    REQUIRE((start + 2000) - start < 2000);  // the rounding this test is about
    m.restart(start);
    const double due = m.next_check_at();
    CHECK(due > start);
    CHECK(m.check(due) == HeartbeatMonitor::Verdict::SendPing);
    m.sent_ping(due);
    CHECK(m.next_check_at() > due);
    CHECK(m.check(m.next_check_at()) != HeartbeatMonitor::Verdict::Quiet);
}

// A backend of one's own (README "Bring your own backend"): only the configured reply proves it alive.
TEST_CASE("with any_message_proves_liveness false, data does not keep a peer alive: only on_alive() does") {
    LinkConfig config = heartbeat_config();
    config.any_message_proves_liveness = false;
    config.make_ping = [](double) { return std::string("ping"); };
    LinkHarness h(config);
    const SocketId id = h.start_open();
    // Data every second: pings still go out every ping_after, and the peer is dead at dead_after.
    for (int i = 0; i < 8; ++i) {
        h.clock.advance(1000);
        h.net.deliver(id, "{\"cpu\":1}");
    }
    CHECK(h.link->stats().pings_sent == 2);
    CHECK(h.net.socket(id).sent == std::vector<std::string>{"ping", "ping"});
    CHECK(h.link->state() == LinkState::Open);
    h.link->on_alive();  // the reply, at 8 s: silence counts from here
    h.clock.advance(8999);
    CHECK(h.link->state() == LinkState::Open);
    h.clock.advance(1);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(h.link->stats().dead_peer_verdicts == 1);
    CHECK(h.link->status().reason.find("no heartbeat reply for 9000 ms") != std::string::npos);
}

TEST_CASE("an empty ping text sends nothing, and the silent peer is still dead at dead_after") {
    LinkConfig config = heartbeat_config();
    config.make_ping = [](double) { return std::string(); };
    LinkHarness h(config);
    const SocketId id = h.start_open();
    h.clock.advance(8999);
    CHECK(h.net.socket(id).sent.empty());
    CHECK(h.link->stats().pings_sent == 0);
    CHECK(h.link->state() == LinkState::Open);
    h.clock.advance(1);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
}
