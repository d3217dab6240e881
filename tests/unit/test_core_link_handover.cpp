// Make before break (Link::begin_handover): the second socket while the first stays Open, the swap,
// a second socket that fails or times out, a first socket that ends first, stop and the other
// exits during a handover. The harness checks every socket is released exactly once.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/close_policy.h"
#include "fakes/link_harness.h"

using namespace vigil::core;
using namespace vigil::core::testing;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Open, then the hub's handover hint; the spread (0.5 * 250 ms with the harness's draw) has run:
// returns the first socket; the second is h.current().
SocketId open_and_hint(LinkHarness& h, double window_ms = 3000) {
    const SocketId first = h.start_open();
    h.link->begin_handover(window_ms);
    CHECK(h.net.open_calls() == 1);  // not before the spread
    h.clock.advance(0.5 * kHandoverSpreadMs);
    REQUIRE(h.net.open_calls() == 2);
    CHECK(h.current() != first);
    return first;
}
}  // namespace

TEST_CASE("handover: the second socket opens after the spread while the first stays Open and delivers") {
    LinkHarness h;
    const SocketId first = open_and_hint(h);
    const SocketId second = h.current();
    CHECK(h.net.socket(second).url == h.net.socket(first).url);
    CHECK(h.link->state() == LinkState::Open);
    CHECK_FALSE(h.net.released(first));
    h.net.deliver(first, "frame 41");
    CHECK(h.observer.messages == std::vector<std::string>{"frame 41"});
    h.net.deliver(second, "not yet open");  // ignored: a socket says nothing before its open
    CHECK(h.observer.messages.size() == 1);
    // A send goes on the first socket until the swap.
    h.link->send("hello-1");
    CHECK(h.net.socket(first).sent.back() == "hello-1");
    CHECK(h.net.socket(second).sent.empty());
}

TEST_CASE("handover: when the second socket opens it becomes the link's (hello on it), the first is closed 1000 'handed over'") {
    LinkHarness h;
    int opens_heard = 0;
    h.observer.on_open = [&] {
        ++opens_heard;
        h.link->send("hello");
    };
    const SocketId first = open_and_hint(h);
    const SocketId second = h.current();
    REQUIRE(opens_heard == 1);
    const auto states_before = h.observer.events.size();
    h.net.accept(second);
    CHECK(opens_heard == 2);
    CHECK(h.link->state() == LinkState::Open);
    // Never left Open: the only event is Open again, with the handover as its reason.
    REQUIRE(h.observer.events.size() == states_before + 1);
    CHECK(h.observer.events.back().state == LinkState::Open);
    CHECK(contains(h.observer.events.back().reason, "handed over"));
    CHECK(h.net.socket(first).releases == 1);
    CHECK(h.net.socket(first).close_code == 1000);
    CHECK(h.net.socket(first).close_reason == "handed over");
    CHECK(h.net.socket(second).sent == std::vector<std::string>{"hello"});
    // From now on only the second socket counts: the first's late frames and close are ignored.
    h.net.deliver(first, "late frame");
    h.net.peer_close(first, 1012, "retry_ms=0 reconnect=now");
    h.net.deliver(second, "frame 42");
    CHECK(h.observer.messages == std::vector<std::string>{"frame 42"});
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.link->stats().handovers == 1);
    CHECK(h.link->stats().handover_failures == 0);
    CHECK(h.link->stats().opens == 2);
    CHECK(h.net.sockets_opened() == 2);
}

TEST_CASE("handover: a second socket that fails or times out is released silently; the first stays and its 1012 follows the usual path") {
    SUBCASE("refused") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        const auto events = h.observer.events.size();
        h.net.peer_close(second, 1013, "retry_ms=1000");
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.link->state() == LinkState::Open);
        CHECK(h.observer.events.size() == events);  // silent
        CHECK(h.link->stats().handover_failures == 1);
        h.net.deliver(first, "frame");
        CHECK(h.observer.messages.size() == 1);
        // The hub's window ends: reconnect=now as before the handover existed.
        h.net.peer_close(first, 1012, "retry_ms=0 reconnect=now");
        CHECK(h.link->state() == LinkState::Maintenance);
        CHECK(*h.link->status().next_try_at_ms == h.clock.now_ms() + 0.5 * kReconnectNowSpreadMs);
    }
    SUBCASE("socket error") {
        LinkHarness h;
        open_and_hint(h);
        const SocketId second = h.current();
        h.net.fail(second);
        h.net.peer_close(second, 1006, "", false);  // the browser's close after the error: ignored
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.link->state() == LinkState::Open);
        CHECK(h.link->stats().handover_failures == 1);
    }
    SUBCASE("no answer within the connect deadline") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.clock.advance(test_config().connect_timeout_ms);
        CHECK(h.net.socket(second).releases == 1);
        CHECK_FALSE(h.net.released(first));
        CHECK(h.link->state() == LinkState::Open);
        CHECK(h.link->stats().handover_failures == 1);
        h.net.accept(second);  // too late: ignored
        CHECK(h.link->stats().handovers == 0);
    }
    SUBCASE("a link that is not Open takes no handover") {
        LinkConfig config = test_config();
        LinkHarness h(config);
        h.start_open();
        h.link->set_url("bad://url");  // drops and reconnects: fails at once, WaitingToRetry
        CHECK(h.link->state() == LinkState::WaitingToRetry);
        h.link->begin_handover(3000);  // not Open: nothing
        CHECK(h.clock.pending() == 1);  // the retry only
        h.link->stop();
    }
}

