// Reconnect backoff as a pure function: ceiling growth, cap, floor, jitter bounds and spread.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/backoff.h"
#include "fakes/fake_scheduler.h"

using namespace vigil::core;
using vigil::core::testing::FakeRandom;

TEST_CASE("the backoff ceiling grows geometrically from base and stops at the cap") {
    BackoffConfig c;
    c.base_ms = 100;
    c.multiplier = 2;
    c.cap_ms = 1000;
    CHECK(backoff_ceiling_ms(c, 1) == 100);
    CHECK(backoff_ceiling_ms(c, 2) == 200);
    CHECK(backoff_ceiling_ms(c, 4) == 800);
    CHECK(backoff_ceiling_ms(c, 5) == 1000);
    CHECK(backoff_ceiling_ms(c, 50) == 1000);
    CHECK(backoff_ceiling_ms(c, 0) == 100);  // attempt numbers below 1 count as the first
}

TEST_CASE("the backoff never gives up: after millions of attempts the delay is still the capped one") {
    const BackoffConfig c;
    const double d = backoff_delay_ms(c, 5'000'000, 0.5);
    CHECK(std::isfinite(d));
    CHECK(d == doctest::Approx(c.floor_ms + 0.5 * (c.cap_ms - c.floor_ms)));
}

TEST_CASE("a backoff that cannot grow (multiplier 1 or base 0) still answers at once") {
    BackoffConfig c;
    c.multiplier = 1;
    CHECK(backoff_ceiling_ms(c, 1'000'000'000) == c.base_ms);
    c.base_ms = 0;
    c.floor_ms = 0;
    CHECK(backoff_delay_ms(c, 1'000'000'000, 0.7) == 0);
}

TEST_CASE("full jitter spans floor to ceiling: u=0 gives the floor, u->1 the ceiling") {
    const BackoffConfig c;  // base 1000, cap 1300, floor 100
    CHECK(backoff_delay_ms(c, 1, 0.0) == 100);
    CHECK(backoff_delay_ms(c, 1, 0.999999) == doctest::Approx(1000).epsilon(1e-5));
    CHECK(backoff_delay_ms(c, 2, 0.0) == 100);
    CHECK(backoff_delay_ms(c, 2, 0.999999) == doctest::Approx(1300).epsilon(1e-5));
    CHECK(backoff_delay_ms(c, 3, 0.5) == 700);
}

TEST_CASE("a floor larger than the ceiling is clamped to the ceiling; bad draws are clamped") {
    BackoffConfig c;
    c.base_ms = 50;
    c.floor_ms = 200;
    c.cap_ms = 1000;
    CHECK(backoff_delay_ms(c, 1, 0.3) == 50);
    CHECK(backoff_delay_ms(c, 3, 0.0) == 200);
    CHECK(backoff_delay_ms(c, 3, 7.0) == 200);  // 200 + 1.0 * (200 - 200)
    CHECK(backoff_delay_ms(c, 4, -1) == 200);
    CHECK(backoff_delay_ms(c, 4, std::nan("")) == 200 + 0.5 * (400 - 200));
}

TEST_CASE("over many seeds the jitter stays inside its bounds and fills them evenly") {
    const BackoffConfig c;
    for (int attempt : {1, 2, 10}) {
        FakeRandom random(static_cast<std::uint64_t>(attempt) * 7919);
        const double ceiling = backoff_ceiling_ms(c, attempt);
        std::vector<int> decile(10, 0);
        double lo = 1e9, hi = -1;
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            const double d = backoff_delay_ms(c, attempt, random.uniform01());
            REQUIRE(d >= c.floor_ms);
            REQUIRE(d <= ceiling);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
            const int bucket = std::min(9, static_cast<int>((d - c.floor_ms) / (ceiling - c.floor_ms) * 10));
            ++decile[static_cast<std::size_t>(bucket)];
        }
        CHECK(lo < c.floor_ms + 0.01 * (ceiling - c.floor_ms));
        CHECK(hi > ceiling - 0.01 * (ceiling - c.floor_ms));
        for (int count : decile) CHECK(std::abs(count - n / 10) < n / 50);  // each decile within 20 %
    }
}
