// The Link's state machine: transitions, one live socket, superseded events, deadline, bad URL,
// close-code policy, browser signals, stop/destroy, statistics. Heartbeat and outbox have their own files.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/close_policy.h"
#include "fakes/link_harness.h"

using namespace vigil::core;
using namespace vigil::core::testing;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("every state has a stable name") {
    CHECK(std::string(to_string(LinkState::Idle)) == "idle");
    CHECK(std::string(to_string(LinkState::Connecting)) == "connecting");
    CHECK(std::string(to_string(LinkState::Open)) == "open");
    CHECK(std::string(to_string(LinkState::WaitingToRetry)) == "waiting_to_retry");
    CHECK(std::string(to_string(LinkState::Maintenance)) == "maintenance");
    CHECK(std::string(to_string(LinkState::Unauthorized)) == "unauthorized");
    CHECK(std::string(to_string(LinkState::Offline)) == "offline");
    CHECK(std::string(to_string(LinkState::Stopped)) == "stopped");
    CHECK(std::string(to_string(static_cast<LinkState>(99))) == "unknown");
}

TEST_CASE("a new link is Idle and touches nothing until started") {
    LinkHarness h;
    CHECK(h.link->state() == LinkState::Idle);
    CHECK(h.net.open_calls() == 0);
    CHECK(h.clock.pending() == 0);
    CHECK(h.observer.events.empty());
}

TEST_CASE("start opens one socket with the url and protocols, reports Connecting attempt 1, arms the deadline") {
    LinkConfig config = test_config();
    config.protocols = {"vigil.v1"};
    LinkHarness h(config);
    h.link->start();
    CHECK(h.net.open_calls() == 1);
    CHECK(h.net.last_socket().url == "ws://hub.test/ws");
    CHECK(h.net.last_socket().protocols == std::vector<std::string>{"vigil.v1"});
    REQUIRE(h.observer.events.size() == 1);
    CHECK(h.observer.events[0].state == LinkState::Connecting);
    CHECK(h.observer.events[0].attempt == 1);
    CHECK_FALSE(h.observer.events[0].next_try_at_ms);
    CHECK(h.clock.pending() == 1);
    h.link->start();  // already running: no second socket
    CHECK(h.net.open_calls() == 1);
}

TEST_CASE("an accepted socket is Open, then the observer's on_link_open runs") {
    LinkHarness h;
    std::vector<std::string> order;
    h.observer.on_state = [&](const LinkStatus& s) { order.push_back(std::string("state:") + to_string(s.state)); };
    h.observer.on_open = [&] { order.push_back("open"); };
    h.start_open();
    CHECK(h.link->state() == LinkState::Open);
    CHECK(order == std::vector<std::string>{"state:connecting", "state:open", "open"});
    CHECK(h.link->stats().opens == 1);
    CHECK(h.link->status().since_ms == h.clock.now_ms());
}

TEST_CASE("a refused first connection is retried like any other: WaitingToRetry with reason and next try") {
    LinkHarness h;
    h.link->start();
    const SocketId first = h.current();
    const double t0 = h.clock.now_ms();
    CHECK_FALSE(h.link->stats().last_retry_delay_ms);
    h.net.peer_close(first, 1006, "", false);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(h.link->stats().last_retry_delay_ms == 550.0);  // the drawn delay, kept after the retry ran
    CHECK(contains(h.link->status().reason, "1006"));
    CHECK(h.link->status().attempt == 1);
    REQUIRE(h.link->status().next_try_at_ms);
    CHECK(*h.link->status().next_try_at_ms == t0 + 550);  // floor 100 + 0.5 * (1000 - 100)
    CHECK(h.net.socket(first).releases == 1);
    CHECK(h.net.socket(first).close_code == 1000);  // never the peer's 1006: browsers throw on it
    h.clock.advance(549);
    CHECK(h.net.open_calls() == 1);
    h.clock.advance(1);
    CHECK(h.net.open_calls() == 2);
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.link->status().attempt == 2);
    CHECK(contains(h.link->status().reason, "1006"));  // the page keeps showing why it reconnects
    CHECK(h.link->stats().last_retry_delay_ms == 550.0);
}

