// The simulated fleet: deterministic per seed, plausible, with a silent host and an alarming one.
#include "hub/fleet_sampler.h"
#include "hub/simulated_fleet.h"
#include "protocol/encode.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace vigil::hub;

TEST_CASE("the same seed gives the same frames, a different seed different ones") {
    FleetSampler a(nullptr, 8, 42), b(nullptr, 8, 42), c(nullptr, 8, 43);
    CHECK(vigil::protocol::encode(a.catalog()) == vigil::protocol::encode(b.catalog()));
    bool differs = false;
    for (std::uint64_t seq = 1; seq <= 500; ++seq) {
        auto fa = a.sample(seq, 1000 * std::int64_t(seq), 0), fb = b.sample(seq, 1000 * std::int64_t(seq), 0);
        REQUIRE(vigil::protocol::encode(fa) == vigil::protocol::encode(fb));
        differs = differs || vigil::protocol::encode(fa) != vigil::protocol::encode(c.sample(seq, 1000 * std::int64_t(seq), 0));
    }
    CHECK(differs);
}

TEST_CASE("a frame depends only on its seq, so the patterns continue across a restart") {
    SimulatedFleet fleet(5, 7);
    auto later = fleet.sample(2, 1234);
    SimulatedFleet restarted(5, 7);
    CHECK(restarted.sample(2, 1234) == later);
}

TEST_CASE("values are finite and within their ranges") {
    SimulatedFleet fleet(12, 3);
    for (std::uint64_t seq = 1; seq <= 2000; ++seq)
        for (std::size_t h = 0; h < fleet.hosts().size(); ++h)
            if (auto values = fleet.sample(h, seq))
                for (auto& [key, v] : *values) {
                    REQUIRE(std::isfinite(v));
                    REQUIRE(v >= 0);
                    if (key == "cpu" || key == "mem") REQUIRE(v <= 100);
                }
}

TEST_CASE("one host goes silent for a while, periodically, and comes back") {
    SimulatedFleet fleet(6, 1);
    REQUIRE(fleet.silent_host());
    auto silent = *fleet.silent_host();
    int absent = 0, present = 0, returns = 0;
    bool was_absent = false;
    for (std::uint64_t seq = 1; seq <= 3 * SimulatedFleet::silent_period; ++seq) {
        bool here = fleet.sample(silent, seq).has_value();
        (here ? present : absent) += 1;
        if (here && was_absent) ++returns;
        was_absent = !here;
        for (std::size_t h = 0; h < fleet.hosts().size(); ++h)
            if (h != silent) REQUIRE(fleet.sample(h, seq));  // only that one host ever goes silent
    }
    CHECK(absent == int(3 * SimulatedFleet::silent_frames));
    CHECK(present > absent);
    CHECK(returns >= 2);
}

TEST_CASE("one host alarms: its CPU goes above the crit threshold for a stretch of frames") {
    SimulatedFleet fleet(4, 9);
    REQUIRE(fleet.alarming_host());
    auto host = *fleet.alarming_host();
    const double crit = *fleet.hosts()[host].metrics[0].crit;
    int above = 0;
    for (std::uint64_t seq = 0; seq < SimulatedFleet::alarm_period; ++seq) {
        auto values = fleet.sample(host, seq);
        REQUIRE(values);
        if (values->front().first == "cpu" && values->front().second > crit) ++above;
    }
    CHECK(above >= int(SimulatedFleet::alarm_frames));
}

TEST_CASE("load follows a diurnal curve: the busiest hour is much busier than the quietest") {
    SimulatedFleet fleet(3, 5);
    double lo = 1e9, hi = -1e9;
    for (std::uint64_t seq = 0; seq < SimulatedFleet::day_frames; seq += 10) {
        double sum = 0;
        for (std::uint64_t k = 0; k < 10; ++k) sum += fleet.sample(1, seq + k)->front().second;
        lo = std::min(lo, sum / 10);
        hi = std::max(hi, sum / 10);
    }
    CHECK(hi - lo > 25);
}

TEST_CASE("a few hosts have CJK names; ids stay ASCII") {
    SimulatedFleet fleet(8, 1);
    int cjk = 0;
    for (auto& h : fleet.hosts()) {
        for (unsigned char ch : h.id) REQUIRE(ch < 0x80);
        for (unsigned char ch : h.name)
            if (ch >= 0x80) {
                ++cjk;
                break;
            }
    }
    CHECK(cjk >= 2);
    CHECK(fleet.hosts()[1].name == "数据库-01");
}

TEST_CASE("frames carry readings with at most 3 decimals, so they stay short on the wire") {
    FleetSampler sampler(nullptr, 16, 5);
    SimulatedFleet raw(16, 5);
    std::size_t rounded_len = 0, raw_len = 0;
    for (std::uint64_t seq = 1; seq <= 200; ++seq) {
        auto frame = sampler.sample(seq, 1000 * std::int64_t(seq), 0);
        vigil::protocol::Samples unrounded{seq, 1000 * std::int64_t(seq), {}, {}};
        for (std::size_t h = 0; h < raw.hosts().size(); ++h)
            if (auto values = raw.sample(h, seq)) unrounded.hosts.push_back({raw.hosts()[h].id, *values});
        REQUIRE(frame.hosts.size() == unrounded.hosts.size());
        for (std::size_t h = 0; h < frame.hosts.size(); ++h)
            for (std::size_t m = 0; m < frame.hosts[h].values.size(); ++m) {
                const double v = frame.hosts[h].values[m].second;
                REQUIRE(v == std::round(v * 1000.0) / 1000.0);
                REQUIRE(std::fabs(v - unrounded.hosts[h].values[m].second) <= 0.0005);
            }
        rounded_len += vigil::protocol::encode(frame).size();
        raw_len += vigil::protocol::encode(unrounded).size();
    }
    MESSAGE("16-host frames: " << rounded_len / 200 << " bytes rounded, " << raw_len / 200 << " unrounded");
    CHECK(rounded_len < raw_len * 3 / 4);
}