TEST_CASE("handover: the first socket ending while the second is opening leaves the second as the link's, Connecting") {
    SUBCASE("the hub's 1012 at the end of its window") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.clock.advance(1000);
        h.net.peer_close(first, 1012, "retry_ms=0 reconnect=now");
        CHECK(h.net.socket(first).releases == 1);
        CHECK(h.link->state() == LinkState::Connecting);  // never Maintenance
        CHECK_FALSE(h.link->status().next_try_at_ms);
        CHECK(h.net.open_calls() == 2);  // no third socket
        h.net.accept(second);
        CHECK(h.link->state() == LinkState::Open);
        CHECK(h.link->stats().handovers == 1);
        CHECK(h.link->stats().ms_in(LinkState::Maintenance) == 0);
    }
    SUBCASE("the adopted socket keeps the rest of its connect deadline, then retries as usual") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.clock.advance(1000);
        h.net.fail(first);
        CHECK(h.link->state() == LinkState::Connecting);
        h.clock.advance(test_config().connect_timeout_ms - 1000 - 1);
        CHECK(h.link->state() == LinkState::Connecting);
        h.clock.advance(1);
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.net.socket(second).close_code == 4001);
        CHECK(h.link->state() == LinkState::WaitingToRetry);
    }
    SUBCASE("the first ends during the spread, before the second was opened: the usual path") {
        LinkHarness h;
        const SocketId first = h.start_open();
        h.link->begin_handover(3000);
        h.net.peer_close(first, 1012, "retry_ms=0 reconnect=now");
        CHECK(h.link->state() == LinkState::Maintenance);
        h.clock.advance(1000);  // the spread timer was cancelled: the retry alone ran
        CHECK(h.net.open_calls() == 2);
        CHECK(h.link->stats().handovers == 0);
        CHECK(h.link->state() == LinkState::Connecting);
    }
}

TEST_CASE("handover: stop, set_url, offline, pagehide and the destructor release both sockets, once each") {
    SUBCASE("stop") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.link->stop();
        CHECK(h.net.socket(first).releases == 1);
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.clock.pending() == 0);
        h.net.accept(second);  // late: ignored
        CHECK(h.link->state() == LinkState::Stopped);
    }
    SUBCASE("stop during the spread") {
        LinkHarness h;
        h.start_open();
        h.link->begin_handover(3000);
        h.link->stop();
        CHECK(h.clock.pending() == 0);
        CHECK(h.net.open_calls() == 1);
    }
    SUBCASE("set_url") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.link->set_url("ws://other.test/ws");
        CHECK(h.net.socket(first).releases == 1);
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.net.last_socket().url == "ws://other.test/ws");
        CHECK(h.link->state() == LinkState::Connecting);
    }
    SUBCASE("offline") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.link->on_offline();
        CHECK(h.net.socket(first).releases == 1);
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.clock.pending() == 0);
    }
    SUBCASE("pagehide") {
        LinkHarness h;
        const SocketId first = open_and_hint(h);
        const SocketId second = h.current();
        h.link->on_pagehide();
        CHECK(h.net.socket(first).releases == 1);
        CHECK(h.net.socket(second).releases == 1);
        CHECK(h.link->state() == LinkState::Idle);
    }
    SUBCASE("destructor") {
        LinkHarness h;
        open_and_hint(h);
        // ~LinkHarness destroys the link and checks: no timer, no unreleased or twice-released socket.
    }
}

TEST_CASE("handover: one at a time, only when Open, only with a positive window; a dead first socket hands over too") {
    LinkConfig config = test_config();
    config.ping_after_ms = 1000;
    config.dead_after_ms = 3000;  // before the second socket's connect deadline (5 s)
    LinkHarness h(config);
    h.link->begin_handover(3000);  // Idle: nothing
    CHECK(h.clock.pending() == 0);
    const SocketId first = h.start_open();
    h.link->begin_handover(0);
    h.link->begin_handover(-5);
    CHECK(h.net.open_calls() == 1);
    h.link->begin_handover(3000);
    h.link->begin_handover(3000);  // a second hint on the same connection changes nothing
    h.clock.advance(kHandoverSpreadMs);
    CHECK(h.net.open_calls() == 2);
    const SocketId second = h.current();
    h.link->begin_handover(3000);
    h.clock.advance(kHandoverSpreadMs);
    CHECK(h.net.open_calls() == 2);
    // The first goes silent past dead_after: the second carries on, Connecting.
    h.clock.advance(config.dead_after_ms);
    CHECK(h.net.socket(first).close_code == 4000);
    CHECK(h.link->stats().dead_peer_verdicts == 1);
    CHECK(h.link->state() == LinkState::Connecting);
    CHECK_FALSE(h.net.released(second));
    h.net.accept(second);
    CHECK(h.link->state() == LinkState::Open);
}

TEST_CASE("handover: a small window shrinks the spread to a quarter of it") {
    LinkHarness h(test_config(), 1.0);  // the largest draw
    h.start_open();
    h.link->begin_handover(400);
    h.clock.advance(99);
    CHECK(h.net.open_calls() == 1);
    h.clock.advance(1);
    CHECK(h.net.open_calls() == 2);
}