TEST_CASE("a bad URL is a failed attempt: WaitingToRetry with the transport's reason, retried with backoff") {
    LinkConfig config = test_config();
    config.url = "http://not-a-websocket";
    LinkHarness h(config);
    h.link->start();
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(contains(h.link->status().reason, "not a ws:// or wss:// URL"));
    CHECK(contains(h.link->status().reason, "http://not-a-websocket"));
    // The transport's words first: the banner cuts a long reason at its end, and they say what to change.
    CHECK(h.link->status().reason.rfind("not a ws:// or wss:// URL", 0) == 0);
    CHECK(h.net.sockets_opened() == 0);
    CHECK(h.link->stats().attempts == 1);
    h.clock.advance(550);
    CHECK(h.link->stats().attempts == 2);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 700);  // second failure: ceiling 1300
    h.link->set_url("ws://hub.test/ws");
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.link->status().attempt == 1);
}

TEST_CASE("a bad URL without an error text still gets a reason") {
    struct SilentTransport final : Transport {
        void set_listener(TransportListener*) override {}
        SocketId open(const std::string&, const std::vector<std::string>&, std::string*) override { return 0; }
        bool send_text(SocketId, std::string_view) override { return false; }
        std::size_t buffered_amount(SocketId) const override { return 0; }
        void close(SocketId, int, std::string_view) override {}
    } transport;
    FakeScheduler clock;
    FakeRandom random;
    Link link(transport, clock, random, test_config());
    link.start();
    CHECK(link.state() == LinkState::WaitingToRetry);
    CHECK(contains(link.status().reason, "refused by the transport"));
}

TEST_CASE("a handshake that hangs is abandoned at the connect deadline, released with 4001, and retried") {
    LinkHarness h;
    h.link->start();
    const SocketId hung = h.current();
    h.clock.advance(4999);
    CHECK(h.link->state() == LinkState::Connecting);
    h.clock.advance(1);
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(contains(h.link->status().reason, "5000 ms"));
    CHECK(h.net.socket(hung).releases == 1);
    CHECK(h.net.socket(hung).close_code == close_code::connect_timeout);
    CHECK(h.link->stats().connect_timeouts == 1);
    CHECK(h.link->stats().closes_by_code.at(4001) == 1);
    h.net.accept(hung);  // the late handshake of the abandoned socket changes nothing
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    h.clock.advance(550);
    CHECK(h.current() != hung);
    h.net.accept(h.current());
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.link->stats().opens == 1);
}

TEST_CASE("an error followed by a close schedules one retry, not two") {
    LinkHarness h;
    const SocketId id = h.start_open();
    h.net.fail(id);
    h.net.peer_close(id, 1006, "", false);  // the adapter should not deliver it; harmless if it does
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(h.clock.pending() == 1);
    CHECK(h.net.socket(id).releases == 1);
    CHECK(h.link->stats().closes_by_code.at(1006) == 1);
    CHECK(contains(h.link->status().reason, "socket error"));
    const auto events = h.observer.events.size();
    h.clock.advance(4000);  // well past the retry, short of the next connect deadline
    CHECK(h.net.open_calls() == 2);  // exactly one new attempt
    CHECK(h.observer.events.size() == events + 1);
}

TEST_CASE("an error while connecting says the hub is unreachable") {
    LinkHarness h;
    h.link->start();
    h.net.fail(h.current());
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(contains(h.link->status().reason, "unreachable"));
}

TEST_CASE("events from a superseded socket are ignored, whatever they are") {
    LinkHarness h;
    const SocketId old = h.start_open();
    h.net.peer_close(old, 1006);
    h.clock.advance(550);
    const SocketId fresh = h.current();
    REQUIRE(fresh != old);
    const auto events = h.observer.events.size();
    h.net.accept(old);
    h.net.deliver(old, "late");
    h.net.fail(old);
    h.net.peer_close(old, 1012, "retry_ms=1");
    CHECK(h.observer.events.size() == events);
    CHECK(h.observer.messages.empty());
    CHECK(h.link->state() == LinkState::Connecting);
    h.net.accept(fresh);
    h.net.accept(fresh);  // a duplicate open is ignored too
    CHECK(h.observer.opens == 2);  // the old socket's first open, then the fresh one
    CHECK(h.link->stats().opens == 2);
    CHECK(h.net.socket(old).releases == 1);
}

