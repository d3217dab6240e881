// Hub time on a page whose own clock is wrong: pongs corrected by the round trip, live frames
// as a lower bound.
#include <doctest/doctest.h>

#include "model/hub_clock.h"

#include <string>

using vigil::model::HubClock;

namespace {
constexpr double kHub = 1'764'138'000'000.0;  // hub Unix ms at page time 0
}

TEST_CASE("with nothing heard the hub's time is unknown") {
    HubClock c;
    CHECK_FALSE(c.known());
    CHECK(std::string(c.source()).empty());
}

TEST_CASE("a pong puts hub time in the middle of its round trip") {
    HubClock c;
    // Ping at page 1000, pong at 1100; the hub stamped it 50 ms into the trip.
    c.on_pong(1000, 1100, static_cast<std::int64_t>(kHub + 1050));
    REQUIRE(c.known());
    CHECK(c.now(2000) == doctest::Approx(kHub + 2000));
    CHECK(c.uncertainty_ms() == doctest::Approx(50));
    CHECK(std::string(c.source()) == "pong");
}

TEST_CASE("the pong with the shortest round trip wins") {
    HubClock c;
    // A slow trip whose stamp came early (an error of 400 ms), then a fast exact one.
    c.on_pong(0, 1000, static_cast<std::int64_t>(kHub + 100));
    c.on_pong(5000, 5010, static_cast<std::int64_t>(kHub + 5005));
    CHECK(c.now(6000) == doctest::Approx(kHub + 6000));
    CHECK(c.uncertainty_ms() == doctest::Approx(5));
}

TEST_CASE("live frames alone give hub time from their t, never later than it") {
    HubClock c;
    c.on_live_frame(kHub + 1000, 1030);  // 30 ms on the way
    c.on_live_frame(kHub + 2000, 2005);  // 5 ms: the tighter bound
    CHECK(std::string(c.source()) == "samples");
    CHECK(c.now(3000) == doctest::Approx(kHub + 2995));
}

TEST_CASE("a frame that proves the hub is further on than a pong said moves the estimate up") {
    HubClock c;
    c.on_pong(0, 2000, static_cast<std::int64_t>(kHub));  // stamped at the start: midpoint 1 s behind
    c.on_live_frame(kHub + 3000, 3000);
    CHECK(c.now(4000) == doctest::Approx(kHub + 4000));
}

TEST_CASE("a pong without hub_t or with a time from the future is not used") {
    HubClock c;
    c.on_pong(1000, 1100, 0);
    c.on_pong(2000, 1000, static_cast<std::int64_t>(kHub));
    CHECK_FALSE(c.known());
}

TEST_CASE("old samples leave the window: a hub clock set back is followed") {
    HubClock c;
    for (int i = 0; i < 40; ++i) c.on_live_frame(kHub + i * 1000.0, i * 1000.0);
    // The hub's clock stepped back by a minute; after a window of frames the old bound is gone.
    for (int i = 40; i < 40 + static_cast<int>(HubClock::kFrames); ++i)
        c.on_live_frame(kHub - 60000 + i * 1000.0, i * 1000.0);
    CHECK(c.now(100000) == doctest::Approx(kHub - 60000 + 100000));
}
