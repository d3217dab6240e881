// Flop counter: digits roll from where they are to the newest target and settle on time.
#include <doctest/doctest.h>

#include "model/flop_counter.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

using vigil::model::FlopCell;
using vigil::model::FlopCounter;
using vigil::model::FlopStyle;

namespace {

// The settled text of the cells (digits rounded to the nearest strip position).
std::string text(const std::vector<FlopCell>& cells) {
    std::string s;
    for (const auto& c : cells) s += c.digit ? static_cast<char>('0' + static_cast<int>(std::lround(c.position))) : c.glyph;
    return s;
}

std::vector<double> digit_positions(const std::vector<FlopCell>& cells) {
    std::vector<double> out;
    for (const auto& c : cells)
        if (c.digit) out.push_back(c.position);
    return out;
}

}  // namespace

TEST_CASE("a new target rolls every changed digit and settles exactly on it after roll_ms") {
    FlopCounter flop;
    flop.set_target(120, 0);
    CHECK(text(flop.cells(600)) == "120");
    flop.set_target(345, 1000);
    auto mid = flop.cells(1200);
    for (const auto& c : mid) {
        CHECK(c.rolling);
        CHECK(c.position > 0);
        CHECK(c.position < 5);
    }
    CHECK_FALSE(flop.settled(1599));
    CHECK(flop.settled(1600));
    const auto done = flop.cells(1600);
    CHECK(text(done) == "345");
    for (const auto& c : done) {
        CHECK_FALSE(c.rolling);
        CHECK(c.position == std::floor(c.position));  // never left half-rolled
    }
    CHECK(flop.displayed(1600) == 345);
    CHECK(flop.displayed(1300) > 120);
    CHECK(flop.displayed(1300) < 345);
}

TEST_CASE("a burst of updates never glitches: digits move one way per roll, stay on the strip, and the newest target wins within 600 ms") {
    FlopCounter flop;
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> value(0, 99'999);
    double now = 0;
    double last_target = 0, last_set_at = 0;
    for (int i = 0; i < 200; ++i) {
        last_target = std::round(value(rng));
        last_set_at = now;
        flop.set_target(last_target, now);
        // Within this update's roll, sampled every 16 ms until the next update (10..150 ms later).
        const double next = now + 10 + (i * 37) % 140;
        std::vector<double> before = digit_positions(flop.cells(now));
        std::vector<double> first = before;
        for (double t = now + 16; t < next; t += 16) {
            const std::vector<double> pos = digit_positions(flop.cells(t));
            if (pos.size() != before.size()) {  // a column appeared or vanished: start over
                before = first = pos;
                continue;
            }
            for (std::size_t k = 0; k < pos.size(); ++k) {
                CHECK(pos[k] >= 0);
                CHECK(pos[k] <= 9);
                // monotonic: the step keeps the direction from the roll's start
                const double dir = pos[k] - first[k];
                const double step = pos[k] - before[k];
                CHECK(dir * step >= -1e-12);
            }
            before = pos;
        }
        now = next;
    }
    CHECK_FALSE(flop.settled(last_set_at + 599));
    CHECK(flop.settled(last_set_at + 600));
    FlopCounter reference;
    reference.set_target(last_target, 0);
    CHECK(text(flop.cells(last_set_at + 600)) == reference.target_text());
    CHECK(flop.displayed(last_set_at + 600) == last_target);
}

TEST_CASE("a retarget mid-roll continues from where the digit is, not from its old start") {
    FlopCounter flop;
    flop.set_target(0, 0);
    flop.set_target(9, 0);
    const double p = flop.cells(300)[0].position;
    CHECK(p > 4);
    flop.set_target(2, 300);
    CHECK(flop.cells(300)[0].position == doctest::Approx(p));  // no jump
    CHECK(flop.cells(400)[0].position < p);
    CHECK(flop.cells(400)[0].position > 2);
    CHECK(flop.cells(900)[0].position == 2);
}

TEST_CASE("999 -> 1000 shows the new leading digit at once; 1000 -> 999 keeps it until it rolls to 0") {
    FlopStyle plain;
    plain.group_thousands = false;
    FlopCounter flop(plain);
    flop.set_target(999, 0);
    flop.set_target(1000, 1000);
    CHECK(flop.cells(1000).size() == 4);
    CHECK(text(flop.cells(1600)) == "1000");
    flop.set_target(999, 2000);
    CHECK(flop.cells(2100).size() == 4);  // the leading 1 is still rolling down
    CHECK(flop.cells(2600).size() == 3);
    CHECK(text(flop.cells(2600)) == "999");
}

TEST_CASE("decimals, thousands groups and signs spell the target") {
    FlopStyle style;
    style.decimals = 1;
    FlopCounter flop(style);
    flop.set_target(-12345.67, 0);
    CHECK(flop.target_text() == "-12,345.7");
    flop.set_target(0.04, 0);
    CHECK(flop.target_text() == "0.0");  // no "-0.0" either
    flop.set_target(-0.04, 0);
    CHECK(flop.target_text() == "0.0");
    FlopCounter whole;
    whole.set_target(1234567, 0);
    CHECK(whole.target_text() == "1,234,567");
    whole.set_target(0, 0);
    CHECK(whole.target_text() == "0");
}

TEST_CASE("a target that is not finite is ignored; a huge one shows the largest number that fits") {
    FlopCounter flop;
    flop.set_target(42, 0);
    flop.set_target(std::nan(""), 100);
    flop.set_target(INFINITY, 100);
    CHECK(flop.target() == 42);
    CHECK(flop.target_text() == "42");
    FlopStyle plain;
    plain.group_thousands = false;
    FlopCounter big(plain);
    big.set_target(1e30, 0);
    CHECK(big.target_text() == std::string(FlopCounter::kIntegerDigits, '9'));
    FlopStyle two;
    two.decimals = 2;
    two.group_thousands = false;
    FlopCounter money(two);
    money.set_target(1e30, 0);
    CHECK(money.target_text() == std::string(FlopCounter::kIntegerDigits - 2, '9') + ".99");
}