TEST_CASE("a message before the open or after the close is ignored") {
    LinkHarness h;
    h.link->start();
    h.net.deliver(h.current(), "too early");
    CHECK(h.observer.messages.empty());
    h.net.accept(h.current());
    h.net.deliver(h.current(), "hello", false);
    h.net.deliver(h.current(), std::string("\x01\x02", 2), true);
    CHECK(h.observer.messages.size() == 2);
    CHECK(h.observer.binaries == 1);
    const SocketId id = h.current();
    h.net.peer_close(id, 1000);
    h.net.deliver(id, "too late");
    CHECK(h.observer.messages.size() == 2);
}

TEST_CASE("a peer close after open releases the socket once and reconnects with backoff") {
    LinkHarness h;
    const SocketId id = h.start_open();
    h.net.peer_close(id, 1000, "bye");
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    CHECK(contains(h.link->status().reason, "connection closed: 1000 normal close: bye"));
    CHECK(h.net.socket(id).releases == 1);
    CHECK(h.link->stats().last_close_code == 1000);
    CHECK(h.link->stats().last_close_reason == "bye");
}

TEST_CASE("the backoff climbs across failures and is reset only after the connection was stable") {
    LinkConfig config = test_config();
    config.backoff.base_ms = 100;
    config.backoff.cap_ms = 10000;
    config.backoff.floor_ms = 0;
    LinkHarness h(config, 1.0);  // jitter at its top: the delay is the ceiling
    auto delay = [&] { return *h.link->status().next_try_at_ms - h.clock.now_ms(); };
    h.link->start();
    h.net.peer_close(h.current(), 1006);
    CHECK(delay() == 100);
    h.clock.advance(100);
    h.net.peer_close(h.current(), 1006);
    CHECK(delay() == 200);
    h.clock.advance(200);
    h.net.accept(h.current());  // opens, but drops before stable_after: not a reset
    h.clock.advance(5000);
    h.net.deliver(h.current(), "x");
    h.net.peer_close(h.current(), 1006);
    CHECK(delay() == 400);
    CHECK(h.link->status().attempt == 3);
    h.clock.advance(400);
    h.net.accept(h.current());
    for (int i = 0; i < 10; ++i) {  // stays open and alive past stable_after (10 s)
        h.clock.advance(1000);
        h.net.deliver(h.current(), "x");
    }
    h.net.peer_close(h.current(), 1006);
    CHECK(delay() == 100);
    CHECK(h.link->status().attempt == 0);
}

TEST_CASE("a hub that accepts then drops at once is not retried in a tight loop") {
    LinkHarness h;
    h.link->start();
    const double t0 = h.clock.now_ms();
    for (int i = 0; i < 30; ++i) {
        h.net.accept(h.current());
        h.net.peer_close(h.current(), 1000);
        REQUIRE(h.link->state() == LinkState::WaitingToRetry);
        h.clock.run_next();
    }
    // 30 cycles at 0.5 jitter: one wait of 550 ms then 29 of 700 ms.
    CHECK(h.clock.now_ms() - t0 == doctest::Approx(550 + 29 * 700));
    CHECK(h.link->status().attempt == 31);
}

TEST_CASE("the link never gives up: a hub down for a day is still retried at the capped pace") {
    LinkHarness h;
    h.net.on_open_called = [&](SocketId id) {
        h.clock.set_timeout(5, [&, id] {
            if (!h.net.released(id)) h.net.peer_close(id, 1006, "", false);
        });
    };
    h.link->start();
    h.clock.advance(24.0 * 3600 * 1000);
    CHECK(h.link->stats().attempts > 24.0 * 3600 * 1000 / 1400);
    CHECK(h.link->state() != LinkState::Stopped);
    CHECK(h.link->status().next_try_at_ms.value_or(0) - h.clock.now_ms() <= 1300);
    h.net.on_open_called = nullptr;
}

TEST_CASE("1012 with reconnect=now (another hub serves the stream) reconnects within 250 ms, not after the Maintenance wait") {
    LinkHarness h;
    h.start_open();
    const double t0 = h.clock.now_ms();
    h.net.peer_close(h.current(), 1012, "retry_ms=0 reconnect=now");
    CHECK(h.link->state() == LinkState::Maintenance);
    CHECK(*h.link->status().next_try_at_ms == t0 + 0.5 * 250);  // the harness draws 0.5
    h.clock.advance(125);
    CHECK(h.link->state() == LinkState::Connecting);
    // Only on 1012: a 1013 (hub full) keeps its hint and spread.
    h.net.accept(h.current());
    h.net.peer_close(h.current(), 1013, "retry_ms=0 reconnect=now");
    CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 0 + 0.5 * 1000);
}

