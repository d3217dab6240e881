// Rates from Prometheus counters keyed by series (src/hub/sources/counter_rates.h): the first
// reading, a reset and a stalled clock give nothing; a missed scrape gives the true average.
#include <doctest/doctest.h>

#include <cmath>

#include "hub/sources/counter_rates.h"

using vigil::hub::sources::CounterRates;

TEST_CASE("the first reading of a series gives no rate; the second gives delta over elapsed time") {
    CounterRates r;
    CHECK(!r.update("a", 100, 10.0));
    auto v = r.update("a", 160, 12.0);
    REQUIRE(v);
    CHECK(*v == doctest::Approx(30));
}

TEST_CASE("series are independent by key") {
    CounterRates r;
    r.update("rx/eth0", 0, 0);
    r.update("rx/eth1", 1000, 0);
    CHECK(*r.update("rx/eth0", 10, 1) == doctest::Approx(10));
    CHECK(*r.update("rx/eth1", 1500, 1) == doctest::Approx(500));
    CHECK(r.size() == 2);
}

TEST_CASE("a counter that drops (reset) gives no reading for that interval, never a negative rate; the next is normal") {
    CounterRates r;
    r.update("c", 5000, 0);
    CHECK(*r.update("c", 6000, 1) == doctest::Approx(1000));
    CHECK(!r.update("c", 30, 2));  // the exporter restarted
    auto after = r.update("c", 130, 3);
    REQUIRE(after);
    CHECK(*after == doctest::Approx(100));
}

TEST_CASE("a missed scrape gives the average over the real elapsed time, not a spike") {
    CounterRates r;
    r.update("c", 0, 0);
    CHECK(*r.update("c", 100, 1) == doctest::Approx(100));
    // The scrape at t=2 failed; at t=3 the counter is at 300.
    CHECK(*r.update("c", 300, 3) == doctest::Approx(100));
}

TEST_CASE("a time that does not advance gives nothing and keeps the baseline") {
    CounterRates r;
    r.update("c", 0, 5);
    CHECK(!r.update("c", 50, 5));
    CHECK(!r.update("c", 50, 4));
    CHECK(*r.update("c", 60, 6) == doctest::Approx(60));  // from the t=5 baseline
}

TEST_CASE("NaN or Inf readings give nothing and restart the series") {
    CounterRates r;
    r.update("c", 10, 0);
    CHECK(!r.update("c", NAN, 1));
    CHECK(!r.update("c", 20, 2));  // a first reading again
    CHECK(*r.update("c", 40, 3) == doctest::Approx(20));
    CHECK(!r.update("c", INFINITY, 4));
}

TEST_CASE("counter values are doubles: fractional seconds counters work") {
    CounterRates r;
    r.update("cpu", 1025.83, 0);
    CHECK(*r.update("cpu", 1026.33, 2) == doctest::Approx(0.25));
}

TEST_CASE("sweep() forgets series that had no update since the previous sweep") {
    CounterRates r;
    r.update("a", 1, 0);
    r.update("b", 1, 0);
    r.sweep();
    CHECK(r.size() == 2);
    r.update("a", 2, 1);
    r.sweep();  // b had no reading this scrape
    CHECK(r.size() == 1);
    CHECK(!r.update("b", 5, 2));  // b starts over
    CHECK(*r.update("a", 4, 2) == doctest::Approx(2));
}
