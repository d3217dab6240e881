// Hub time on a page whose own clock is wrong: pongs corrected by the round trip, live frames
// as a lower bound.
#include <doctest/doctest.h>

#include "model/hub_clock.h"

#include <cmath>
#include <string>

using vigil::model::HubClock;

namespace {
constexpr double kHub = 1'764'138'000'000.0;  // hub Unix ms at page time 0
// How far c's hub time at page time `page` is from kHub + `expect`, in ms. (doctest::Approx is
// relative: at Unix-ms magnitudes its default tolerance is hours, so it proves nothing here.)
double off_by(const HubClock& c, double page, double expect) { return std::fabs(c.now(page) - kHub - expect); }
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
    CHECK(off_by(c, 2000, 2000) < 1);
    CHECK(c.uncertainty_ms() == doctest::Approx(50));
    CHECK(std::string(c.source()) == "pong");
}

TEST_CASE("the pong with the shortest round trip wins") {
    HubClock c;
    // A slow trip whose stamp came early (an error of 400 ms), then a fast exact one.
    c.on_pong(0, 1000, static_cast<std::int64_t>(kHub + 100));
    c.on_pong(5000, 5010, static_cast<std::int64_t>(kHub + 5005));
    CHECK(off_by(c, 6000, 6000) < 1);
    CHECK(c.uncertainty_ms() == doctest::Approx(5));
}

TEST_CASE("live frames alone give hub time from their t, never later than it") {
    HubClock c;
    c.on_live_frame(kHub + 1000, 1030);  // 30 ms on the way
    c.on_live_frame(kHub + 2000, 2005);  // 5 ms: the tighter bound
    CHECK(std::string(c.source()) == "samples");
    CHECK(off_by(c, 3000, 2995) < 1);
}

TEST_CASE("a frame that proves the hub is further on than a pong said moves the estimate up") {
    HubClock c;
    c.on_pong(0, 2000, static_cast<std::int64_t>(kHub));  // stamped at the start: midpoint 1 s behind
    c.on_live_frame(kHub + 3000, 3000);
    CHECK(off_by(c, 4000, 4000) < 1);
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
    CHECK(off_by(c, 100000, - 60000 + 100000) < 1);
}

TEST_CASE("a hub clock step: the first pong after it wins at once over faster pongs from before") {
    HubClock c;
    // Seven fast pongs a minute apart (1 ms round trips), then the hub's clock steps back 30 s
    // (or the page failed over to a hub 30 s behind) and the next pong has a slower trip.
    double t = 0;
    for (int i = 0; i < 7; ++i, t += 60000) c.on_pong(t, t + 1, static_cast<std::int64_t>(kHub + t + 0.5));
    c.on_pong(t, t + 40, static_cast<std::int64_t>(kHub - 30000 + t + 20));
    CHECK(off_by(c, t + 1000, - 30000 + t + 1000) < 1);
    CHECK(c.uncertainty_ms() == doctest::Approx(20));
    // Forward too: 90 s ahead of that.
    t += 60000;
    c.on_pong(t, t + 40, static_cast<std::int64_t>(kHub + 60000 + t + 20));
    CHECK(off_by(c, t + 1000, 60000 + t + 1000) < 1);
}

TEST_CASE("pongs that agree within their round trips are all kept: the fastest still wins") {
    HubClock c;
    c.on_pong(0, 10, static_cast<std::int64_t>(kHub + 5));          // exact, 10 ms trip
    c.on_pong(60000, 60600, static_cast<std::int64_t>(kHub + 60100));  // stamped early: 200 ms off, 600 ms trip
    CHECK(off_by(c, 61000, 61000) < 1);
    CHECK(c.uncertainty_ms() == doctest::Approx(5));
}

TEST_CASE("one live frame with a far-future t moves nothing; frames that keep saying so do") {
    HubClock c;
    c.on_pong(0, 10, static_cast<std::int64_t>(kHub + 5));
    for (int i = 1; i <= 5; ++i) c.on_live_frame(kHub + i * 1000.0 - 20, i * 1000.0);
    // A frame stamped an hour ahead, then ordinary ones: the clock never moves.
    c.on_live_frame(kHub + 3'600'000 + 6000, 6000);
    CHECK(c.frames_pending() == 1);
    CHECK(off_by(c, 6000, 6000) < 1);
    for (int i = 7; i <= 10; ++i) c.on_live_frame(kHub + i * 1000.0 - 20, i * 1000.0);
    CHECK(c.frames_pending() == 0);
    CHECK(off_by(c, 10000, 10000) < 1);
    // Two far frames are not enough either.
    c.on_live_frame(kHub + 3'600'000 + 11000, 11000);
    c.on_live_frame(kHub + 3'600'000 + 12000, 12000);
    CHECK(off_by(c, 12000, 12000) < 1);
    // The hub's clock did jump an hour: the third frame in a row that says so is believed.
    c.on_live_frame(kHub + 3'600'000 + 13000, 13000);
    CHECK(c.frames_pending() == 0);
    CHECK(off_by(c, 13000, 3'600'000 + 13000) < 1);
}

TEST_CASE("far frames that disagree with each other never confirm one another") {
    HubClock c;
    c.on_live_frame(kHub, 0);
    for (int i = 1; i <= 9; ++i) c.on_live_frame(kHub + i * 3'600'000.0, i * 1000.0);  // each an hour past the last
    CHECK(off_by(c, 10000, 10000) < 1);
}