TEST_CASE("1012 and 1013 put the link in Maintenance until the hint plus a jittered spread") {
    SUBCASE("hint in the close reason") {
        LinkHarness h;
        h.start_open();
        const double t0 = h.clock.now_ms();
        h.net.peer_close(h.current(), 1012, "retry_ms=1500");
        CHECK(h.link->state() == LinkState::Maintenance);
        CHECK(contains(h.link->status().reason, "1012 service restart"));
        CHECK(*h.link->status().next_try_at_ms == t0 + 1500 + 0.5 * 1000);
        CHECK(h.link->stats().last_retry_delay_ms == 2000.0);
        h.clock.advance(1999);
        CHECK(h.net.open_calls() == 1);
        h.clock.advance(1);
        CHECK(h.link->state() == LinkState::Connecting);
    }
    SUBCASE("hint from the app's shutdown message, reason wins over it, and it is used once") {
        LinkHarness h;
        h.start_open();
        h.link->set_retry_hint(3000);
        const double t0 = h.clock.now_ms();
        h.net.peer_close(h.current(), 1012, "");
        CHECK(*h.link->status().next_try_at_ms == t0 + 3000 + 0.5 * 1500);
        h.clock.advance(3750);
        h.net.accept(h.current());
        h.link->set_retry_hint(3000);
        h.net.peer_close(h.current(), 1013, "retry_ms=200");
        CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 200 + 500);
        h.clock.advance(700);
        h.net.accept(h.current());
        h.net.peer_close(h.current(), 1013, "");  // hint consumed: default 1000
        CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 1000 + 500);
    }
    SUBCASE("bad hints from the app are ignored") {
        LinkHarness h;
        h.start_open();
        h.link->set_retry_hint(-1);
        h.link->set_retry_hint(std::nan(""));
        h.net.peer_close(h.current(), 1013, "");
        CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 1500);
    }
    SUBCASE("a failed attempt after maintenance falls back to the backoff") {
        LinkHarness h;
        h.start_open();
        h.net.peer_close(h.current(), 1012, "retry_ms=0");
        h.clock.advance(500);
        h.net.peer_close(h.current(), 1006);
        CHECK(h.link->state() == LinkState::WaitingToRetry);
        CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 550);
    }
}

TEST_CASE("1008, 4401 and 4403 make the link Unauthorized: no fast retries, one slow probe") {
    for (int code : {1008, 4401, 4403}) {
        CAPTURE(code);
        LinkHarness h;
        h.start_open();
        const double t0 = h.clock.now_ms();
        h.net.peer_close(h.current(), code, "token expired");
        CHECK(h.link->state() == LinkState::Unauthorized);
        CHECK(contains(h.link->status().reason, "token expired"));
        CHECK(*h.link->status().next_try_at_ms == t0 + 60000 * 1.125);
        h.clock.advance(60000);
        CHECK(h.net.open_calls() == 1);
        h.link->on_online();  // not a reason to hammer a hub that said no
        CHECK(h.net.open_calls() == 1);
        h.clock.advance(7500);
        CHECK(h.net.open_calls() == 2);
    }
}

TEST_CASE("every other close code reconnects with backoff") {
    for (int code : {1000, 1001, 1006, 1009, 1011, 4000, 4008}) {
        CAPTURE(code);
        LinkHarness h;
        h.start_open();
        h.net.peer_close(h.current(), code, "");
        CHECK(h.link->state() == LinkState::WaitingToRetry);
        CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 550);
        CHECK(h.link->stats().closes_by_code.at(code) == 1);
    }
}

TEST_CASE("offline closes the socket and stops retrying; online tries at once with a fresh backoff") {
    LinkHarness h;
    const SocketId id = h.start_open();
    h.link->on_offline();
    CHECK(h.link->state() == LinkState::Offline);
    CHECK(h.net.socket(id).releases == 1);
    CHECK(h.clock.pending() == 0);
    h.clock.advance(60000);
    CHECK(h.net.open_calls() == 1);
    h.link->on_online();
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.link->status().attempt == 1);
}

