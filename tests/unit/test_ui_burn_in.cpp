// Burn-in care: static content moves round a small orbit, a few pixels, every few minutes.
#include <doctest/doctest.h>

#include "ui/burn_in.h"

#include <cmath>
#include <set>
#include <utility>

using vigil::ui::burn_in_offset;
using vigil::ui::kBurnInSteps;

TEST_CASE("the screen is unshifted for the first period, then moves every period") {
    CHECK(burn_in_offset(0, 120, 4).step == 0);
    CHECK(burn_in_offset(119'999, 120, 4).dx == 0);
    const auto first = burn_in_offset(120'000, 120, 4);
    CHECK(first.step == 1);
    CHECK(first.dx == 4);
    CHECK(first.dy == 0);
}

TEST_CASE("the orbit visits every position within the amplitude, then starts over") {
    std::set<std::pair<int, int>> seen;
    for (int i = 0; i < kBurnInSteps; ++i) {
        const auto o = burn_in_offset(i * 60'000.0 + 1, 60, 3);
        CHECK(std::fabs(o.dx) <= 3);
        CHECK(std::fabs(o.dy) <= 3);
        CHECK(o.dx == std::floor(o.dx));  // whole pixels: text stays crisp
        seen.insert({static_cast<int>(o.dx), static_cast<int>(o.dy)});
        if (i > 0) {
            const auto before = burn_in_offset((i - 1) * 60'000.0 + 1, 60, 3);
            CHECK((before.dx != o.dx || before.dy != o.dy));
        }
    }
    CHECK(seen.size() == static_cast<std::size_t>(kBurnInSteps));
    CHECK(burn_in_offset(kBurnInSteps * 60'000.0 + 1, 60, 3).step == 0);
}

TEST_CASE("a period of 0 or an amplitude under a pixel switches it off") {
    for (double t : {0.0, 1e6, 1e9}) {
        CHECK(burn_in_offset(t, 0, 4).dx == 0);
        CHECK(burn_in_offset(t, 0, 4).dy == 0);
        CHECK(burn_in_offset(t, 120, 0.5).dx == 0);
        CHECK(burn_in_offset(t, 120, 0.5).dy == 0);
    }
}