TEST_CASE("offline while waiting to retry cancels the retry; online while waiting retries now") {
    LinkHarness h;
    h.link->start();
    h.net.peer_close(h.current(), 1006);
    h.net.peer_close(h.current(), 1006);
    h.link->on_online();  // the network came back: no reason to wait out the backoff
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.net.open_calls() == 2);
    h.net.peer_close(h.current(), 1006);
    h.link->on_offline();
    CHECK(h.link->state() == LinkState::Offline);
    CHECK(h.clock.pending() == 0);
    h.link->on_offline();  // repeated: nothing changes
    CHECK(h.link->state() == LinkState::Offline);
}

TEST_CASE("offline before start is remembered: start enters Offline, online then connects") {
    LinkHarness h;
    h.link->on_offline();
    CHECK(h.link->state() == LinkState::Idle);
    h.link->start();
    CHECK(h.link->state() == LinkState::Offline);
    CHECK(h.net.open_calls() == 0);
    h.link->on_online();
    CHECK(h.link->state() == LinkState::Connecting);
}

TEST_CASE("online while Idle or Open changes nothing") {
    LinkHarness h;
    h.link->on_online();
    CHECK(h.link->state() == LinkState::Idle);
    h.start_open();
    h.link->on_online();
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.net.open_calls() == 1);
}

TEST_CASE("visible after a throttled wait runs an overdue retry at once, and leaves a pending one alone") {
    LinkHarness h;
    h.link->start();
    h.net.peer_close(h.current(), 1006);
    h.clock.hold_timers_for(100);
    h.link->on_visible();  // not due yet
    CHECK(h.link->state() == LinkState::WaitingToRetry);
    h.clock.hold_timers_for(60000);
    h.link->on_visible();
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.clock.pending() == 1);  // the deadline only: the throttled retry timer was cancelled
    h.link->on_hidden();  // nothing to do
    CHECK(h.link->state() == LinkState::Connecting);
}

TEST_CASE("pagehide closes cleanly with 1000 'going away' and parks the link; pageshow reconnects at once") {
    LinkHarness h;
    const SocketId id = h.start_open();
    h.link->on_pagehide();
    CHECK(h.link->state() == LinkState::Idle);
    CHECK(h.link->status().reason == "page hidden");
    CHECK(h.net.socket(id).releases == 1);
    CHECK(h.net.socket(id).close_code == 1000);
    CHECK(h.net.socket(id).close_reason == "going away");
    CHECK(h.clock.pending() == 0);
    h.clock.advance(60000);
    CHECK(h.net.open_calls() == 1);
    h.link->on_pageshow();
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.link->status().attempt == 1);
    h.link->on_pageshow();  // not parked any more
    CHECK(h.net.open_calls() == 2);
}

TEST_CASE("pagehide before start, and pageshow without pagehide, do nothing") {
    LinkHarness h;
    h.link->on_pagehide();
    h.link->on_pageshow();
    CHECK(h.link->state() == LinkState::Idle);
    CHECK(h.observer.events.empty());
    h.start_open();
    h.link->on_pageshow();
    CHECK(h.link->state() == LinkState::Open);
}

TEST_CASE("pagehide while offline parks the link; pageshow returns to Offline") {
    LinkHarness h;
    h.start_open();
    h.link->on_offline();
    h.link->on_pagehide();
    CHECK(h.link->state() == LinkState::Idle);
    h.link->on_pageshow();
    CHECK(h.link->state() == LinkState::Offline);
    CHECK(h.net.open_calls() == 1);
}

TEST_CASE("stop closes and releases the socket, clears every timer, and reports Stopped once") {
    LinkHarness h;
    const SocketId id = h.start_open();
    h.link->send("queued later");
    h.link->stop();
    CHECK(h.link->state() == LinkState::Stopped);
    CHECK(h.net.socket(id).releases == 1);
    CHECK(h.net.socket(id).close_reason == "stopped");
    CHECK(h.clock.pending() == 0);
    const auto events = h.observer.events.size();
    h.link->stop();
    CHECK(h.observer.events.size() == events);
    h.link->start();  // a stopped link can be started again
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.link->status().attempt == 1);
}

TEST_CASE("stop in every state leaves no timer and no socket behind") {
    for (int scenario = 0; scenario < 6; ++scenario) {
        CAPTURE(scenario);
        LinkHarness h;
        h.link->start();
        if (scenario == 1) h.net.accept(h.current());
        if (scenario == 2) h.net.peer_close(h.current(), 1006);
        if (scenario == 3) h.net.peer_close(h.current(), 1012);
        if (scenario == 4) h.net.peer_close(h.current(), 4401);
        if (scenario == 5) h.link->on_offline();
        h.link->stop();
        CHECK(h.clock.pending() == 0);
        CHECK(h.net.unreleased() == 0);
    }
}

TEST_CASE("destroying a link mid-handshake releases its socket and timers without telling the observer") {
    LinkHarness h;
    h.link->start();
    const auto events = h.observer.events.size();
    h.link.reset();
    CHECK(h.observer.events.size() == events);
    CHECK(h.net.listener() == nullptr);
    // the harness checks: no timers, no unreleased socket
}

TEST_CASE("set_url switches a running link to the new URL at once; an idle link only remembers it") {
    LinkHarness h;
    h.link->set_url("ws://other.test/ws");
    CHECK(h.link->state() == LinkState::Idle);
    const SocketId old = h.start_open();
    CHECK(h.net.socket(old).url == "ws://other.test/ws");
    h.link->set_url("ws://third.test/ws");
    CHECK(h.net.socket(old).releases == 1);
    CHECK(h.net.socket(old).close_reason == "url changed");
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK(h.net.last_socket().url == "ws://third.test/ws");
    CHECK(h.link->config().url == "ws://third.test/ws");
}

TEST_CASE("the observer may stop the link from inside its callbacks") {
    SUBCASE("from on_link_state while waiting to retry") {
        LinkHarness h;
        h.observer.on_state = [&](const LinkStatus& s) {
            if (s.state == LinkState::WaitingToRetry) h.link->stop();
        };
        h.link->start();
        h.net.peer_close(h.current(), 1006);
        CHECK(h.link->state() == LinkState::Stopped);
        CHECK(h.clock.pending() == 0);
    }
    SUBCASE("from on_link_open") {
        LinkHarness h;
        h.link->send("queued");
        h.observer.on_open = [&] { h.link->stop(); };
        h.start_open();
        CHECK(h.link->state() == LinkState::Stopped);
        CHECK(h.net.socket(h.current()).sent.empty());
    }
    SUBCASE("from on_link_message") {
        LinkHarness h;
        h.observer.on_message = [&](std::string_view) { h.link->stop(); };
        h.start_open();
        h.net.deliver(h.current(), "x");
        CHECK(h.link->state() == LinkState::Stopped);
    }
}

TEST_CASE("statistics count attempts, opens, closes by code, traffic, rejections and time in each state") {
    LinkHarness h;
    h.link->start();
    h.clock.advance(20);
    h.net.peer_close(h.current(), 1006);
    h.clock.advance(550);
    h.net.accept(h.current());
    h.net.deliver(h.current(), "abcd");
    h.net.deliver(h.current(), "ef");
    h.link->count_rejected();
    h.link->send("123");
    h.clock.advance(1000);
    const LinkStats& s = h.link->stats();
    CHECK(s.attempts == 2);
    CHECK(s.opens == 1);
    CHECK(s.closes_by_code.at(1006) == 1);
    CHECK(s.messages_in == 2);
    CHECK(s.bytes_in == 6);
    CHECK(s.messages_out == 1);
    CHECK(s.bytes_out == 3);
    CHECK(s.rejected_inbound == 1);
    CHECK(s.ms_in(LinkState::Connecting) == 20);
    CHECK(s.ms_in(LinkState::WaitingToRetry) == 550);
    CHECK(s.ms_in(LinkState::Open) == 1000);  // includes the current state so far
    CHECK(s.ms_in(LinkState::Idle) == 0);
}

TEST_CASE("an observer that overrides nothing is a valid observer") {
    LinkHarness h;
    LinkObserver quiet;
    h.link->set_observer(&quiet);
    h.start_open();
    h.net.deliver(h.current(), "x");
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.observer.events.empty());
}
